/*
 * fuzz.h - what the libFuzzer harnesses share: the built-in policy and
 * the built-in templates, loaded once per process and kept for its life
 * (LeakSanitizer sees them as reachable, not leaked).
 *
 * Each harness is one LLVMFuzzerTestOneInput over one parser; none exits,
 * prints (but for a failed set-up) or keeps state between inputs, so a
 * crash found once reproduces from its input alone.
 */
#ifndef SIRCOMM_FUZZ_H
#define SIRCOMM_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "base/diag.h"
#include "draft/draft.h"
#include "format/tmpl_set.h"
#include "model/policy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The built-in policy.  Borrowed, valid for the life of the process.  A
 * built-in policy that does not load is a broken build: abort. */
static inline const struct policy *fuzz_policy(void)
{
	static struct policy *pol;
	if (!pol) {
		struct diag d = DIAG_INIT;
		if (pol_load(NULL, &d, &pol) != 0) {
			diag_print(&d, stderr);
			abort();
		}
		diag_free(&d);
	}
	return pol;
}

/* The built-in templates.  Borrowed, valid for the life of the process. */
static inline const struct tmpl_set *fuzz_templates(void)
{
	static struct tmpl_set tpl = TMPL_SET_INIT;
	static int loaded;
	if (!loaded) {
		struct diag d = DIAG_INIT;
		if (tmpl_set_load(NULL, &tpl, &d) != 0) {
			diag_print(&d, stderr);
			abort();
		}
		diag_free(&d);
		loaded = 1;
	}
	return &tpl;
}

#endif
