# SPDX-License-Identifier: MIT
"""Grading a class: many submissions in one call, -j at a time, with a
progress line, a CSV, a FEEDBACK.md each and a summary for the instructor.

One submission's way: taken in (intake), its exercise's missing files
supplied, built (build.Builder), checked (grade.Checker), scored with the
weights, its feedback written.  A submission that cannot be taken in or
built is a result too, never the end of the class.
"""

import concurrent.futures
import csv
import os
import sys
import threading
import time
from dataclasses import dataclass, field

from . import definition, feedback, generate, grade, intake, runner


@dataclass
class Result:
    sub: intake.Submission
    d: object = None
    build: object = None
    checks: list = field(default_factory=list)
    points: float = 0
    total: float = 0
    error: str = ""   # why it was not graded (a bad archive, no exercise)

    def build_status(self):
        if self.error:
            return "not graded"
        if self.build is None:
            return "prebuilt"
        if self.build.ok:
            return "ok"
        return "failed" if not any(self.build.programs.values()) else "partial"


def exercise_files(d, kit_root):
    """What the exercise gives every student: CMakeLists.txt, helpers,
    .socklab-exercise (not the sources with blanks)."""
    if not d.path:  # a manifest only: nothing to supply from
        return {}
    parsed = definition.read_marked(d, kit_root)
    files = generate.render(d, parsed, "skeleton")
    programs = {os.path.basename(s) for p in d.programs for s in p.sources}
    return {n: t for n, t in files.items() if n not in programs and n != "README.md"}


class Progress:
    """`graded 37/200, 2 failing builds, ETA 3 min` on a terminal (one line,
    rewritten); a plain line per submission into a pipe or a file."""

    def __init__(self, total, stream=sys.stderr):
        self.total, self.stream = total, stream
        self.done = self.failing = 0
        self.start = time.monotonic()
        self.tty = stream.isatty()
        self.lock = threading.Lock()

    def update(self, result):
        with self.lock:
            self.done += 1
            self.failing += result.build_status() in ("failed", "partial", "not graded")
            if not self.tty:
                print(f"graded {self.done}/{self.total}: {result.sub.name} "
                      f"{result.points}/{result.total} (build {result.build_status()})",
                      file=self.stream, flush=True)
                return
            rate = (time.monotonic() - self.start) / self.done
            eta = rate * (self.total - self.done)
            eta_text = f"{eta / 60:.0f} min" if eta >= 90 else f"{eta:.0f} s"
            line = (f"graded {self.done}/{self.total}, {self.failing} failing builds"
                    + (f", ETA {eta_text}" if self.done < self.total else ""))
            print("\r" + line.ljust(60), end="\n" if self.done == self.total else "",
                  file=self.stream, flush=True)


def unique_names(paths):
    names, seen = [], {}
    for p in paths:
        n = intake.submission_name(p)
        seen[n] = seen.get(n, 0) + 1
        names.append(n if seen[n] == 1 else f"{n}-{seen[n]}")
    return names


class Grader:
    """One grading run over many submissions."""

    def __init__(self, kit_root, candidates, lab, builder, checker, workarea, weights=None,
                 feedback_dir=None, jobs=2):
        self.kit_root, self.candidates, self.lab = kit_root, candidates, lab
        self.builder, self.checker, self.workarea = builder, checker, workarea
        self.weights, self.feedback_dir, self.jobs = weights or {}, feedback_dir, jobs
        self.given = {}
        self.lock = threading.Lock()

    def files_for(self, d):
        with self.lock:
            if d.name not in self.given:
                self.given[d.name] = exercise_files(d, self.kit_root)
            return self.given[d.name]

    def grade_one(self, path, name):
        sub = intake.Submission(name, path)
        result = Result(sub)
        if runner.stopping():  # SIGTERM: the rest is not graded
            result.error = "grading stopped"
            return result
        work = os.path.join(self.workarea, "submissions", name)
        sub.src = os.path.join(work, "src")
        try:
            intake.take_in(path, sub.src)
            d = result.d = intake.identify(sub, self.lab, self.candidates, self.kit_root)
            given = self.files_for(d)
            intake.supply(sub, given)
            result.build = self.builder.build(d, work, given)
        except (intake.IntakeError, definition.DefinitionError) as e:
            result.error = str(e)
            return self.finish(result)
        logs = os.path.join(self.checker.logs, name) if self.checker.logs else ""
        result.checks = self.checker.run_checks(d, result.build.programs, os.path.join(work, "checks"),
                                                self.weights_for(d), logs=logs,
                                                build_failed=not any(result.build.programs.values()))
        return self.finish(result)

    def weights_for(self, d):
        return dict(getattr(d, "weights", {}) or {}, **self.weights)

    def finish(self, result):
        if result.checks:
            result.points, result.total = grade.score(result.checks)
        if self.feedback_dir and not runner.stopping():  # a half-graded one says nothing true
            feedback.write(self.feedback_dir, result.sub, result)
        return result

    def grade_all(self, paths, progress=None):
        names = unique_names(paths)
        results = [None] * len(paths)

        def one(i):
            results[i] = self.grade_one(paths[i], names[i])
            if progress:
                progress.update(results[i])
        with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, self.jobs)) as pool:
            list(pool.map(one, range(len(paths))))
        return results


