#!/usr/bin/env python3
"""calendar-check.py SIRCOMM: `sircomm calendar` read back by an independent
parser (Python's icalendar, Debian's python3-icalendar).

Checks RFC 5545's framing on the raw bytes (CRLF line endings, lines of at
most 75 octets, folds never inside a UTF-8 sequence), then parses the file
and checks every open deadline's event: a stable UID, DTSTAMP, the due
time as DTSTART (worked out by hand in the scenario records), a summary,
the audit's note unfolded and unescaped in the description, and VALARMs
(a day and an hour before a regulator's deadline, an hour before the
plan's).  Exporting again gives the same bytes, later the same UIDs;
a bad record or two records of one incident write nothing.  Exits 77
(skipped) without icalendar."""
import datetime
import json
import os
import subprocess
import sys
import tempfile

try:
    import icalendar
except ImportError:
    print("python3-icalendar is not installed: skipped")
    sys.exit(77)

SIRCOMM = sys.argv[1]
UTC = datetime.timezone.utc
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL: " + what)


def run(*args):
    return subprocess.run([SIRCOMM] + list(args), capture_output=True)


def framing(data, name):
    check(data.endswith(b"\r\n"), name + ": ends with CRLF")
    lines = data.split(b"\r\n")[:-1]
    check(b"\n" not in b"".join(lines) and b"\r" not in b"".join(lines),
          name + ": no bare CR or LF")
    for i, line in enumerate(lines):
        check(len(line) <= 75, "%s: line %d is %d octets" % (name, i + 1, len(line)))
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            check(False, "%s: line %d splits a UTF-8 sequence" % (name, i + 1))


def events(data):
    cal = icalendar.Calendar.from_ical(data)
    check(str(cal.get("VERSION")) == "2.0", "VERSION:2.0")
    check(cal.get("PRODID") is not None, "PRODID")
    return {str(e.get("UID")): e for e in cal.walk("VEVENT")}


def when(s):
    return datetime.datetime.fromisoformat(s.replace("Z", "+00:00"))


def notes(record, at):
    au, = json.loads(run("audit", "--format", "json", "--at", at, record).stdout)
    return {(f["rule"], f["subject"]): f["note"] for f in au["findings"]}


tmp = tempfile.mkdtemp()
out = os.path.join(tmp, "deadlines.ics")

# GDPR and NIS2 on 29 March 00:00Z (tests/audit/notify-gdpr-nis2.xml),
# DORA on 1 June (notify-dora-backstop.xml): the record comments work out
# each due time from the cited article.
rec = "tests/audit/notify-gdpr-nis2.xml"
p = run("calendar", "--at", "2026-03-29T00:00:00Z", "-o", out, rec)
check(p.returncode == 0 and p.stdout == b"", "calendar -o exits 0 quietly: %r" % p.stderr)
data = open(out, "rb").read()
framing(data, "gdpr-nis2")
ev = events(data)
uid = "SCN-NOTIFY-GDPR-NIS2/NOTIFY/%s@sircomm"
want = {"nis2/early-warning": "2026-03-29T09:00:00Z", "gdpr/authority": "2026-03-31T09:00:00Z",
        "nis2/notification": "2026-03-31T09:00:00Z"}
for subject, due in want.items():
    e = ev.get(uid % subject)
    check(e is not None, "event for " + subject)
    if e is None:
        continue
    check(e.decoded("DTSTART") == when(due), "%s DTSTART %s" % (subject, e.decoded("DTSTART")))
    check(e.decoded("DTSTAMP") == when("2026-03-29T00:00:00Z"), subject + " DTSTAMP")
    alarms = [a for a in e.walk("VALARM")]
    check([str(a.get("ACTION")) for a in alarms] == ["DISPLAY", "DISPLAY"], subject + " alarms")
    check(sorted(a.decoded("TRIGGER") for a in alarms) ==
          [datetime.timedelta(days=-1), datetime.timedelta(hours=-1)], subject + " triggers")
    check("legal" in str(e.get("CATEGORIES").to_ical()), subject + " category")
# No fixed deadline, no clock yet: no event; the plan's open deadlines are
# there too (the S2 record's engagements wait for events, so none here).
check(uid % "gdpr/data-subjects" not in ev and uid % "nis2/final-report" not in ev,
      "no event without a due time")
