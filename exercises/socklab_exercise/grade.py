# SPDX-License-Identifier: MIT
"""Grading: run the kit's own checks for a lab (the GoogleTest suite
<Exercise>Lab) against a student's programs, and score each requirement.

The kit's tests find the programs they start through program_path(name),
which honours SOCKLAB_PROG_<name>=/path: that is the only hook needed.  Each
check runs as its own process in a sandbox of its own (sandbox.py) with a
deadline, so one hung check costs its timeout and nothing more, and
whatever it started dies with its sandbox.
"""

import concurrent.futures
import json
import os
import re
import shutil
import threading
import time
from dataclasses import dataclass, field

from . import runner, sandbox
from .build import build_errors
from .sandbox import INSIDE, base_env
from .summary import readable_name, summarize_failure

UNBUILT = "did-not-build"  # in the path given for a program that did not build
CHECKS_PER_JOB = 3         # checks at once per -j slot


class GradeError(Exception):
    """The grading itself cannot run (no kit build, no test binary)."""


@dataclass
class Check:
    test: str                 # "LotteryLab.GenAnswersNewNumber"
    requirement: str          # "Gen answers new number"
    status: str = "not run"   # pass, FAIL, skip, blocked (a program did not build), not run
    details: list = field(default_factory=list)  # the report's lines
    failures: list = field(default_factory=list) # GoogleTest's whole messages
    stopped: str = ""         # why the grader stopped it (time, output limit), or ""
    weight: float = 1.0
    seconds: float = 0.0


def find_test_binary(d, kit_build):
    path = os.path.join(kit_build, d.test)
    if not os.access(path, os.X_OK):
        target = os.path.basename(d.test)
        raise GradeError(f"the kit's checks for {d.name} are not built: no {path}\n"
                         f"build them first: cmake --build {kit_build} --target {target}")
    return path


def list_tests(test_bin, suite):
    # The kit's own binary, listing its tests: nothing of a student's runs.
    r = runner.run([test_bin, f"--gtest_filter={suite}.*", "--gtest_list_tests"], 60)
    if r.returncode != 0 or r.timed_out:
        raise GradeError(f"{test_bin} --gtest_list_tests failed:\n{r.output}")
    tests, current = [], None
    for line in r.output.splitlines():
        name = line.split("#")[0].strip()  # "  Name/0  # GetParam() = 3"
        if not name:
            continue
        if not line.startswith(" "):
            current = name[:-1] if name.endswith(".") else None  # "LotteryLab."
        elif current:
            tests.append(f"{current}.{name}")
    if not tests:
        raise GradeError(f"{test_bin} has no tests in suite {suite}: is the lab's {suite} written yet?")
    return tests


