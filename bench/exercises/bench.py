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
average (on a busy machine the wall time grows with it).
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


def tool(*args, progress=False):
    """progress: the grader's progress lines go on to stderr, as they come."""
    r = subprocess.run([sys.executable, TOOL, *args], stdout=subprocess.PIPE,
                       stderr=None if progress else subprocess.PIPE, text=True)
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
    """(result, wall seconds, load average over the run: the 1-minute one
    at its end, or at its start for a short run)."""
    load = os.getloadavg()[0]
    start = time.monotonic()
    r = tool(*args, progress=progress)
    wall = time.monotonic() - start
    return r, wall, max(load, os.getloadavg()[0]) if wall < 60 else os.getloadavg()[0]


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
    _, wall, load = timed("grade", paths[0], *common)
    rows.append(("one correct submission, first run (configures the exercise)", wall, load))
    _, wall, load = timed("grade", paths[1], *common)
    rows.append(("one correct submission, configured tree kept", wall, load))
    r, wall, load = timed("grade", *paths, *common, "--csv", os.path.join(root, "marks.csv"), progress=True)
    rows.append((f"{a.count} submissions{' (distinct)' if a.distinct else ''}, -j {a.jobs}", wall, load))
    print(f"| run | wall | load average ({os.cpu_count()} cores) |\n|---|---|---|")
    for what, w, l in rows:
        print(f"| {what} | {w:.1f} s | {l:.1f} |")
    summary = r.stdout[r.stdout.find("score distribution"):]
    print("\n" + summary.strip())
    return 0


if __name__ == "__main__":
    sys.exit(main())
