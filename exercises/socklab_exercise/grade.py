# SPDX-License-Identifier: MIT
"""Grading: build a student's exercise folder, run the kit's own checks for
that lab (the GoogleTest suite <Exercise>Lab) against the student's
programs, and report each requirement.

The kit's tests find the programs they start through program_path(name),
which honours SOCKLAB_PROG_<name>=/path: that is the only hook needed.  Each
test runs as its own process with a deadline, so one hung check costs its
timeout and nothing more, and whatever it started is killed with it.
"""

import concurrent.futures
import json
import os
import re
import tempfile
import time
from dataclasses import dataclass, field

from . import runner
from .summary import readable_name, summarize_failure


class GradeError(Exception):
    """The grading itself cannot run (no kit build, no test binary)."""


@dataclass
class Check:
    test: str                 # "LotteryLab.GenAnswersNewNumber"
    requirement: str          # "Gen answers new number"
    status: str = "not run"   # pass, FAIL, skip, not run
    details: list = field(default_factory=list)
    seconds: float = 0.0


@dataclass
class Build:
    ok: bool = True
    programs: dict = field(default_factory=dict)  # name -> path (None: did not build)
    log: str = ""


def read_cache(build_dir):
    values = {}
    try:
        with open(os.path.join(build_dir, "CMakeCache.txt"), encoding="utf-8", errors="replace") as f:
            for line in f:
                m = re.match(r"^([A-Za-z_][\w.-]*):[A-Z]+=(.*)$", line.rstrip("\n"))
                if m:
                    values[m[1]] = m[2]
    except OSError:
        pass
    return values


def build(folder, d, kit_build, build_dir, timeout, jobs):
    """Configures and builds each program on its own, so a client that does
    not compile still leaves the server to be graded."""
    deadline = time.monotonic() + timeout
    result = Build()
    kit = read_cache(kit_build)
    configure = ["cmake", "-S", folder, "-B", build_dir, f"-DSOCKLAB_KIT_BUILD={kit_build}"]
    if not os.path.exists(os.path.join(build_dir, "CMakeCache.txt")):
        # The kit's compilers: a sanitized libunp needs the same runtime.
        for var in ("CMAKE_C_COMPILER", "CMAKE_CXX_COMPILER", "CMAKE_BUILD_TYPE"):
            if kit.get(var):
                configure.append(f"-D{var}={kit[var]}")
    os.makedirs(build_dir, exist_ok=True)
    log_path = os.path.join(build_dir, "socklab-configure.log")
    r = runner.run(configure, deadline - time.monotonic(), log_path=log_path)
    result.log += r.output
    if r.returncode != 0 or r.timed_out:
        result.ok = False
        if r.timed_out:
            result.log += f"\ncmake configure: still running after {timeout:.0f} s, stopped\n"
        result.programs = {p.name: None for p in d.programs}
        return result
    for p in d.programs:
        log_path = os.path.join(build_dir, f"socklab-build-{p.name}.log")
        r = runner.run(["cmake", "--build", build_dir, "--target", p.name, "-j", str(jobs)],
                       deadline - time.monotonic(), log_path=log_path)
        exe = os.path.join(build_dir, p.name)
        if r.returncode == 0 and not r.timed_out and os.access(exe, os.X_OK):
            result.programs[p.name] = exe
        else:
            result.ok = False
            result.programs[p.name] = None
            result.log += r.output
            if r.timed_out:
                result.log += f"\nbuilding {p.name}: still running at the deadline, stopped\n"
    return result


def find_test_binary(d, kit_build):
    path = os.path.join(kit_build, d.test)
    if not os.access(path, os.X_OK):
        target = os.path.basename(d.test)
        raise GradeError(f"the kit's checks for {d.name} are not built: no {path}\n"
                         f"build them first: cmake --build {kit_build} --target {target}")
    return path


def list_tests(test_bin, suite):
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


def run_check(check, test_bin, env, timeout, workdir):
    stem = re.sub(r"[^\w.-]", "_", check.test)
    json_path = os.path.join(workdir, stem + ".json")
    log_path = os.path.join(workdir, stem + ".log")
    cmd = [test_bin, f"--gtest_filter={check.test}", f"--gtest_output=json:{json_path}",
           "--gtest_color=no"]
    # Each check gets a TMPDIR of its own, removed afterwards: a check
    # stopped at its deadline never reaches its own cleanup.
    with tempfile.TemporaryDirectory(prefix="socklab-check-") as scratch:
        r = runner.run(cmd, timeout, env=dict(env, TMPDIR=scratch), cwd=workdir, log_path=log_path)
    check.seconds = r.seconds
    if r.timed_out:
        check.status = "FAIL"
        check.details = [f"no result within {timeout:.0f} s (a program that never answers?): stopped"]
        return check
    try:
        with open(json_path, encoding="utf-8") as f:
            report = json.load(f)
        cases = [t for s in report.get("testsuites", []) for t in s.get("testsuite", [])]
    except (OSError, ValueError):
        cases = []
    if not cases:
        how = (f"killed by signal {-r.returncode}" if r.returncode < 0 else f"exit {r.returncode}")
        tail = [l for l in r.output.splitlines() if l.strip()][-4:]
        check.status = "FAIL"
        check.details = [f"the check itself ended without a result ({how})"] + tail
        return check
    case = cases[0]
    failures = case.get("failures", [])
    if case.get("result") == "SKIPPED" and not failures:
        check.status = "skip"
        skipped = [l for l in r.output.splitlines() if "Skipped" in l or "skipped" in l]
        check.details = skipped[:1]
    elif failures:
        check.status = "FAIL"
        for failure in failures[:3]:
            check.details += summarize_failure(failure.get("failure", ""))
        if len(failures) > 3:
            check.details.append(f"... and {len(failures) - 3} more failures")
    else:
        check.status = "pass"
    return check