@dataclass
class Checker:
    """Runs checks for one grading run: the kit's build, the sandbox, the
    deadlines, and a semaphore of the checks that may run at once (a
    check mostly waits on sockets: LotteryLab's 17 take 3 s, 1 s of it
    CPU, so more of them run at once than builds; CHECKS_PER_JOB per -j)."""
    kit_build: str
    sandbox: object
    per_test: float
    overall: float
    slots: threading.Semaphore
    logs: str = ""           # keep each check's output and JSON in logs/<submission>/
    parallel: int = 4        # checks of one submission at once (the slots bound them all)

    def run_check(self, check, test_bin, programs, scratch, logs):
        """One check in a sandbox of its own: scratch (its private, writable
        folder, also its /tmp's neighbour) at /tmp/submission, the
        submission's build read-only at /tmp/submission/build."""
        os.makedirs(scratch)
        self.sandbox.give(scratch)
        # Its temporary files on disk, in its own folder: the private /tmp
        # is a small tmpfs, and the kit's checks copy files of gigabytes.
        env = base_env(TMPDIR=INSIDE)
        readonly = []
        where = INSIDE if self.sandbox.enabled else scratch
        for name, path in programs.items():
            if path is None:  # a stand-in that leaves a mark: the check was blocked
                stand_in = os.path.join(scratch, f"{name}-{UNBUILT}")
                with open(stand_in, "w", encoding="utf-8") as f:
                    f.write(f"#!/bin/sh\n: > '{where}/blocked-{name}'\n"
                            f"echo '{name}: did not build' >&2\nexit 127\n")
                os.chmod(stand_in, 0o755)
                env[f"SOCKLAB_PROG_{name}"] = f"{where}/{name}-{UNBUILT}"
            elif self.sandbox.enabled:
                env[f"SOCKLAB_PROG_{name}"] = f"{INSIDE}/build/{name}"
                readonly = [(os.path.dirname(path), f"{INSIDE}/build")]
            else:
                env[f"SOCKLAB_PROG_{name}"] = path
        cmd = [test_bin, f"--gtest_filter={check.test}", f"--gtest_output=json:{where}/report.json",
               "--gtest_color=no"]
        if not self.sandbox.enabled:
            env = dict(os.environ, **dict(env, TMPDIR=scratch))
        cmd = self.sandbox.wrap(cmd, scratch, readonly=readonly, env=env)
        with self.slots:
            r = sandbox.run(self.sandbox, cmd, check.timeout, env=None if self.sandbox.enabled else env,
                           cwd=None if self.sandbox.enabled else scratch,
                           log_path=os.path.join(scratch, "output.log"), cap=self.sandbox.limits.output)
        check.seconds = r.seconds
        judge(check, r, os.path.join(scratch, "report.json"))
        blocked = sorted(n[len("blocked-"):] for n in os.listdir(scratch) if n.startswith("blocked-"))
        if blocked and check.status == "FAIL":
            check.status, check.details = "blocked", [f"needs {', '.join(blocked)}, which did not build"]
        if logs:
            stem = re.sub(r"[^\w.-]", "_", check.test)
            for name, ext in (("output.log", ".log"), ("report.json", ".json")):
                if os.path.exists(os.path.join(scratch, name)):
                    shutil.copyfile(os.path.join(scratch, name), os.path.join(logs, stem + ext))
        return check

    def run_checks(self, d, programs, workdir, weights=None, build_failed=False, logs=""):
        """Every check of the suite against programs ({name: host path or
        None}; empty: the kit's own); workdir: a folder for the checks'
        scratch folders; logs: where to keep their output."""
        test_bin = find_test_binary(d, self.kit_build)
        checks = [Check(t, readable_name(t.split(".", 1)[1])) for t in list_tests_cached(test_bin, d.suite)]
        for c in checks:
            c.weight = weight_of(weights or {}, c.test)
        if logs:
            os.makedirs(logs, exist_ok=True)
        if build_failed or (programs and not any(programs.values())):
            for c in checks:  # nothing to run: said once, with the build's errors
                c.status = "blocked"
            return checks
        deadline = time.monotonic() + self.overall

        def one(i_check):
            i, check = i_check
            left = deadline - time.monotonic()
            if left <= 0:
                check.details = [f"not run: the whole grading ran out of its {self.overall:.0f} s"]
                return check
            check.timeout = min(self.per_test, left)
            return self.run_check(check, test_bin, programs, os.path.join(workdir, f"check-{i}"), logs)
        with concurrent.futures.ThreadPoolExecutor(max_workers=self.parallel) as pool:
            list(pool.map(one, enumerate(checks)))
        return checks


_listed = {}
_listed_lock = threading.Lock()


def list_tests_cached(test_bin, suite):
    with _listed_lock:
        if (test_bin, suite) not in _listed:
            _listed[(test_bin, suite)] = list_tests(test_bin, suite)
        return _listed[(test_bin, suite)]


def weight_of(weights, test):
    """weights: {"LotteryLab.Name" or "Name": points}."""
    short = test.split(".", 1)[1]
    return weights.get(test, weights.get(short, weights.get(re.sub(r"/\d+$", "", short), 1.0)))


