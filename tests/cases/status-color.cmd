# Colour in the text view: on a terminal by default (tests/on-tty.py runs
# sircomm on a pseudo-terminal and shows ESC as <ESC>): overdue lines red,
# lines due within 15 minutes yellow, the rest plain.  NO_COLOR set to
# anything but the empty string turns it off; --color=never too; a pipe
# gets none unless --color=always; JSON never.
F=tests/fixtures/status-walk.xml
seen() { if tr '\033' '#' | grep -q -e '#\[' -e '<ESC>'; then echo coloured; else echo plain; fi; }
echo "-- a terminal, 11:45 (back-ups late: red)"
env -u NO_COLOR python3 tests/on-tty.py $SIRCOMM status --at 2026-05-12T11:45:00Z $F | sed -n '/^Engage back-ups/,/^$/p'
echo "-- a terminal, 12:45"
env -u NO_COLOR python3 tests/on-tty.py $SIRCOMM status --at 2026-05-12T12:45:00Z $F | sed -n '/^Overdue/,/^$/p;/^Due next/,/^$/p'
echo "-- NO_COLOR=1 on a terminal"
NO_COLOR=1 python3 tests/on-tty.py $SIRCOMM status --at 2026-05-12T12:45:00Z $F | seen
echo "-- NO_COLOR empty on a terminal"
NO_COLOR= python3 tests/on-tty.py $SIRCOMM status --at 2026-05-12T12:45:00Z $F | seen
echo "-- --color=never on a terminal"
env -u NO_COLOR python3 tests/on-tty.py $SIRCOMM status --color=never --at 2026-05-12T12:45:00Z $F | seen
echo "-- a pipe"
env -u NO_COLOR $SIRCOMM status --at 2026-05-12T12:45:00Z $F | seen
echo "-- --color=always into a pipe, NO_COLOR=1"
NO_COLOR=1 $SIRCOMM status --color always --at 2026-05-12T12:45:00Z $F | seen
echo "-- json on a terminal, --color=always"
env -u NO_COLOR python3 tests/on-tty.py $SIRCOMM status --format json --color=always --at 2026-05-12T12:45:00Z $F | seen
echo "-- audit on a terminal, NO_COLOR empty"
NO_COLOR= python3 tests/on-tty.py $SIRCOMM audit $F | seen
echo "-- audit on a terminal, NO_COLOR=1; --color=never; into a pipe; --color=always"
NO_COLOR=1 python3 tests/on-tty.py $SIRCOMM audit $F | seen
env -u NO_COLOR python3 tests/on-tty.py $SIRCOMM audit --color=never $F | seen
env -u NO_COLOR $SIRCOMM audit $F | seen
NO_COLOR=1 $SIRCOMM audit --color=always $F | seen
echo "-- bad values"
$SIRCOMM status --color=sometimes $F; echo "exit $?"
$SIRCOMM status --format yaml $F; echo "exit $?"
