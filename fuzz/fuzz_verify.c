/*
 * fuzz_verify.c - audit bundles (zip): `sircomm verify` on a file an
 * auditor was handed.  The input is written to a temporary file (libzip
 * reads files), verified with no key and then with a fixed public key,
 * whose "<path>.minisig" is missing, and removed.
 */
#include <string.h>
#include <unistd.h>

#include "bundle/bundle.h"
#include "fuzz.h"

/* A public key made with `sircomm keygen` (fuzz/corpus/minisig/). */
static const char pubkey[] =
	"untrusted comment: minisign public key B71BF2E0A02B57D3\n"
	"RWTTVyug4PIbt+lThEVtW7KH85GP9l4VKU0txcWJ6gRuZlGLfUbMtYyn\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[] = "/tmp/sircomm-fuzz-verify-XXXXXX";
	int fd = mkstemp(path);
	if (fd < 0)
		abort();  /* the environment, not the input: stop loudly */
	size_t off = 0;
	while (off < size) {
		ssize_t n = write(fd, data + off, size - off);
		if (n <= 0) {
			close(fd);
			unlink(path);
			abort();
		}
		off += (size_t)n;
	}
	close(fd);

	struct diag d = DIAG_INIT;
	bundle_verify(path, NULL, 0, &d);
	diag_free(&d);
	bundle_verify(path, pubkey, strlen(pubkey), &d);
	diag_free(&d);
	unlink(path);
	return 0;
}