def judge(check, r, json_path):
    """The check's status and details from its run and GoogleTest's JSON."""
    if r.timed_out or r.output_limited:
        check.status = "FAIL"
        check.stopped = r.stopped_because()
        check.details = [f"no result within {check.timeout:.0f} s (a program that never answers?): stopped"
                         if r.timed_out else
                         "stopped: more output than the grader reads (a program printing without end?)"]
        return
    try:
        with open(json_path, encoding="utf-8") as f:
            report = json.load(f)
        cases = [t for s in report.get("testsuites", []) for t in s.get("testsuite", [])]
    except (OSError, ValueError):
        cases = []
    if not cases:
        how = r.stopped_because() or f"exit {r.returncode}"
        tail = [l for l in r.output.splitlines() if l.strip()][-4:]
        check.status = "FAIL"
        check.stopped = how
        check.details = [f"the check itself ended without a result ({how})"] + tail
        return
    case = cases[0]
    failures = [f.get("failure", "") for f in case.get("failures", [])]
    if case.get("result") == "SKIPPED" and not failures:
        check.status = "skip"
        check.details = [l for l in r.output.splitlines() if "Skipped" in l or "skipped" in l][:1]
    elif failures:
        check.status = "FAIL"
        check.failures = failures
        for failure in failures[:3]:
            check.details += summarize_failure(failure)
        if len(failures) > 3:
            check.details.append(f"... and {len(failures) - 3} more failures")
    else:
        check.status = "pass"


def score(checks):
    """(points, total): skipped checks count for neither."""
    counted = [c for c in checks if c.status != "skip"]
    points = sum(c.weight for c in counted if c.status == "pass")
    total = sum(c.weight for c in counted)
    return _number(points), _number(total)


def _number(x):
    return int(x) if float(x).is_integer() else round(x, 2)


def report_text(d, where, build_result, checks, notes=(), width=100):
    """The table a single submission's grading prints."""
    out = [f"Grading exercise {d.name} ({where}) with the kit's {d.suite} checks\n"]
    out += [f"note: {n}\n" for n in list(notes) + (build_result.notes if build_result else [])]
    if build_result is not None:
        built = ", ".join(f"{n} {'built' if p else 'DID NOT BUILD'}"
                          for n, p in build_result.programs.items())
        out.append(f"build: {built}\n")
        if not build_result.ok:
            out += [f"  | {line[:2 * width]}\n" for line in build_errors(build_result.log)]
            blocked = [str(i) for i, c in enumerate(checks, start=1) if c.status == "blocked"]
            if blocked:
                out.append(f"  blocked by the build: {len(blocked)} checks ({', '.join(blocked)})\n")
    out.append("\n")
    name_width = min(max([len(c.requirement) for c in checks] + [11]), 64)
    out.append(f"  {'#':>2}  {'requirement':<{name_width}}  result\n")
    out.append(f"  {'--':>2}  {'-' * name_width}  ------\n")
    for i, c in enumerate(checks, start=1):
        req = c.requirement if len(c.requirement) <= name_width else c.requirement[:name_width - 1] + "~"
        out.append(f"  {i:>2}  {req:<{name_width}}  {c.status}\n")
        if c.status != "blocked":  # the build's errors, said once above
            out += [f"        {line[:width]}\n" for line in c.details]
    got, total = score(checks)
    skipped = sum(c.status == "skip" for c in checks)
    percent = round(100 * got / total) if total else 0
    out.append(f"\nscore: {got}/{total} ({percent}%)"
               + (f", {skipped} skipped (not counted)" if skipped else "") + "\n")
    return "".join(out)


def report_json(result):
    """A classroom.Result as JSON, for a script."""
    b = result.build
    return {
        "submission": result.sub.name,
        "folder": result.sub.origin,
        "exercise": result.d.name if result.d else None,
        "suite": result.d.suite if result.d else None,
        "notes": result.sub.notes + (b.notes if b else []),
        "error": result.error or None,
        "build": None if b is None else {
            "ok": b.ok,
            "programs": {n: p is not None for n, p in b.programs.items()},
            "errors": [] if b.ok else build_errors(b.log),
            "seconds": round(b.seconds, 3),
        },
        "checks": [{"test": c.test, "requirement": c.requirement, "status": c.status,
                    "weight": c.weight, "details": c.details, "stopped": c.stopped or None,
                    "seconds": round(c.seconds, 3)} for c in result.checks],
        "score": result.points,
        "total": result.total,
    }