def run_checks(d, programs, kit_build, per_test, overall, jobs, logs=None):
    """Runs every check of the suite; logs: a folder to keep each check's
    output and JSON in (default: a temporary one, removed)."""
    if logs:
        os.makedirs(logs, exist_ok=True)
        return _run_checks(d, programs, kit_build, per_test, overall, jobs, logs)
    with tempfile.TemporaryDirectory(prefix="socklab-grade-") as workdir:
        return _run_checks(d, programs, kit_build, per_test, overall, jobs, workdir)


def _run_checks(d, programs, kit_build, per_test, overall, jobs, workdir):
    test_bin = find_test_binary(d, kit_build)
    checks = [Check(t, readable_name(t.split(".", 1)[1])) for t in list_tests(test_bin, d.suite)]
    env = dict(os.environ, GTEST_COLOR="no")
    for name, path in programs.items():
        # A program that did not build points nowhere: its checks fail to start it.
        env[f"SOCKLAB_PROG_{name}"] = path or f"/nonexistent/{name} (did not build)"
    deadline = time.monotonic() + overall

    def one(check):
        left = deadline - time.monotonic()
        if left <= 0:
            check.details = [f"not run: the whole grading ran out of its {overall:.0f} s"]
            return check
        return run_check(check, test_bin, env, min(per_test, left), workdir)
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        list(pool.map(one, checks))
    return checks


def score(checks):
    counted = [c for c in checks if c.status != "skip"]
    return sum(c.status == "pass" for c in counted), len(counted)


def build_errors(log, folder):
    """The compiler's and linker's error lines, paths relative to the
    student's folder; make's own lines left out.  If none look like that
    (cmake failed), the log's last lines."""
    prefix = folder.rstrip("/") + "/"
    errors = [l.replace(prefix, "") for l in log.splitlines()
              if re.search(r": (fatal )?error:|undefined reference|CMake Error", l)]
    if not errors:
        errors = [l for l in log.splitlines() if l.strip()][-6:]
    if len(errors) > 12:
        errors = errors[:11] + [f"... {len(errors) - 11} more errors"]
    return errors


def report_text(d, where, build_result, checks, width=100):
    out = []
    out.append(f"Grading exercise {d.name} ({where}) with the kit's {d.suite} checks\n")
    if build_result is not None:
        built = ", ".join(f"{n} {'built' if p else 'DID NOT BUILD'}"
                          for n, p in build_result.programs.items())
        out.append(f"build: {built}\n")
        if not build_result.ok:
            for line in build_errors(build_result.log, where)[:12]:
                out.append(f"  | {line[:2 * width]}\n")
    out.append("\n")
    name_width = min(max([len(c.requirement) for c in checks] + [11]), 64)
    out.append(f"  {'#':>2}  {'requirement':<{name_width}}  result\n")
    out.append(f"  {'--':>2}  {'-' * name_width}  ------\n")
    for i, c in enumerate(checks, start=1):
        req = c.requirement if len(c.requirement) <= name_width else c.requirement[:name_width - 1] + "~"
        out.append(f"  {i:>2}  {req:<{name_width}}  {c.status}\n")
        for line in c.details:
            out.append(f"        {line[:width]}\n")
    got, total = score(checks)
    skipped = sum(c.status == "skip" for c in checks)
    percent = round(100 * got / total) if total else 0
    out.append(f"\nscore: {got}/{total} ({percent}%)"
               + (f", {skipped} skipped (not counted)" if skipped else "") + "\n")
    return "".join(out)


def report_json(d, folder, build_result, checks):
    got, total = score(checks)
    return {
        "exercise": d.name,
        "folder": folder,
        "suite": d.suite,
        "build": None if build_result is None else {
            "ok": build_result.ok,
            "programs": {n: p is not None for n, p in build_result.programs.items()},
            "errors": [] if build_result.ok else build_errors(build_result.log, folder or ""),
        },
        "checks": [{"test": c.test, "requirement": c.requirement, "status": c.status,
                    "details": c.details, "seconds": round(c.seconds, 3)} for c in checks],
        "score": got,
        "total": total,
    }
