/*
 * regen.h - drafting a bundle's communications again from the bag alone
 * (`sircomm verify --regenerate`).
 *
 * A bag holds the record byte for byte, the effective policy and every
 * template the drafts were made from (data/templates/, built-in or an
 * organisation's --templates).  An auditor a year later, with no access
 * to the team's template directory, can then show that each draft in
 * the bag is what that record, policy and templates give: regen drafts
 * them again and compares byte for byte.  The manifests show that the
 * bag is whole; only this shows that the drafts came from what it holds.
 *
 *     struct diag d = DIAG_INIT;
 *     size_t same = 0;
 *     int problems = regen_bundle("x-audit.zip", &same, &d);
 *     diag_print(&d, stderr);   // "x-audit.zip: error: data/drafts/... differs ..."
 */
#ifndef SIRCOMM_REGEN_H
#define SIRCOMM_REGEN_H

#include <stddef.h>

#include "base/diag.h"

/*
 * Reads the bag in the zip at path (within the limits of bundle.h; call
 * bundle_verify first: regen trusts the structure it has checked), parses
 * its data/record/ and data/policy/policy.xml, loads its data/templates/
 * as the whole template set, drafts every artifact and compares each
 * draft with data/drafts/ byte for byte.  Each draft that differs (with
 * its first differing line), is missing from the bag, or is in the bag
 * but not regenerated is a diagnostic naming the bundle.  Problems inside
 * the bag's record, policy or templates are reported as
 * "BUNDLE(TOP/data/...):LINE".  Returns the number of problems (0: every
 * draft reproduced, *same of them), or -1 when nothing could be drafted
 * (the zip unreadable, no record, no templates, a record that does not
 * parse), after diagnostics.
 */
int regen_bundle(const char *path, size_t *same, struct diag *d);

#endif
