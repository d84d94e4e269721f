/*
 * builtin_policy.h - the unit tests' group set-up: the built-in policy,
 * loaded once for a group of tests as `pol`.
 *
 *     return cmocka_run_group_tests(tests, setup, teardown);
 */
#ifndef SIRCOMM_TEST_BUILTIN_POLICY_H
#define SIRCOMM_TEST_BUILTIN_POLICY_H

#include "base/diag.h"
#include "model/policy.h"

static struct policy *pol;

static int setup(void **state)
{
	(void)state;
	struct diag d = DIAG_INIT;
	int rc = pol_load(NULL, &d, &pol);
	diag_free(&d);
	return rc;
}

static int teardown(void **state)
{
	(void)state;
	pol_free(pol);
	return 0;
}

#endif
