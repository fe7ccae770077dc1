#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""bench/exercises/bench.py - how fast the grader grades: one lottery
submission (build and 17 checks), then a class of generated submissions
with -j 2, every one sandboxed as in real use.

usage: bench/exercises/bench.py BUILD_DIR [--count 100] [--jobs 2] [--distinct] [--work DIR]

The class is mixed as a real one is: 60 % correct, and 10 % each of four
deliberate mistakes (the client in host byte order, the client's single
read(), a server that does not compile, bind and listen swapped).
--distinct gives every submission a comment of its own, so no program is
byte for byte one built before and the grader compiles every one (a real
class, where no two students write the same bytes); without it, identical
programs are built once.  What to observe: wall time against the goals
(<= 5 s for one, <= 5 min for 100 with -j 2) and the machine's load
average (on a busy machine the wall time grows with it).  The report
starts with the date, the commit, the machine, the compiler and the
command, so a figure can be rerun and compared.
"""

import argparse
import os
import shutil
import subprocess
import sys
import time

KIT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.realpath(__file__))))
TOOL = os.path.join(KIT, "exercises", "socklab-exercise")
FILLS = {  # name -> {blank: code}: the mistakes, as the tests make them
    "byte-order": {"i": "uint32_t wire = (uint32_t) cmd;\nWriten(sockfd, &wire, sizeof(wire));\n"},
    "one-read": {"j": "ssize_t n = Read(sockfd, recvline, sizeof(recvline) - 1);\nif (n == 0)\n"
                      "    err_quit(\"LotteryClient: server terminated prematurely\");\nrecvline[n] = 0;\n"},
    "no-compile": {"e": "if (readn(connfd, &wire, sizeof(wire)) != (ssize_t) sizeof(wire)\n    break;\n"},
}
SWAPS = {"bind-listen": ["b,c"]}


class CpuMeter:
    """The CPU time the grader and everything it starts use, sandboxes
    included: a cgroup of the bench's own (cgroup v1 cpuacct, or v2), which
    a load on the machine does not change as it changes the wall time.
    None where no cgroup can be made (not root)."""

    def __init__(self):
        self.path = self.usage = None
        for root, usage in (("/sys/fs/cgroup/cpuacct", "cpuacct.usage"), ("/sys/fs/cgroup", "cpu.stat")):
            path = os.path.join(root, f"socklab-bench-{os.getpid()}")
            try:
                os.mkdir(path)
            except OSError:
                continue
            if os.path.exists(os.path.join(path, usage)):
                self.path, self.usage = path, usage
                return
            os.rmdir(path)

    def join(self):  # in the child, before exec
        if self.path:
            with open(os.path.join(self.path, "cgroup.procs"), "w") as f:
                f.write(str(os.getpid()))

    def seconds(self):
        if not self.path:
            return None
        with open(os.path.join(self.path, self.usage)) as f:
            text = f.read()
        if self.usage == "cpu.stat":
            return int(text.split("usage_usec")[1].split()[0]) / 1e6
        return int(text) / 1e9

    def close(self):
        if self.path:
            try:
                os.rmdir(self.path)
            except OSError:
                pass


METER = None


def tool(*args, progress=False):
    """progress: the grader's progress lines go on to stderr, as they come."""
    r = subprocess.run([sys.executable, TOOL, *args], stdout=subprocess.PIPE,
                       stderr=None if progress else subprocess.PIPE, text=True,
                       preexec_fn=METER.join if METER else None)
    if r.returncode not in (0, 1):
        sys.exit(f"bench: socklab-exercise {' '.join(args[:2])} failed:\n{r.stderr}")
    return r


def kind_of(i):
    """60 % correct, then the four mistakes in turn."""
    kinds = ["correct"] * 6 + ["byte-order", "one-read", "no-compile", "bind-listen"]
    return kinds[i % len(kinds)]


