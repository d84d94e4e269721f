#!/usr/bin/env python3
"""closed-stdout.py COMMAND [ARG]...: runs COMMAND with its standard
output a pipe whose reader has already gone (what `| head` leaves once
head exits), with SIGPIPE at its default action as a shell gives it, and
prints how it ended: "exit N" or "killed by SIGNAME".  Standard error
passes through.  Deterministic, unlike a real `| head`, whose reader may
or may not still be there when the command writes."""
import os
import signal
import subprocess
import sys

r, w = os.pipe()
os.close(r)
# restore_signals (the default) gives the child SIGPIPE at SIG_DFL.
p = subprocess.run(sys.argv[1:], stdout=w, stdin=subprocess.DEVNULL)
os.close(w)
if p.returncode < 0:
    print("killed by " + signal.Signals(-p.returncode).name)
else:
    print("exit %d" % p.returncode)
