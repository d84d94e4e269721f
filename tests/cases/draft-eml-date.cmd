# An email's Date is when it went out: its first `deployed` event, even
# when the record goes on after it (s1-breach: customer email 13:04Z,
# security alert 13:10Z, last event 13:21Z; s1-silent-approver: the
# customer email at 20:10+01:00, shown in the policy's zone, last event
# 20:32Z).  An email not sent yet is dated as of the record's last event
# (s1-in-progress: 15:21Z), never the clock, so drafts stay the same.
cd "$TMPDIR_CASE" || exit 1
for s in s1-breach s1-silent-approver s1-in-progress; do
	(cd "$OLDPWD" && $SIRCOMM draft --only customer-email,security-alert,social-post,support-faq \
		-o "$TMPDIR_CASE" "samples/$s.xml" >/dev/null) || exit 1
done
for d in SIRT-2026-0142 SIRT-2026-0151 SIRT-2026-0302; do
	for f in customer-email security-alert; do
		printf '%s %s: ' $d $f
		grep '^Date: ' $d/drafts/$f.eml
	done
done