def make_class(root, count, distinct):
    skeleton = os.path.join(root, "skeleton")
    tool("generate", "--lab", "lottery", "--into", skeleton)
    paths = []
    for i in range(count):
        kind = kind_of(i)
        folder = os.path.join(root, "class", f"s{i:03d}-{kind}")
        shutil.copytree(skeleton, folder)
        args = ["fill", folder]
        for label, code in FILLS.get(kind, {}).items():
            path = os.path.join(root, f"{kind}.{label}.txt")
            with open(path, "w", encoding="utf-8") as f:
                f.write(code)
            args += ["--with", f"{label}={path}"]
        for pair in SWAPS.get(kind, []):
            args += ["--swap", pair]
        tool(*args)
        if distinct:
            for name in ("LotteryServer.cpp", "LotteryClient.cpp"):
                with open(os.path.join(folder, name), "a", encoding="utf-8") as f:
                    f.write(f"// student {i}\n")
        paths.append(folder)
    return paths


def timed(*args, progress=False):
    """(result, wall seconds, load averages (1 minute) at the start and the
    end of the run)."""
    load = os.getloadavg()[0]
    cpu = METER.seconds() if METER else None
    start = time.monotonic()
    r = tool(*args, progress=progress)
    wall = time.monotonic() - start
    used = METER.seconds() - cpu if cpu is not None else None
    return r, wall, (load, os.getloadavg()[0]), used


def setting(build):
    """What the figures depend on, for the report's head."""
    def out(*cmd):
        try:
            return subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                                  cwd=KIT).stdout.strip()
        except OSError:
            return "?"
    cache = {}
    with open(os.path.join(build, "CMakeCache.txt"), encoding="utf-8", errors="replace") as f:
        for line in f:
            name, _, value = line.rstrip("\n").partition("=")
            cache[name.split(":")[0]] = value
    compiler = out(cache.get("CMAKE_CXX_COMPILER", "c++"), "--version").splitlines()[:1]
    return [f"date: {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, commit {out('git', 'rev-parse', '--short', 'HEAD')}",
            f"machine: {os.cpu_count()} cores, {out('uname', '-r')}; compiler: {' '.join(compiler)}, "
            f"build type {cache.get('CMAKE_BUILD_TYPE') or '(none)'}"
            f"{', sanitized' if cache.get('SOCKLAB_SANITIZE', 'OFF').upper() in ('ON', '1', 'TRUE') else ''}",
            "command: " + " ".join(["bench/exercises/bench.py"] + sys.argv[1:])]


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("build")
    p.add_argument("--count", type=int, default=100)
    p.add_argument("--jobs", type=int, default=2)
    p.add_argument("--distinct", action="store_true")
    p.add_argument("--work", default=None)
    a = p.parse_args()
    build = os.path.abspath(a.build)
    root = a.work or os.path.join(build, "bench", "exercises")
    shutil.rmtree(root, ignore_errors=True)
    os.makedirs(root)
    paths = make_class(root, a.count, a.distinct)
    common = ["--kit-build", build, "--work", root, "-j", str(a.jobs)]
    rows = []
    shutil.rmtree(os.path.join(build, "exercises", "configured"), ignore_errors=True)
    global METER
    METER = CpuMeter()
    try:
        _, *one = timed("grade", paths[0], *common)
        rows.append(("one correct submission, first run (configures the exercise)", *one, ""))
        _, *again = timed("grade", paths[1], *common)
        rows.append(("one correct submission, configured tree kept", *again, "<= 5 s"))
        r, *many = timed("grade", *paths, *common, "--csv", os.path.join(root, "marks.csv"), progress=True)
        rows.append((f"{a.count} submissions{' (distinct)' if a.distinct else ''}, -j {a.jobs}", *many,
                     f"<= {300 * a.count / 100:.0f} s" if a.jobs == 2 else ""))
    finally:
        METER.close()
    print("\n".join(setting(build)) + "\n")
    print(f"| run | wall | goal | CPU time | load average at start, end ({os.cpu_count()} cores) |\n"
          "|---|---|---|---|---|")
    for what, w, (l0, l1), cpu, goal in rows:
        print(f"| {what} | {w:.1f} s | {goal or '-'} | {'-' if cpu is None else f'{cpu:.1f} s'} "
              f"| {l0:.1f}, {l1:.1f} |")
    print("\n(A load average above the number of cores: other work shared the machine, and the wall\n"
          "times grew with it. The CPU time, of the grader and all it started, does not: on an idle\n"
          f"machine the wall time of the class is about CPU time / {os.cpu_count()} cores, or more.)")
    summary = r.stdout[r.stdout.find("score distribution"):]
    print("\n" + summary.strip())
    return 0


if __name__ == "__main__":
    sys.exit(main())