def requirements(results):
    """Every requirement seen, in order: [(test, readable name)]."""
    seen, out = set(), []
    for r in results:
        for c in r.checks:
            if c.test not in seen:
                seen.add(c.test)
                out.append((c.test, c.requirement))
    return out


def write_csv(path, results):
    reqs = requirements(results)
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["submission", "exercise", "build"] + [n for _, n in reqs] + ["points", "total"])
        for r in results:
            status = {c.test: c.status.lower() for c in r.checks}
            w.writerow([r.sub.name, r.d.name if r.d else "", r.build_status()]
                       + [status.get(t, "") for t, _ in reqs] + [r.points, r.total])


def distribution(results):
    """Score bands of 10 %: [(label, count)], from 100 % down."""
    bands = [("100%", lambda p: p == 100)] + [
        (f"{lo}-{lo + 9}%", (lambda lo: lambda p: lo <= p < lo + 10)(lo)) for lo in range(90, -1, -10)]
    pct = [100 * r.points / r.total if r.total else 0 for r in results]
    return [(label, sum(1 for p in pct if test(p))) for label, test in bands]


GRID_MAX = 40  # submissions: a class up to this size gets the grid too
CELL = {"pass": ".", "FAIL": "X", "blocked": "b", "skip": "-", "not run": "?"}


def grid_lines(results, reqs, name_width):
    """The requirement x submission grid: one row per submission, one
    column per requirement (numbered as above, tens over units)."""
    index = {t: i for i, (t, _) in enumerate(reqs)}
    numbers = [str(i) for i in range(1, len(reqs) + 1)]
    depth = max([len(n) for n in numbers] + [1])
    out = ["\nrequirement grid (. pass, X fail, b blocked by the build, - skipped, ? not run)\n"]
    for row in range(depth):
        digits = "".join(n.rjust(depth)[row] for n in numbers)
        out.append(f"  {'':<{name_width}}  {digits}\n")
    for r in results:
        cells = [" "] * len(reqs)
        for c in r.checks:
            cells[index[c.test]] = CELL.get(c.status, "?")
        row = "".join(cells) if r.checks else ("(" + r.build_status() + ")")
        out.append(f"  {r.sub.name:<{name_width}}  {row}\n")
    return out


def summary_text(results):
    out = [f"class summary: {len(results)} submissions\n\n"]
    reqs = requirements(results)
    width = min(max([len(n) for _, n in reqs] + [11]), 60)
    out.append(f"  {'#':>2}  {'requirement':<{width}}  passed\n")
    for i, (test, name) in enumerate(reqs, start=1):
        ran = [c for r in results for c in r.checks if c.test == test and c.status != "skip"]
        passed = sum(c.status == "pass" for c in ran)
        out.append(f"  {i:>2}  {name[:width]:<{width}}  {passed}/{len(ran)}\n")
    index = {t: i for i, (t, _) in enumerate(reqs, start=1)}
    name_width = max([len(r.sub.name) for r in results] + [10])
    out.append(f"\n  {'submission':<{name_width}}  {'build':<10}  {'points':>9}  failed requirements\n")
    for r in results:
        failed = [str(index[c.test]) for c in r.checks if c.status not in ("pass", "skip")]
        why = r.error or (", ".join(failed) if failed else "-")
        out.append(f"  {r.sub.name:<{name_width}}  {r.build_status():<10}  "
                   f"{str(r.points) + '/' + str(r.total):>9}  {why}\n")
    if len(results) <= GRID_MAX:
        out += grid_lines(results, reqs, name_width)
    out.append("\nscore distribution\n")
    for label, count in distribution(results):
        if count:
            out.append(f"  {label:>7}  {count:>3}  {'#' * count}\n")
    return "".join(out)
