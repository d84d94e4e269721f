"""status_json.py: what the status cases (tests/cases/status-*) share.
load() reads `sircomm status --format json` from standard input and
checks the shape docs/status.md documents (keys in order, types, due
times soonest first, seconds_left and overdue agreeing with at and due);
show() prints every list, one entry a line, so that a case's expected
output says which actions the JSON holds."""
import datetime
import json
import sys

TOP = ["incident", "title", "severity", "impact", "incident_status", "in_scope", "at",
       "comms_started", "turnaround", "cutoff", "overdue", "engage_backups", "due_next",
       "before_deployment", "before_public_release", "still_owed", "legal_clocks"]
LEGAL = ["subject", "regime", "stage", "citation", "state", "due", "due_local", "seconds_left",
         "since"]
LEGAL_STATES = ["due", "overdue", "without-undue-delay", "not-started"]
OVERDUE = ["rule", "subject", "group", "artifact", "due", "note"]
BACKUP = ["group", "title", "round", "artifacts", "window_closed", "due", "seconds_left",
          "overdue", "backups"]
ITEM = ["action", "due", "seconds_left", "overdue", "group", "title", "artifacts", "channels",
        "after"]
EXTRA = {"answer": ["approver", "round", "requested"], "update": [],
         "engage": ["dri", "channel", "cadence_seconds"], "draft": [],
         "announce-cutoff": ["latest"], "deploy": ["limit", "quorum_at"], "post": [],
         "extcomms-review": [], "extcomms-approval": [], "inform": [], "publish-update": ["notice"]}


def seconds(t):
    return int(datetime.datetime.strptime(t, "%Y-%m-%dT%H:%M:%SZ")
               .replace(tzinfo=datetime.timezone.utc).timestamp())


def check_due(at, x):
    if x["due"] is None:
        assert x["seconds_left"] is None and x["overdue"] is False, x
    else:
        assert x["seconds_left"] == seconds(x["due"]) - at, x
        assert x["overdue"] == (x["seconds_left"] < 0), x


def load():
    s = json.load(sys.stdin)
    assert list(s) == TOP, list(s)
    at = seconds(s["at"])
    states = []
    for c in s["legal_clocks"]:
        assert list(c) == LEGAL, c
        assert c["state"] in LEGAL_STATES, c
        timed = c["state"] in ("due", "overdue")
        assert (c["due"] is not None) == timed and (c["due_local"] is not None) == timed, c
        if timed:
            assert c["seconds_left"] == seconds(c["due"]) - at, c
            assert (c["state"] == "overdue") == (c["seconds_left"] < 0), c
        states.append(0 if timed else LEGAL_STATES.index(c["state"]))
    assert states == sorted(states), states
    legal_dues = [seconds(c["due"]) for c in s["legal_clocks"] if c["due"]]
    assert legal_dues == sorted(legal_dues), legal_dues
    for o in s["overdue"]:
        assert list(o) == OVERDUE, o
    for b in s["engage_backups"]:
        assert list(b) == BACKUP, b
        assert b["due"] is not None, b
        check_due(at, b)
    for key in ("due_next", "before_deployment", "before_public_release", "still_owed"):
        for it in s[key]:
            assert list(it) == ITEM + EXTRA[it["action"]], it
            assert (it["due"] is not None) == (key == "due_next"), (key, it)
            assert it["after"] is None or key == "still_owed", (key, it)
            check_due(at, it)
    dues = [seconds(it["due"]) for it in s["due_next"]]
    assert dues == sorted(dues), dues
    return s


def names(it):
    return "".join(" " + n for n in [it["group"]] + it["artifacts"] + it["channels"] if n)


def show(s):
    print("json: %s %s, %s, at %s" % (s["incident"], s["severity"], s["incident_status"], s["at"]))
    for c in s["legal_clocks"]:
        print("  legal_clocks: %s %s%s" % (c["subject"], c["state"],
              " at %s (%s)" % (c["due"], c["due_local"]) if c["due"] else ""))
    for o in s["overdue"]:
        print("  overdue: %s %s" % (o["rule"], o["subject"]))
    for b in s["engage_backups"]:
        print("  engage_backups: %s %s %s%s: %s" % (b["group"], b["round"], " ".join(b["artifacts"]),
              " by " + b["due"] + (" (overdue)" if b["overdue"] else ""), "; ".join(b["backups"])))
    for it in s["due_next"]:
        print("  due_next: %s%s at %s%s" % (it["action"], names(it), it["due"],
              " (overdue)" if it["overdue"] else ""))
    for key in ("before_deployment", "before_public_release"):
        for it in s[key]:
            print("  %s: %s%s" % (key, it["action"], names(it)))
    for it in s["still_owed"]:
        print("  still_owed: %s%s%s" % (it["action"], names(it),
              " after " + it["after"] if it["after"] else ""))
