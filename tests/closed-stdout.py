#!/usr/bin/env python3
"""closed-stdout.py: runs sircomm ($SIRCOMM) once per line of standard
input (the arguments, shell-quoted, $VARIABLES expanded), each time with
its standard output a pipe whose reader has already gone (what `| head`
leaves once head exits) and SIGPIPE at its default action, as a shell
gives it; prints one line per run: its first two arguments and how it
ended, "exit N" or "killed by SIGNAME".  Standard error passes through.
Deterministic, unlike a real `| head`, whose reader may or may not still
be there when the command writes; one Python start for every run."""
import os
import shlex
import signal
import subprocess
import sys

sircomm = os.environ["SIRCOMM"]
for text in sys.stdin:
    args = [os.path.expandvars(a) for a in shlex.split(text, comments=True)]
    if not args:
        continue
    r, w = os.pipe()
    os.close(r)
    sys.stdout.flush()
    # restore_signals (the default) gives the child SIGPIPE at SIG_DFL.
    p = subprocess.run([sircomm] + args, stdout=w, stdin=subprocess.DEVNULL)
    os.close(w)
    how = "killed by " + signal.Signals(-p.returncode).name if p.returncode < 0 \
        else "exit %d" % p.returncode
    print("%s: %s" % (" ".join(text.split()[:2]), how), flush=True)
