# Progress of a batch on one rewritten line of standard error, only when
# it is a terminal (tests/on-tty.py --stderr: <CR> and <ESC> shown); a
# record's errors start on a line of their own; the line is erased at
# the end.  Never in a pipe or a file, in CI or on TERM=dumb, never for
# one record.
# Times vary: shown as T.
t() { sed -e 's/, [^,]* elapsed, ETA [^<]*/, T elapsed, ETA T/g' -e 's/<CR><ESC>\[K/&\n/g'; echo; }
S=samples
unset CI
[ "${TERM:-}" = dumb ] && TERM=xterm
export TERM
cd "$TMPDIR_CASE" && ln -s "$OLDPWD/samples" samples && ln -s "$OLDPWD/tests" tests
echo "-- audit, three records, one bad"
python3 tests/on-tty.py --stderr $SIRCOMM audit -j 1 $S/s1-breach.xml $S/invalid/bad-severity.xml $S/s2-no-turnaround.xml | t
echo "-- draft, bundle, ingest, sample"
python3 tests/on-tty.py --stderr $SIRCOMM draft -j 1 -o d $S/s1-breach.xml $S/s2-no-turnaround.xml | t
python3 tests/on-tty.py --stderr $SIRCOMM bundle -j 1 -o b $S/s1-breach.xml $S/s2-no-turnaround.xml | t
python3 tests/on-tty.py --stderr $SIRCOMM ingest -j 1 --db l.db $S/s1-breach.xml $S/s2-no-turnaround.xml | sed 's/in [0-9.]* s$/in T s/' | t
python3 tests/on-tty.py --stderr $SIRCOMM sample --count 2 -o s | t
echo "-- a terminal in CI (CI set), or TERM=dumb: no progress"
CI=true python3 tests/on-tty.py --stderr $SIRCOMM audit $S/s1-breach.xml $S/s2-no-turnaround.xml | t
TERM=dumb python3 tests/on-tty.py --stderr $SIRCOMM audit $S/s1-breach.xml $S/s2-no-turnaround.xml | t
echo "-- one record: no progress"
python3 tests/on-tty.py --stderr $SIRCOMM audit $S/s1-breach.xml | t
echo "-- standard error a pipe or a file: none"
$SIRCOMM audit $S/s1-breach.xml $S/s2-no-turnaround.xml 2>&1 >/dev/null | od -c | grep -c '\\r'
$SIRCOMM draft -o d2 $S/s1-breach.xml $S/s2-no-turnaround.xml 2>err >/dev/null; od -c < err | grep -c '\\r'
