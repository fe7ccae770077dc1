# SPDX-License-Identifier: MIT
"""The build step inside the sandbox: runs the commands of a clean build
(plan.py read them from the configured tree) for the targets asked, JOBS
compiles at a time, and like `make -k` goes on with every target that does
not need one that failed: a client that does not compile leaves the server
built.  Each command's output is printed whole when it ends, so the log
reads as one compiler message after another.

usage: python3 buildstep.py PLAN.json JOBS TARGET...   (in the build folder)

Standalone (no package imports): it runs as the sandbox's user from the
kit's read-only tree.  Exit status 0 if every target was built, else 1.
"""

import concurrent.futures
import json
import subprocess
import sys


def run(argv):
    r = subprocess.run(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    sys.stdout.buffer.write(r.stdout)
    sys.stdout.flush()
    return r.returncode == 0


def wanted(plan, targets):
    """targets and what they need, each after what it needs."""
    order = []

    def visit(name):
        if name not in order and name in plan:
            for need in plan[name]["needs"]:
                visit(need)
            order.append(name)
    for t in targets:
        visit(t)
    return order


def main(argv):
    if len(argv) < 3:
        print("usage: python3 buildstep.py PLAN.json JOBS TARGET...", file=sys.stderr)
        return 2
    with open(argv[0], encoding="utf-8") as f:
        plan = json.load(f)
    jobs, order = max(1, int(argv[1])), wanted(plan, argv[2:])
    built = set()
    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
        compiling = {}  # every object of every target at once, up to JOBS at a time
        for name in order:
            compiling[name] = [pool.submit(run, cmd) for cmd, _ in plan[name]["objects"]]
        for name in order:  # then each link, once its objects and needs are there
            ok = all(f.result() for f in compiling[name]) and all(n in built for n in plan[name]["needs"])
            if ok and all(run(cmd) for cmd in plan[name]["link"]):
                built.add(name)
    missing = [t for t in argv[2:] if t not in built]
    if missing:
        print(f"buildstep: not built: {' '.join(missing)}")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
