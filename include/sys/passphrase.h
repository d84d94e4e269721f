/*
 * passphrase.h - a secret key's passphrase, asked on the terminal.
 *
 *     char pw[PASSPHRASE_MAX];
 *     size_t n;
 *     const char *why;
 *     if (passphrase_ask("Passphrase for k.sec: ", NULL, pw, &n, &why) != 0)
 *             ...;                    // why: "no terminal to ask on"
 *     ...
 *     sodium_memzero(pw, sizeof(pw));
 *
 * The prompt goes to the controlling terminal (/dev/tty), never to
 * standard output or error, and what is typed is not echoed: the
 * passphrase reaches neither the screen nor a pipe.  The terminal is put
 * back as it was whatever happens; a Ctrl-C while it is asked puts the
 * terminal back, then takes its usual course.
 */
#ifndef SIRCOMM_PASSPHRASE_H
#define SIRCOMM_PASSPHRASE_H

#include <stddef.h>

/* The longest passphrase, in bytes, with room for a NUL (minisign's). */
#define PASSPHRASE_MAX 1024

/*
 * Asks for a passphrase on the terminal: prompt, then the line typed
 * (without its newline) into pw (NUL-terminated, length in *len).  With
 * `again` not NULL, asks a second time with that prompt and fails when
 * the two differ.  Returns 0, or -1 with *why a static string: "no
 * terminal to ask on", "the two passphrases differ", "longer than 1023
 * bytes", "interrupted", "end of input on the terminal".  pw holds the
 * secret: the caller clears it (sodium_memzero) when done, as it is also
 * cleared on failure.
 */
int passphrase_ask(const char *prompt, const char *again, char pw[PASSPHRASE_MAX], size_t *len,
		   const char **why);

/*
 * Reads a passphrase from the file at path: its first line, without the
 * line end.  Returns 0, or -1 with *why a static string ("cannot read",
 * "holds no passphrase", "longer than 1023 bytes"; errno is kept for the
 * first).  pw as for passphrase_ask.
 */
int passphrase_from_file(const char *path, char pw[PASSPHRASE_MAX], size_t *len, const char **why);

#endif
