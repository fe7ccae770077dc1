#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Grading a class, and hostile submissions, one step per ctest test:

  class     six lottery submissions in one call (correct, byte-order bug,
            single-read bug, compile error, sources only, a .zip): the CSV
            and the summary exactly as expected, the right hint in each
            FEEDBACK.md, the compile error said once.
  hostile   sample submissions that write outside their folder (at
            configure, build and run time), read an answer key, leave a
            setsid() sleeper and a double-forked one, print 100 MB (at
            configure and at run time), fork-bomb, connect to 192.0.2.1,
            spin: each graded and contained, nothing written outside,
            nothing left running, the grader on time, the report naming
            what happened.
  weights   --weights and a definition's Weight: lines change the totals.
  keys      generate --keys puts the answer keys there and nowhere else.
  refuse    without bwrap the grader refuses; --no-sandbox warns loudly.

usage: class_test.py STEP --kit-build B --work DIR
The hostile step needs bubblewrap's sandbox (it skips, exit 77, without).
"""

import argparse
import csv
import json
import os
import re
import shutil
import subprocess
import sys
import time
import zipfile

HERE = os.path.dirname(os.path.realpath(__file__))
KIT = os.path.dirname(os.path.dirname(HERE))
TOOL = os.path.join(KIT, "exercises", "socklab-exercise")
SAMPLE = os.path.join(HERE, "sample.exercise")
SKIP = 77


def tool(*args, timeout=600):
    r = subprocess.run([sys.executable, TOOL, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       text=True, timeout=timeout)
    return r


def check(cond, message):
    if not cond:
        raise AssertionError(message)


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    return path


def read(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        return f.read()


def make(root, name, which, fills=(), keep_files=None):
    """A submission: the skeleton of `which` (["--lab", X] or ["--def", F])
    filled from the solution, blanks in fills {label: code} filled with
    that code instead; keep_files: only those files kept."""
    folder = os.path.join(root, name)
    shutil.rmtree(folder, ignore_errors=True)
    r = tool("generate", *which, "--into", folder)
    check(r.returncode == 0, r.stderr)
    args = ["fill", folder]
    for label, code in dict(fills).items():
        args += ["--with", f"{label}={write(os.path.join(root, 'fills', f'{name}.{label}.txt'), code)}"]
    r = tool(*args)
    check(r.returncode == 0, r.stdout + r.stderr)
    if keep_files is not None:
        for f in os.listdir(folder):
            if f not in keep_files:
                os.remove(os.path.join(folder, f))
    return folder


def grade(work, *args, timeout=600):
    gradework = os.path.join(work, "gradework")
    os.makedirs(gradework, exist_ok=True)
    start = time.monotonic()
    r = tool("grade", "--work", gradework, *args, timeout=timeout)
    seconds = time.monotonic() - start
    print(r.stdout)
    print(r.stderr, file=sys.stderr)
    check(r.returncode in (0, 1), f"the grader itself failed (exit {r.returncode})")
    return r, seconds


def summary_block(stdout):
    at = stdout.find("class summary:")
    check(at >= 0, "no class summary on stdout")
    return stdout[at:]


# ------------------------------------------------------------------- class

BYTE_ORDER = "uint32_t wire = (uint32_t) cmd;  // forgot htonl\nWriten(sockfd, &wire, sizeof(wire));\n"
ONE_READ = ("ssize_t n = Read(sockfd, recvline, sizeof(recvline) - 1);\n"
            "if (n == 0)\n    err_quit(\"LotteryClient: server terminated prematurely\");\nrecvline[n] = 0;\n")
DOES_NOT_COMPILE = "if (readn(connfd, &wire, sizeof(wire)) != (ssize_t) sizeof(wire)\n    break;\n"

CLASS_CSV = """\
submission,exercise,build,{reqs},points,total
alice,lottery,ok,{alice},17,17
bob,lottery,ok,{bob},{bob_points},17
carol,lottery,ok,{carol},16,17
dave,lottery,partial,{dave},{dave_points},17
erin,lottery,ok,{alice},17,17
frank,lottery,ok,{alice},17,17
"""


def class_submissions(root):
    lab = ["--lab", "lottery"]
    make(root, "alice", lab)
    make(root, "bob", lab, {"i": BYTE_ORDER})
    make(root, "carol", lab, {"j": ONE_READ})
    make(root, "dave", lab, {"e": DOES_NOT_COMPILE})
    make(root, "erin", lab, keep_files={"LotteryServer.cpp", "LotteryClient.cpp"})
    frank = make(root, "frank-folder", lab)
    with zipfile.ZipFile(os.path.join(root, "frank.zip"), "w") as z:
        for name in sorted(os.listdir(frank)):
            z.write(os.path.join(frank, name), f"frank/{name}")
    shutil.rmtree(frank)
    return [os.path.join(root, n) for n in ("alice", "bob", "carol", "dave", "erin", "frank.zip")]


def step_class(work, kit_build):
    root = os.path.join(work, "class")
    shutil.rmtree(root, ignore_errors=True)
    subs = class_submissions(os.path.join(root, "in"))
    feedback, marks = os.path.join(root, "feedback"), os.path.join(root, "marks.csv")
    r, _ = grade(root, *subs, "--kit-build", kit_build, "--csv", marks, "--feedback", feedback,
                 "--json", os.path.join(root, "report.json"))
    reports = {x["submission"]: x for x in json.load(open(os.path.join(root, "report.json")))}
    rows = list(csv.reader(open(marks, encoding="utf-8")))
    header, body = rows[0], {row[0]: row for row in rows[1:]}
    check(header[:3] == ["submission", "exercise", "build"] and header[-2:] == ["points", "total"],
          f"CSV header: {header}")
    reqs = header[3:-2]
    check(len(reqs) == 17, f"17 requirements expected, got {len(reqs)}")
    col = {name: i + 3 for i, name in enumerate(reqs)}

    def statuses(fails=(), blocked=()):
        return ",".join("blocked" if i in blocked else "fail" if i in fails else "pass"
                        for i in range(1, len(reqs) + 1))
    # bob's client sends host byte order: what the client prints of the
    # server's answers, and the fake server's view of the bytes.
    bob_fails = {3, 4, 5}
    # dave's server does not compile: every check that starts it is blocked.
    server_checks = {1, 2, 3, 4, 8, 10, 11, 12, 13, 14, 15, 16, 17}
    expected = CLASS_CSV.format(
        reqs=",".join(reqs), alice=statuses(), bob=statuses(bob_fails), bob_points=17 - len(bob_fails),
        carol=statuses({6}), dave=statuses(blocked=server_checks), dave_points=17 - len(server_checks))
    got = read(marks)
    check(got == expected, f"CSV differs:\n--- expected\n{expected}--- got\n{got}")

    # The summary: per requirement how many passed, each submission, the distribution.
    summary = summary_block(r.stdout)
    check(summary.startswith("class summary: 6 submissions\n"), summary)
    for i, name in enumerate(reqs, start=1):
        passed = sum(body[s][col[name]] == "pass" for s in body)
        check(re.search(rf"^\s+{i}\s+{re.escape(name[:60])}\s+{passed}/6$", summary, re.M),
              f"summary line for {name}: {passed}/6 expected")
    check(re.search(r"^\s+dave\s+partial\s+\d+/17\s+\d", summary, re.M), "dave's line in the summary")
    check(re.search(r"^\s+100%\s+3\s+###$", summary, re.M), "three at 100% in the distribution")

    # Feedback: the right hint for each, the compile error once.
    fb = {n: read(os.path.join(feedback, n, "FEEDBACK.md")) for n in body}
    check("(byte-order)" in fb["bob"] and "16777216" in fb["bob"], "bob: no byte-order hint\n" + fb["bob"])
    check("(short-read)" in fb["carol"], "carol: no short-read hint\n" + fb["carol"])
    check("(byte-order)" not in fb["carol"] and "(short-read)" not in fb["bob"], "a hint where it does not belong")
    for n in ("alice", "erin", "frank"):
        check("Hint" not in fb[n] and "Score: **17/17**" in fb[n], f"{n}: full marks, no hints\n{fb[n]}")
    errors = [l for l in fb["dave"].splitlines() if ": error:" in l]
    check(len(errors) >= 1 and len({l for l in errors}) == len(errors), f"dave: errors {errors}")
    first = errors[0]
    check(fb["dave"].count(first) == 1, "dave: the compiler's error is repeated")
    check(r.stdout.count(first) == 0, "the class summary repeats the compile error")
    check(sum(first in " ".join(c["details"]) for c in reports["dave"]["checks"]) == 0,
          "a blocked check repeats the compile error")
    check("could not run without it" in fb["dave"], "dave: blocked checks not listed")
    check("supplied by the exercise" in fb["erin"] and "CMakeLists.txt" in fb["erin"]
          and "guessed" in fb["erin"], "erin: the supplied files and the guess not said\n" + fb["erin"])
    check(not os.path.exists(os.path.join(root, "in", "erin", "CMakeLists.txt")),
          "erin's own folder was written into")
    print("class: CSV, summary, hints and the build failure as expected")


# ------------------------------------------------------------------ hostile

def hostile_fills(outside, key, origin):
    """{name: (fills, extra CMake)}: each a sample submission doing one
    thing a sandbox must stop."""
    w = lambda path: f'{{ FILE *f = fopen("{path}", "w"); if (f) {{ fputs("escaped\\n", f); fclose(f); }} }}\n'
    socket_a = "listenfd = Socket(AF_INET, SOCK_STREAM, 0);\n"
    accept_d = "connfd = Accept(listenfd, NULL, NULL);\n"
    socket_f = "sockfd = Socket(AF_INET, SOCK_STREAM, 0);\n"
    return {
        "write-run": ({"a": w(f"{outside}/run-write") + w(f"{origin}/run-write") + socket_a}, ""),
        "write-build": ({}, f'execute_process(COMMAND sh -c "echo escaped > {outside}/configure-write; '
                            f'echo escaped > {origin}/configure-write")\n'
                            f'add_custom_command(TARGET exsample_server POST_BUILD\n'
                            f'  COMMAND touch {outside}/build-write {origin}/build-write VERBATIM)\n'),
        "read-key": ({"f": f'{{ FILE *k = fopen("{key}", "r"); char s[200];\n'
                           '  if (k && fgets(s, sizeof s, k)) printf("key: %s", s);\n'
                           '  else printf("no key: %s\\n", strerror(errno)); fflush(stdout); }\n' + socket_f}, ""),
        "setsid-sleeper": ({"d": accept_d + 'if (fork() == 0) { setsid(); execl("/bin/sleep", "sexer-setsid", '
                                 '"600", (char *) NULL); _exit(1); }\n'}, ""),
        "double-fork": ({"d": accept_d + 'if (fork() == 0) { if (fork() == 0) { setsid(); execl("/bin/sleep", '
                              '"sexer-dfork", "600", (char *) NULL); } _exit(0); }\n'}, ""),
        "flood-run": ({"d": "{ static char junk[1 << 16]; memset(junk, 'x', sizeof junk);\n"
                            "  for (int i = 0; i < 1600; i++) if (write(1, junk, sizeof junk) < 0) break; }\n"
                            + accept_d}, ""),
        "flood-build": ({}, "execute_process(COMMAND head -c 100000000 /dev/zero)\n"),
        "fork-bomb": ({"d": accept_d + "for (;;) if (fork() < 0) for (;;) pause();\n"}, ""),
        "connect-out": ({"f": "{ struct sockaddr_in a; int s = socket(AF_INET, SOCK_STREAM, 0);\n"
                              "  memset(&a, 0, sizeof a); a.sin_family = AF_INET; a.sin_port = htons(9);\n"
                              '  inet_pton(AF_INET, "192.0.2.1", &a.sin_addr);\n'
                              '  if (connect(s, (SA *) &a, sizeof a) < 0) printf("connect 192.0.2.1: %s\\n", strerror(errno));\n'
                              '  else printf("connect 192.0.2.1: connected\\n");\n'
                              "  fflush(stdout); close(s); }\n" + socket_f}, ""),
        "spinner": ({"a": "for (volatile unsigned long i = 0;; i++) {}\n" + socket_a}, ""),
    }


def survivors():
    """Processes the hostile submissions named sexer-*."""
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            cmdline = open(f"/proc/{pid}/cmdline", "rb").read().split(b"\0")[0]
        except OSError:
            continue
        if cmdline.startswith(b"sexer-"):
            found.append(f"{pid} {cmdline.decode()}")
    return found


def step_hostile(work, kit_build):
    r = subprocess.run([sys.executable, "-c", f"import sys; sys.path.insert(0, {os.path.join(KIT, 'exercises')!r});"
                        "from socklab_exercise import sandbox; print(sandbox.available() or '')"],
                       stdout=subprocess.PIPE, text=True)
    if r.stdout.strip():
        print(f"SKIPPED: no sandbox here: {r.stdout.strip()}")
        return SKIP
    root = os.path.join(work, "hostile")
    shutil.rmtree(root, ignore_errors=True)
    outside, keys, inputs = (os.path.join(root, d) for d in ("outside", "keys", "in"))
    os.makedirs(outside)
    os.chmod(outside, 0o777)  # writable by anyone: only the sandbox stops a write
    key = write(os.path.join(keys, "sample", "SECRET.txt"), "SECRET-ANSWER-KEY-4711\n")
    subs = []
    for name, (fills, cmake) in hostile_fills(outside, key, os.path.join(inputs, "NAME")).items():
        folder = make(inputs, name, ["--def", SAMPLE], {k: v.replace("NAME", name) for k, v in fills.items()})
        if cmake:
            with open(os.path.join(folder, "CMakeLists.txt"), "a", encoding="utf-8") as f:
                f.write(cmake.replace("NAME", name))
        os.chmod(folder, 0o777)
        subs.append(folder)
    before = {s: sorted(os.listdir(s)) for s in subs}
    deadline = 300
    r, seconds = grade(root, *subs, "--kit-build", kit_build, "--hide", keys, "--json",
                       os.path.join(root, "report.json"), "--feedback", os.path.join(root, "feedback"),
                       "--timeout-test", "5", "--timeout", "60", "--limit-cpu", "3", timeout=deadline)
    reports = {x["submission"]: x for x in json.load(open(os.path.join(root, "report.json")))}
    left = survivors()
    check(not left, "still running after grading: " + "; ".join(left))
    check(not os.listdir(outside), f"written outside: {os.listdir(outside)}")
    for s in subs:
        check(sorted(os.listdir(s)) == before[s], f"{s}: the submission's own folder was written into")
    everything = r.stdout + r.stderr + read(os.path.join(root, "report.json")) + "".join(
        read(os.path.join(root, "feedback", n, "FEEDBACK.md")) for n in reports)
    check("SECRET-ANSWER-KEY" not in everything, "the answer key leaked into the report")
    check(seconds < deadline, f"the grader took {seconds:.0f} s")

    def said(name, *words):
        text = json.dumps(reports[name])
        check(any(w in text for w in words), f"{name}: the report does not say {' or '.join(words)}:\n{text}")
    said("read-key", "no key: No such file or directory")
    said("connect-out", "connect 192.0.2.1: Network is unreachable")
    # The spinner never gets to print its port: on a quiet machine the check
    # gives up waiting for the line first, on a loaded one the deadline or
    # the CPU limit stops it; either way the report says which.
    said("spinner", "time limit", "SIGXCPU", 'no \\"listening on')
    said("flood-build", "output limit")
    said("write-build", "configured from scratch")
    said("write-build", "Read-only file system")
    said("fork-bomb", "time limit")
    said("flood-run", "time limit", "output limit")
    for name in ("setsid-sleeper", "double-fork", "write-run"):
        check(reports[name]["score"] == reports[name]["total"], f"{name}: a working echo server otherwise")
    print(f"hostile: {len(subs)} submissions graded in {seconds:.0f} s, all contained")
    return 0


# ------------------------------------------------------------ weights, keys

def step_weights(work, kit_build):
    root = os.path.join(work, "weights")
    shutil.rmtree(root, ignore_errors=True)
    good = make(os.path.join(root, "in"), "good", ["--def", SAMPLE])
    bad = make(os.path.join(root, "in"), "bad", ["--def", SAMPLE], {"i": "Readline(sockfd, recvline, 4);\n"})
    weights = write(os.path.join(root, "weights.txt"),
                    "# the client's echo is worth more\nClientPrintsEachEchoedLine 4\n"
                    "SampleLab.ClientWithoutArgumentsPrintsUsage 0.5\n")
    plain, _ = grade(root, good, bad, "--kit-build", kit_build, "--csv", os.path.join(root, "plain.csv"),
                     "--timeout-test", "15")
    weighted, _ = grade(root, good, bad, "--kit-build", kit_build, "--csv", os.path.join(root, "w.csv"),
                        "--weights", weights, "--timeout-test", "15")
    totals = lambda f: {row[0]: (row[-2], row[-1]) for row in list(csv.reader(open(f)))[1:]}
    check(totals(os.path.join(root, "plain.csv")) == {"good": ("6", "6"), "bad": ("5", "6")},
          f"plain: {totals(os.path.join(root, 'plain.csv'))}")
    # 4 + 0.5 + four checks at 1: 8.5; bad fails the 4-point one.
    check(totals(os.path.join(root, "w.csv")) == {"good": ("8.5", "8.5"), "bad": ("4.5", "8.5")},
          f"weighted: {totals(os.path.join(root, 'w.csv'))}")
    # The same from the definition's Weight: lines.
    text = read(SAMPLE).replace("Program: exsample_client", "Weight: ClientPrintsEachEchoedLine 4\n"
                                "Weight: ClientWithoutArgumentsPrintsUsage 0.5\nProgram: exsample_client", 1)
    definition = write(os.path.join(root, "weighted.exercise"), text)
    by_def, _ = grade(root, good, bad, "--kit-build", kit_build, "--def", definition,
                      "--csv", os.path.join(root, "d.csv"), "--timeout-test", "15")
    check(totals(os.path.join(root, "d.csv")) == totals(os.path.join(root, "w.csv")),
          f"Weight: lines: {totals(os.path.join(root, 'd.csv'))}")
    print("weights: totals as documented")


def step_keys(work, kit_build):
    root = os.path.join(work, "keys")
    shutil.rmtree(root, ignore_errors=True)
    sheets, keys = os.path.join(root, "sheets"), os.path.join(root, "keys")
    r = tool("generate", "--def", SAMPLE, "--out", sheets, "--keys", keys)
    check(r.returncode == 0, r.stderr)
    check(sorted(os.listdir(root)) == ["keys", "sheets"], f"written: {os.listdir(root)}")
    solution = read(os.path.join(keys, "sample", "exsample_server.cpp"))
    check("Listen(listenfd, LISTENQ);" in solution and "// ---- (" not in solution, "the key is no solution")
    for dirpath, _, files in os.walk(sheets):
        for f in files:
            text = read(os.path.join(dirpath, f))
            check("Listen(listenfd, LISTENQ);" not in text, f"{f}: an answer in the students' folder")
    r = tool("generate", "--def", SAMPLE, "--out", sheets, "--keys", os.path.join(sheets, "keys"), "--force")
    check(r.returncode == 2 and "inside the students' folder" in r.stderr, f"keys inside the sheets: {r.stderr}")
    check(not os.path.exists(os.path.join(sheets, "keys")), "refused, yet written")
    print("keys: only where asked")


def step_refuse(work, kit_build):
    """No bwrap on PATH: the grader refuses student code; --no-sandbox runs
    it, and warns."""
    root = os.path.join(work, "refuse")
    shutil.rmtree(root, ignore_errors=True)
    empty = os.path.join(root, "empty-path")
    os.makedirs(empty)
    folder = make(root, "alice", ["--def", SAMPLE])
    env = dict(os.environ, PATH=empty)
    run = lambda *args: subprocess.run([sys.executable, TOOL, "grade", "--kit-build", kit_build, *args],
                                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
                                       timeout=300)
    r = run(folder)
    check(r.returncode == 2 and "refusing to run student code" in r.stderr and "bwrap" in r.stderr,
          f"no refusal without bwrap: exit {r.returncode}\n{r.stderr}")
    check("Grading" not in r.stdout, "graded anyway")
    r = run("--no-sandbox", "--kit-programs", "--def", SAMPLE)
    check(r.returncode == 0, f"--no-sandbox: exit {r.returncode}\n{r.stdout}{r.stderr}")
    check("WARNING: --no-sandbox" in r.stderr and "runs as YOU" in r.stderr, f"no loud warning:\n{r.stderr}")
    print("refuse: no sandbox, no grading; --no-sandbox warns")


def main():
    p = argparse.ArgumentParser()
    p.add_argument("step", choices=["class", "hostile", "weights", "keys", "refuse"])
    p.add_argument("--kit-build", required=True)
    p.add_argument("--work", required=True)
    a = p.parse_args()
    try:
        return {"class": step_class, "hostile": step_hostile, "weights": step_weights,
                "keys": step_keys, "refuse": step_refuse}[a.step](a.work, a.kit_build) or 0
    except AssertionError as e:
        print(f"FAILED: {e}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