# The description carries the audit's note, unfolded and unescaped.
n = notes(rec, "2026-03-29T00:00:00Z")
desc = str(ev[uid % "gdpr/authority"].get("DESCRIPTION"))
check(("NOTIFY gdpr/authority: " + n[("NOTIFY", "gdpr/authority")]) in desc.split("\n"),
      "the note in the description: %r" % desc)
check("no legal advice" in desc, "the description says sircomm gives no legal advice")

# The same inputs give the same bytes.
p = run("calendar", "--at", "2026-03-29T00:00:00Z", rec)
check(p.stdout == data, "standard output and -o FILE agree, byte for byte")

# Later: the notified stages leave, the final report arrives; UIDs stay.
later = run("calendar", "--at", "2026-04-01T00:00:00Z", rec).stdout
framing(later, "gdpr-nis2 later")
ev2 = events(later)
check(set(ev2) == {uid % "nis2/final-report"}, "on 1 April only the final report: %s" % sorted(ev2))
check(ev2[uid % "nis2/final-report"].decoded("DTSTART") == when("2026-04-30T09:30:00Z"),
      "final report due 30 April 09:30Z")

# Two records, the plan's deadlines with them: DORA after the roll, and
# the status walk at 11:45 (tests/fixtures/status-walk.xml, docs/status.md).
both = run("calendar", "--at", "2026-05-12T11:45:00Z", "tests/fixtures/status-walk.xml",
           "tests/audit/notify-dora-backstop.xml").stdout
framing(both, "two records")
ev3 = events(both)
walk = [u for u in ev3 if u.startswith("SIRT-2026-0512/")]
check("SIRT-2026-0512/TURNAROUND/customer-email@sircomm" in ev3, "the plan's turnaround")
check("SIRT-2026-0512/UPDATE-CADENCE/vp-security@sircomm" in ev3, "the next update")
t = ev3.get("SIRT-2026-0512/TURNAROUND/customer-email@sircomm")
if t is not None:
    check(t.decoded("DTSTART") == when("2026-05-12T15:30:00Z"), "turnaround at 15:30Z")
    check([a.decoded("TRIGGER") for a in t.walk("VALARM")] == [datetime.timedelta(hours=-1)],
          "a plan deadline has one alarm, an hour before")
    check("plan" in str(t.get("CATEGORIES").to_ical()), "plan category")
d = ev3.get("SCN-NOTIFY-DORA-BACKSTOP/NOTIFY/dora/initial@sircomm")
check(d is not None and d.decoded("DTSTART") == when("2026-05-13T08:00:00Z"),
      "DORA initial notification: the 24 h backstop, 13 May 08:00Z")
check(len(set(ev3)) == len(ev3) and len(walk) > 3, "UIDs unique")

# Non-ASCII text folded on character boundaries.
src = open(rec, encoding="utf-8").read().replace(
    "Scenario: GDPR and NIS2 across a daylight-saving change",
    "Überprüfung: Datenpanne bei der Kundenkartei — 東京とミュンヘンの顧客データ; Zähler, Ärger")
u8 = os.path.join(tmp, "utf8.xml")
open(u8, "w", encoding="utf-8").write(src)
data = run("calendar", "--at", "2026-03-29T00:00:00Z", u8).stdout
framing(data, "utf-8")
e = events(data).get(uid % "gdpr/authority")
check(e is not None and "東京とミュンヘンの顧客データ; Zähler, Ärger" in str(e.get("DESCRIPTION")),
      "non-ASCII title round-trips")

# Bad input writes nothing.
bad = os.path.join(tmp, "bad.xml")
open(bad, "w").write(src.replace('stage="authority"', 'stage="regulator"'))
out2 = os.path.join(tmp, "none.ics")
p = run("calendar", "-o", out2, rec, bad)
check(p.returncode == 2 and not os.path.exists(out2), "a bad record: exit 2, nothing written")
check(b"bad.xml:" in p.stderr and b"error:" in p.stderr, "FILE:LINE: error: %r" % p.stderr)
p = run("calendar", "-o", out2, rec, u8)
check(p.returncode == 2 and not os.path.exists(out2), "two records of one incident: refused")

print("%d failed" % len(failures))
sys.exit(1 if failures else 0)
