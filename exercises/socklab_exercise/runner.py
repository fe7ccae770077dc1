# SPDX-License-Identifier: MIT
"""Running a command that may never end: with a deadline, a cap on the
output read from it, and everything it started killed afterwards.

Sandboxed (sandbox.py), the command is bwrap, and killing bwrap ends its
pid namespace: every process the step started dies with it, setsid() and
double forks included.  Without the sandbox (--no-sandbox) the command
runs in a session of its own and each process of that session is killed:
a program that calls setsid() itself escapes that.
"""

import os
import select
import signal
import subprocess
import threading
import time
from dataclasses import dataclass

CHUNK = 65536

# Every command running now, so that a grader told to stop (SIGTERM,
# stop_all) ends them at once and starts no more: then its work area can
# be removed before it exits.
_running = set()
_running_lock = threading.Lock()
_stopping = False


def stop_all():
    """Kills every running command's process group (a sandbox dies with
    its bwrap) and makes run() refuse new ones."""
    global _stopping
    with _running_lock:
        _stopping = True
        for proc in list(_running):
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass


def stopping():
    return _stopping


@dataclass
class Result:
    returncode: int    # negative: killed by that signal
    output: str        # stdout and stderr, interleaved (at most the cap)
    timed_out: bool    # stopped at the deadline
    seconds: float
    output_limited: bool = False  # stopped: more output than the cap

    def stopped_because(self):
        """Why the step ended the way it did, in words, or ''."""
        if self.output_limited:
            return "output limit: it printed more than the grader reads, stopped"
        if self.timed_out:
            return "time limit: still running at the deadline, stopped"
        # Killed by a signal: negative, or (bwrap passes its child's end on
        # as a shell does) 128 + the signal.
        signo = -self.returncode if self.returncode < 0 else (
            self.returncode - 128 if 128 < self.returncode < 160 else 0)
        if signo:
            name = signal.Signals(signo).name if signo in signal.valid_signals() else ""
            why = {"SIGXCPU": " (CPU time limit)", "SIGXFSZ": " (file size limit)",
                   "SIGKILL": " (killed)", "SIGSEGV": " (a crash)"}.get(name, "")
            return f"killed by {name or signo}{why}"
        return ""


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


def _read_until(fd, proc, deadline, cap, kept):
    """Reads fd into kept (a bytearray, at most cap bytes) until EOF, the
    process's end, or the deadline.  Returns 'eof', 'exited', 'time' or
    'output'."""
    seen = 0
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            return "time"
        ready, _, _ = select.select([fd], [], [], min(left, 0.2))
        if not ready:
            if proc.poll() is not None:
                return "exited"
            continue
        data = os.read(fd, CHUNK)
        if not data:
            return "eof"
        seen += len(data)
        kept += data[:max(0, cap - len(kept))]
        if seen > cap:
            return "output"


def run(cmd, timeout, env=None, cwd=None, log_path=None, cap=4 << 20):
    """Runs cmd with stdout+stderr into a pipe the grader reads, at most cap
    bytes; kills it (its sandbox, or its session) at the deadline, when the
    output passes the cap, and after it ends.  log_path: a copy of the
    output kept there."""
    start = time.monotonic()
    if _stopping:
        return Result(-signal.SIGTERM, "", False, 0.0)
    rfd, wfd = os.pipe()
    try:
        with _running_lock:
            proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=wfd, stderr=wfd,
                                    env=env, cwd=cwd, start_new_session=True)
            _running.add(proc)
    except BaseException:
        os.close(rfd)
        raise
    finally:
        os.close(wfd)
    kept = bytearray()
    try:
        why = _read_until(rfd, proc, start + max(timeout, 0.1), cap, kept)
        if why in ("eof", "exited"):
            try:
                proc.wait(timeout=max(0.1, start + timeout - time.monotonic()))
            except subprocess.TimeoutExpired:
                why = "time"
        if why in ("time", "output"):
            try:
                os.killpg(proc.pid, signal.SIGKILL)  # bwrap (and its namespace) or the program
            except ProcessLookupError:
                pass
        kill_session(proc.pid)  # the session id is the leader's pid
        proc.wait()
        # What is still in the pipe: the sandbox is gone, so EOF comes; a
        # --no-sandbox child that escaped the session may hold it: 1 s.
        if why != "output":
            _read_until(rfd, proc, time.monotonic() + 1, cap, kept)
    finally:
        os.close(rfd)
        with _running_lock:
            _running.discard(proc)
    output = kept.decode("utf-8", errors="replace")
    if log_path:
        with open(log_path, "w", encoding="utf-8") as f:
            f.write(output)
    return Result(proc.returncode, output, why == "time", time.monotonic() - start,
                  output_limited=why == "output")
