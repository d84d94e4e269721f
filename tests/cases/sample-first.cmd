# A set made in parts (--first) is the same files as the set made at
# once: what bench/ledger.sh relies on to generate a million records a
# few thousand at a time.
cd "$TMPDIR_CASE" && mkdir whole parts
$SIRCOMM sample -q --count 7 --seed 9 -o whole
$SIRCOMM sample -q --count 3 --seed 9 -o parts
$SIRCOMM sample -q --first 3 --count 4 --seed 9 -o parts
ls parts
diff -r whole parts && echo "parts: identical to the whole"
$SIRCOMM sample -q --first 5 --count 1 --seed 9 -o one
diff one/GEN-9-000005.xml whole/GEN-9-000005.xml && echo "one record: identical"
$SIRCOMM sample --first -1 -o x
