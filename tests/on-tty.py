#!/usr/bin/env python3
"""on-tty.py COMMAND [ARG...]: runs the command with its standard output
on a pseudo-terminal (what a person at a terminal gives it), copies what
it wrote to our standard output with each ESC shown as <ESC>, so that a
case can see where colour starts and stops, and exits with its status.
Standard input is /dev/null; standard error passes through."""
import os
import pty
import subprocess
import sys
import tty

main, sub = pty.openpty()
tty.setraw(sub)  # no CR added before each LF
p = subprocess.Popen(sys.argv[1:], stdin=subprocess.DEVNULL, stdout=sub)
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
sys.stdout.write(data.decode("utf-8", "replace").replace("\x1b", "<ESC>"))
sys.exit(p.wait())
