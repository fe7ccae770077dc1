# SPDX-License-Identifier: MIT
"""Running a command that may never end: in a session of its own, with a
deadline, and everything it started killed afterwards.

A student's server that forks, or hangs in accept(), must not outlive the
grading.  The kit's test harness starts each program in a process group of
its own, so killing one group is not enough; every process of the session
is (a program would have to call setsid() itself to escape).
"""

import os
import signal
import subprocess
import tempfile
import time
from dataclasses import dataclass


@dataclass
class Result:
    returncode: int    # negative: killed by that signal
    output: str        # stdout and stderr, interleaved
    timed_out: bool
    seconds: float


def session_members(sid):
    pids = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="utf-8", errors="replace") as f:
                stat = f.read()
        except OSError:
            continue  # gone already
        fields = stat[stat.rfind(")") + 2:].split()
        # after "pid (comm) ": state ppid pgrp session ...
        # Zombies are dead already: their parent (or we) reap them.
        if len(fields) > 3 and int(fields[3]) == sid and fields[0] != "Z":
            pids.append(int(entry))
    return pids


def kill_session(sid):
    """SIGKILL to every process of the session, until none is left."""
    for _ in range(50):
        members = session_members(sid)
        if not members:
            return
        for pid in members:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        time.sleep(0.01)


def run(cmd, timeout, env=None, cwd=None, log_path=None):
    """Runs cmd with stdout+stderr to a file (never a pipe a stray child
    could hold open: log_path, or a temporary file); kills its whole session
    at the deadline and after it ends."""
    start = time.monotonic()
    with (open(log_path, "w+b") if log_path else tempfile.TemporaryFile()) as log:
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                                env=env, cwd=cwd, start_new_session=True)
        timed_out = False
        try:
            proc.wait(timeout=max(timeout, 0.1))
        except subprocess.TimeoutExpired:
            timed_out = True
        kill_session(proc.pid)  # the session id is the leader's pid
        proc.wait()
        log.seek(0)
        output = log.read().decode("utf-8", errors="replace")
    return Result(proc.returncode, output, timed_out, time.monotonic() - start)
