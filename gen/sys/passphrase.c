/* passphrase.c - a passphrase asked on the terminal without echo, or
 * read from a file. */
#include "sys/passphrase.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include <sodium.h>


/* The signal that came while the terminal was without echo, if any. */
static volatile sig_atomic_t interrupted;

static void on_signal(int sig)
{
	interrupted = sig;
}

static const int signals[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGTSTP };
#define NSIG_ASK (sizeof(signals) / sizeof(signals[0]))

/* Writes all of s to fd, as far as it goes: a prompt. */
static void put(int fd, const char *s)
{
	size_t n = strlen(s);
	while (n > 0) {
		ssize_t w = write(fd, s, n);
		if (w < 0 && errno == EINTR && !interrupted)
			continue;
		if (w <= 0)
			return;
		s += w;
		n -= (size_t)w;
	}
}

/* Reads one line from fd into pw; 0, or -1 with *why.  In a file, the
 * last line may lack its line end. */
static int read_line(int fd, bool file, char pw[PASSPHRASE_MAX], size_t *len, const char **why)
{
	size_t n = 0;
	bool too_long = false;
	for (;;) {
		char c;
		ssize_t r = read(fd, &c, 1);
		if (r < 0 && errno == EINTR && !interrupted)
			continue;
		if (r < 0) {
			*why = interrupted ? "interrupted" : "cannot read";
			return -1;
		}
		if (r == 0 && file)
			break;
		if (r == 0) {
			*why = "end of input on the terminal";
			return -1;
		}
		if (c == '\n')
			break;
		if (n + 1 < PASSPHRASE_MAX)
			pw[n++] = c;
		else
			too_long = true;
	}
	if (n > 0 && pw[n - 1] == '\r')
		n--;
	pw[n] = '\0';
	if (too_long) {
		*why = "longer than 1023 bytes";
		return -1;
	}
	*len = n;
	return 0;
}

int passphrase_ask(const char *prompt, const char *again, char pw[PASSPHRASE_MAX], size_t *len,
		   const char **why)
{
	int fd = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (fd < 0) {
		*why = "no terminal to ask on";
		return -1;
	}
	struct termios old;
	if (tcgetattr(fd, &old) != 0) {
		close(fd);
		*why = "no terminal to ask on";
		return -1;
	}
	/* Until the terminal echoes again, a signal only interrupts the
	 * read (no SA_RESTART): the terminal is put back first. */
	struct sigaction sa, saved[NSIG_ASK];
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	interrupted = 0;
	for (size_t i = 0; i < NSIG_ASK; i++)
		sigaction(signals[i], &sa, &saved[i]);
	struct termios quiet = old;
	quiet.c_lflag &= ~(tcflag_t)(ECHO | ECHOE | ECHOK);
	quiet.c_lflag |= ECHONL | ICANON;
	tcsetattr(fd, TCSAFLUSH, &quiet);

	put(fd, prompt);
	int rc = read_line(fd, false, pw, len, why);
	if (rc == 0 && again) {
		char second[PASSPHRASE_MAX];
		size_t n2 = 0;
		put(fd, again);
		rc = read_line(fd, false, second, &n2, why);
		if (rc == 0 && (n2 != *len || sodium_memcmp(pw, second, n2) != 0)) {
			*why = "the two passphrases differ";
			rc = -1;
		}
		sodium_memzero(second, sizeof(second));
	}

	tcsetattr(fd, TCSAFLUSH, &old);
	close(fd);
	for (size_t i = 0; i < NSIG_ASK; i++)
		sigaction(signals[i], &saved[i], NULL);
	if (rc != 0)
		sodium_memzero(pw, PASSPHRASE_MAX);
	/* The signal takes its usual course now that the terminal echoes:
	 * a stop, the runner's Ctrl-C handling, or the end. */
	if (interrupted) {
		*why = "interrupted";
		raise(interrupted);
		return -1;
	}
	return rc;
}

int passphrase_from_file(const char *path, char pw[PASSPHRASE_MAX], size_t *len, const char **why)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		*why = "cannot read";
		return -1;
	}
	int rc = read_line(fd, true, pw, len, why);
	int e = errno;
	close(fd);
	if (rc == 0 && *len == 0) {
		*why = "holds no passphrase";
		rc = -1;
	}
	if (rc != 0)
		sodium_memzero(pw, PASSPHRASE_MAX);
	errno = e;
	return rc;
}
