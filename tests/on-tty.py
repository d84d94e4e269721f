#!/usr/bin/env python3
"""on-tty.py [--stderr] COMMAND [ARG...]: runs the command with its
standard output on a pseudo-terminal (what a person at a terminal gives
it), copies what it wrote to our standard output with each ESC shown as
<ESC>, so that a case can see where colour starts and stops, and exits
with its status.  Standard input is /dev/null; standard error passes
through.

With --stderr, it is standard error that is on the pseudo-terminal
(where progress is drawn), each carriage return shown as <CR> besides;
the command's standard output is discarded."""
import os
import pty
import subprocess
import sys
import tty

args = sys.argv[1:]
on_stderr = args[:1] == ["--stderr"]
if on_stderr:
    args = args[1:]
main, sub = pty.openpty()
tty.setraw(sub)  # no CR added before each LF
if on_stderr:
    p = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=sub)
else:
    p = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=sub)
os.close(sub)
data = b""
while True:
    try:
        chunk = os.read(main, 65536)
    except OSError:  # EIO: the command closed its side
        break
    if not chunk:
        break
    data += chunk
os.close(main)
text = data.decode("utf-8", "replace").replace("\x1b", "<ESC>")
if on_stderr:
    text = text.replace("\r", "<CR>")
sys.stdout.write(text)
sys.exit(p.wait())
