#!/usr/bin/env python3
"""SIGTERM to tritonc while ptxas runs: tritonc must stop ptxas, remove its temporary folder and
die by the signal (as make expects), leaving no output.

usage: sigterm_during_ptxas.py TRITONC KERNEL.tt WORKDIR
WORKDIR gets a private TMPDIR (which must be empty afterwards) and the would-be output.
"""
import os
import signal
import subprocess
import sys
import time

tritonc, kernel, work = sys.argv[1:4]
tmpdir = os.path.join(work, "tmp")
os.makedirs(tmpdir, exist_ok=True)
pidfile = os.path.join(work, "ptxas.pid")
here = os.path.dirname(os.path.abspath(__file__))
env = dict(os.environ, TMPDIR=tmpdir, SLOW_PTXAS_PID=pidfile)
proc = subprocess.Popen([tritonc, kernel, "-o", os.path.join(work, "k.cubin"),
                         "--ptxas", os.path.join(here, "fake-ptxas-slow.sh")], env=env)
deadline = time.time() + 60
while not os.path.exists(pidfile) or not open(pidfile).read().strip():
    if proc.poll() is not None or time.time() > deadline:
        sys.exit("tritonc ended (%s) before ptxas started" % proc.returncode)
    time.sleep(0.05)
ptxas = int(open(pidfile).read())
proc.send_signal(signal.SIGTERM)
try:
    rc = proc.wait(timeout=20)
except subprocess.TimeoutExpired:
    proc.kill()
    sys.exit("tritonc did not end within 20 s of SIGTERM")
problems = []
if rc != -signal.SIGTERM:
    problems.append("tritonc exited with %s, not killed by SIGTERM" % rc)
time.sleep(0.2)
try:
    os.kill(ptxas, 0)
    # A zombie counts as gone only if it is not ours to reap: check its state.
    state = open("/proc/%d/stat" % ptxas).read().split()[2]
    if state != "Z":
        problems.append("ptxas (pid %d) is still running" % ptxas)
except (ProcessLookupError, FileNotFoundError):
    pass
left = os.listdir(tmpdir)
if left:
    problems.append("temporary files left in TMPDIR: %s" % left)
if os.path.exists(os.path.join(work, "k.cubin")):
    problems.append("an output was written")
if problems:
    sys.exit("\n".join(problems))
print("sigterm: ptxas stopped, temporaries removed")
