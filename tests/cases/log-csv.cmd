# sircomm log --from: a timeline exported from a spreadsheet or a chat
# log, mapped by hand to the header's columns (in any order).  A byte
# order mark, CRLF line ends, quoted cells with commas, quotes and line
# breaks, blank lines: all read.  Rows go where they belong in time.
# A time without an offset is on the display zone's clock.
cd "$TMPDIR_CASE" || exit 9
$SIRCOMM new --at 2026-03-04T09:12:00Z --id SIRT-2026-0203 > skel.xml
cp skel.xml r.xml
printf '\357\273\277type,at,group,by,artifacts,round,channel,note\r\n' > events.csv
printf 'draft-ready,2026-03-04T10:30:00Z,,,"customer-email, support-faq; social-post",,,\r\n' >> events.csv
printf 'review-requested,2026-03-04T10:40:00Z,,,customer-email,review,#sirt-comms,"Sent to the\nkey approvers, ""as agreed"""\r\n' >> events.csv
printf '\r\n' >> events.csv
printf 'engaged,2026-03-04T09:20:00Z,legal,seoc,,,,\r\n' >> events.csv
printf 'approved,2026-03-04T11:05:00+01:00,security,VP of Security,customer-email,final,,\r\n' >> events.csv
printf 'note,2026-03-04 10:45,,,,,,"a spreadsheet time: the display zone'"'"'s clock"' >> events.csv
$SIRCOMM log r.xml --from events.csv; echo "status $?"
diff skel.xml r.xml
$SIRCOMM check r.xml

# Every problem of the file, at its line, and nothing added.
cp skel.xml before.xml
cp skel.xml r.xml
cat > bad.csv <<'CSV'
at,type,group,by,artifacts
2026-03-04T10:30:00Z,approved,legal,Nobody,customer-email
2026-03-04T10:31:00Z,draft-ready
2026-03-04T10:32:00,note,,,
2026-03-04T10:33:00Z,engaged,no-such-group,,
2026-03-04T10:34:00Z,shipped,,,
,note,,,
2026-03-04T10:35:00Z,draft-ready,,,press-kit
2026-03-04T10:36:00Z,note,,,
2026-02-30 10:00,resolved,,,
CSV
$SIRCOMM log r.xml --from bad.csv; echo "status $?"
cmp before.xml r.xml && echo "r.xml unchanged"
printf 'at,kind,type,at\n' > header.csv
$SIRCOMM log r.xml --from header.csv; echo "status $?"
printf 'at,type,note\n2026-03-04T10:30:00Z,note,"open\n' > quote.csv
$SIRCOMM log r.xml --from quote.csv; echo "status $?"
: > empty.csv
$SIRCOMM log r.xml --from empty.csv; echo "status $?"
printf 'at,type\n' > none.csv
$SIRCOMM log r.xml --from none.csv; echo "status $?"
$SIRCOMM log r.xml note --from events.csv; echo "status $?"
$SIRCOMM log r.xml --from events.csv --by x; echo "status $?"
cmp before.xml r.xml && echo "r.xml unchanged"
