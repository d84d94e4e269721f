#!/usr/bin/env python3
"""Audit rule scenarios: hand-computed expectations against `sircomm audit`.

Usage: audit-scenarios.py SIRCOMM

For each tests/audit/NAME.expect this audits tests/audit/NAME.xml with

    SIRCOMM audit --format json [--policy FILE] [--at TIME] RECORD...

and compares the JSON with the expectations.  Records audited at the
same TIME with the same policy share one process (a record's audit does
not depend on the others in the batch; the golden audits check that), so
the records cost a handful of process starts, which matters under
valgrind; a batch that fails is run again record by record to say which
one.  An .expect file holds one
expectation a line; blank lines and lines starting with '#' are ignored:

    RULE SUBJECT STATUS [due=TIME] [met=TIME]
        exactly one finding with that rule and subject, with that status
        (SUBJECT "-": a finding about no subject, null in the JSON);
        due/met are checked only when given ("-" means: none).
    exception ID STATE
        the record's exception ID was used in that state (used,
        retroactive, unused, expired, not yet approved, unauthorized).
    at TIME
        audit as of TIME (--at) instead of the record's own horizon.
    policy FILE
        audit with this policy (--policy; FILE relative to tests/audit/)
        instead of the built-in one: for what an organisation may set
        differently, such as a back-up grace.
    summary STATUS=N ...
        exact counts of findings per status (pass, fail, excepted, n/a,
        pending); only the statuses named are checked.

Findings the file does not name are not checked (but count in summary).
TIMEs are RFC 3339 and compared as instants.  The expectations are worked
out by hand from the rule definitions (docs, DESIGN.md and the plan); each
record's leading comment shows the working.

Prints one line per mismatch, then "N scenarios, M checks, K failed";
exits 1 if anything failed.
"""

import datetime
import json
import os
import subprocess
import sys

STATUSES = ("pass", "fail", "excepted", "n/a", "pending")
EXC_STATES = ("used", "retroactive", "unused", "expired", "not yet approved", "unauthorized")


def parse_time(s):
    """An RFC 3339 time as an aware datetime, or None for '-'/'none'/null."""
    if s is None or s in ("-", "none", "null"):
        return None
    return datetime.datetime.fromisoformat(s.replace("Z", "+00:00"))


def fmt_time(t):
    if t is None:
        return "-"
    return t.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


class ExpectError(Exception):
    pass


def parse_expect(path):
    """Returns (at, policy, checks): at and policy are strings or None;
    checks is a list of (lineno, kind, data)."""
    at = None
    policy = None
    checks = []
    with open(path, encoding="utf-8") as f:
        for n, raw in enumerate(f, 1):
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            words = line.split()
            where = "%s:%d" % (os.path.basename(path), n)
            if words[0] == "at":
                if len(words) != 2:
                    raise ExpectError("%s: 'at' takes one time" % where)
                parse_time(words[1])
                at = words[1]
            elif words[0] == "policy":
                if len(words) != 2:
                    raise ExpectError("%s: 'policy' takes one file" % where)
                policy = os.path.join(os.path.dirname(path), words[1])
                if not os.path.isfile(policy):
                    raise ExpectError("%s: no policy file %s" % (where, words[1]))
            elif words[0] == "summary":
                counts = {}
                for w in words[1:]:
                    k, sep, v = w.partition("=")
                    if not sep or k not in STATUSES or not v.isdigit():
                        raise ExpectError("%s: bad summary item '%s'" % (where, w))
                    counts[k] = int(v)
                if not counts:
                    raise ExpectError("%s: empty summary" % where)
                checks.append((where, "summary", counts))
            elif words[0] == "exception":
                if len(words) < 3:
                    raise ExpectError("%s: 'exception ID STATE'" % where)
                state = " ".join(words[2:])
                if state not in EXC_STATES:
                    raise ExpectError("%s: unknown exception state '%s'" % (where, state))
                checks.append((where, "exception", (words[1], state)))
            else:
                if len(words) < 3:
                    raise ExpectError("%s: 'RULE SUBJECT STATUS [due=T] [met=T]'" % where)
                rule, subject, status = words[:3]
                if status not in STATUSES:
                    raise ExpectError("%s: unknown status '%s'" % (where, status))
                fields = {}
                for w in words[3:]:
                    k, sep, v = w.partition("=")
                    if not sep or k not in ("due", "met"):
                        raise ExpectError("%s: bad item '%s'" % (where, w))
                    fields[k] = parse_time(v)
                checks.append((where, "finding", (rule, subject, status, fields)))
    return at, policy, checks


def run_audit(sircomm, records, at, policy):
    """The audits of records, in order (an array, whatever their
    number)."""
    cmd = [sircomm, "audit", "--format", "json"]
    if policy:
        cmd += ["--policy", policy]
    if at:
        cmd += ["--at", at]
    cmd += records
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode not in (0, 1):
        raise RuntimeError("exit status %d: %s" % (p.returncode, p.stderr.strip()))
    try:
        out = json.loads(p.stdout)
    except ValueError as e:
        raise RuntimeError("output is not JSON: %s" % e)
    if not isinstance(out, list) or len(out) != len(records):
        raise RuntimeError("expected %d audits" % len(records))
    return out


def audit_all(sircomm, wanted):
    """wanted: {name: (record, at, policy)}.  Returns {name: audit or
    error}."""
    groups = {}
    for name, (record, at, policy) in sorted(wanted.items()):
        groups.setdefault((at or "", policy or ""), []).append(name)
    results = {}
    for (at, policy), names in sorted(groups.items()):
        try:
            audits = run_audit(sircomm, [wanted[n][0] for n in names], at, policy)
            results.update(zip(names, audits))
        except (OSError, RuntimeError):
            for n in names:
                try:
                    results[n] = run_audit(sircomm, [wanted[n][0]], at, policy)[0]
                except (OSError, RuntimeError) as e:
                    results[n] = e
    return results


def check_finding(au, data):
    rule, subject, status, fields = data
    found = [f for f in au.get("findings", [])
             if f.get("rule") == rule and (f.get("subject") or "-") == subject]
    if len(found) != 1:
        return ["%s %s: %d findings, expected exactly one" % (rule, subject, len(found))]
    f = found[0]
    problems = []
    if f.get("status") != status:
        problems.append("%s %s: status %s, expected %s (note: %s)"
                        % (rule, subject, f.get("status"), status, f.get("note")))
    for k, want in fields.items():
        got = parse_time(f.get(k))
        if got != want:
            problems.append("%s %s: %s=%s, expected %s=%s"
                            % (rule, subject, k, fmt_time(got), k, fmt_time(want)))
    return problems


def check_exception(au, data):
    xid, state = data
    found = [x for x in au.get("exceptions", []) if x.get("id") == xid]
    if len(found) != 1:
        return ["exception %s: %d entries, expected exactly one" % (xid, len(found))]
    if found[0].get("state") != state:
        return ["exception %s: state '%s', expected '%s'" % (xid, found[0].get("state"), state)]
    return []


def check_summary(au, counts):
    summary = au.get("summary", {})
    problems = []
    for k, want in counts.items():
        got = summary.get(k)
        if got != want:
            problems.append("summary: %s=%s, expected %s=%d" % (k, got, k, want))
    return problems


def main(argv):
    if len(argv) != 2:
        sys.stderr.write("usage: audit-scenarios.py SIRCOMM\n")
        return 2
    sircomm = os.path.abspath(argv[1])
    here = os.path.dirname(os.path.abspath(__file__))
    root = os.path.dirname(here)
    scen_dir = os.path.join(here, "audit")
    names = sorted(f[:-len(".expect")] for f in os.listdir(scen_dir) if f.endswith(".expect"))
    n_checks = n_failed = 0
    parsed = {}
    wanted = {}
    for name in names:
        record = os.path.relpath(os.path.join(scen_dir, name + ".xml"), root)
        try:
            parsed[name] = parse_expect(os.path.join(scen_dir, name + ".expect"))
        except (ExpectError, ValueError) as e:
            parsed[name] = e
            continue
        if os.path.exists(os.path.join(root, record)):
            wanted[name] = (record, parsed[name][0], parsed[name][1])
    audits = audit_all(sircomm, wanted)
    for name in names:
        record = os.path.relpath(os.path.join(scen_dir, name + ".xml"), root)
        if isinstance(parsed[name], Exception):
            print("%s: bad expectations: %s" % (name, parsed[name]))
            n_checks += 1
            n_failed += 1
            continue
        at, _policy, checks = parsed[name]
        if not os.path.exists(os.path.join(root, record)):
            print("%s: no record %s" % (name, record))
            n_checks += len(checks)
            n_failed += len(checks)
            continue
        au = audits[name]
        if isinstance(au, Exception):
            print("%s: audit failed: %s" % (name, au))
            n_checks += len(checks)
            n_failed += len(checks)
            continue
        for where, kind, data in checks:
            n_checks += 1
            if kind == "finding":
                problems = check_finding(au, data)
            elif kind == "exception":
                problems = check_exception(au, data)
            else:
                problems = check_summary(au, data)
            if problems:
                n_failed += 1
                for p in problems:
                    print("%s: %s" % (where, p))
    print("%d scenarios, %d checks, %d failed" % (len(names), n_checks, n_failed))
    return 1 if n_failed else 0


if __name__ == "__main__":
    args = [sys.argv[0]] + [os.path.abspath(a) for a in sys.argv[1:2]] + sys.argv[2:]
    os.chdir(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    sys.exit(main(args))
