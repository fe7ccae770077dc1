#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The exercises' round trip, one step per ctest test:

  generate   (fixture) writes the skeleton twice (same bytes?), the filled
             skeleton and the broken fills; checks the labels: every one
             once, in order, in the sources and in the README; checks that
             filling the skeleton back in gives the solution byte for byte.
  skeleton   the skeleton builds, and the grader fails it.
  filled     the skeleton filled back in from the solution: full marks.
  solution   the kit's own programs (the checks' compiled-in paths): full marks.
  broken:N   a deliberately broken fill: exactly the checks it should fail
             fail, every other passes.
  installed  (sample) the generated folder builds against an installed kit.
  hang       (sample) programs that never end and children that leave
             their process group: grading ends on time, nothing left running.

usage: exercise_test.py STEP EXERCISE --kit-build B --work DIR
Each folder is built once, by the step that grades it, under DIR/EXERCISE/.
"""

import argparse
import filecmp
import json
import os
import re
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.realpath(__file__))
KIT = os.path.dirname(os.path.dirname(HERE))
TOOL = os.path.join(KIT, "exercises", "socklab-exercise")

# Where each exercise is defined, when not in exercises/labs/.
DEFINITIONS = {"sample": os.path.join(HERE, "sample.exercise")}

# TinyinetdLab's checks that need a connection served through exec.
TINYINETD_SERVING = ["TheServerItExecsReadsAndWritesTheConnection", "AnExternalDaytimeServerAnswersOnStdout",
                     "TheClientSeesTheEndWhenTheServerExits", "TwoClientsAreServedAtOnce",
                     "TheSelectLoopServesEveryService", "EndedServersAreReapedNoZombies"]

# Broken fills: the code a student might write, and the checks it must fail.
# Everything not listed must still pass: a check that fails for a blank it
# does not test is as wrong as one that passes a broken program.
BROKEN = {
    "sample": {
        # listen() before bind(): listen binds an ephemeral port itself, so
        # bind() then fails with EINVAL and the server exits.
        "bind-listen-swapped": {
            "swap": [("b", "c")],
            "fails": ["ServerPrintsThePortItListensOn", "ServerEchoesBytesExactly",
                      "ClientPrintsEachEchoedLine", "SecondServerOnTheSamePortFailsWithBindError",
                      "ServerKeepsServingAfterAClientVanishes"],
        },
        # One read() of 4 bytes for the echo instead of a line: the client
        # prints pieces of lines; the server's checks do not care.
        # A client that does not compile: the server is still graded, and
        # only the client's checks fail (partial credit, not a zero).
        "client-does-not-compile": {
            "with": {"i": "if (Readline(sockfd, recvline) == 0)  // one argument short\n"
                          "    err_quit(\"str_cli: server terminated prematurely\");\n"},
            "unbuilt": ["exsample_client"],
            "fails": ["ClientPrintsEachEchoedLine", "ClientWithoutArgumentsPrintsUsage"],
        },
        "client-read-size": {
            "with": {"i": "ssize_t n = Read(sockfd, recvline, 4);\nrecvline[n] = 0;\n"},
            "fails": ["ClientPrintsEachEchoedLine"],
            # The sample's checks take milliseconds (ASan: 0.4 s); the failing
            # one need not wait out its three 10 s reads.  15 s: margin for a
            # check starting on a slow machine under ctest -j2 and grader -j2.
            "timeout": 15,
        },
    },
    "daytime": {
        # write() with the size of a pointer (sizeof applied to a char *),
        # not the line's length: 8 bytes of the date.  Every check that reads
        # the server's answer fails; the client's own (refused connection,
        # usage) do not care.  (sizeof buff, the whole buffer, would pass:
        # DaytimeLab matches the answer as a C string, blind after its NUL.)
        "server-write-size": {
            "with": {"e": "if (write(connfd, buff, sizeof(char *)) < 0)\n"
                          "    err_ret(\"write error\");\n"},
            "fails": ["ServerSendsOneRfc867Line", "ClientPrintsTheServersLineAndExitsZero",
                      "ServerServesClientsOneAfterAnotherWithoutLeaking",
                      "ServerSurvivesAClientThatResets"],
        },
    },
    "echo": {
        # The fork server's parent keeps its copy of connfd: descriptors pile
        # up, and a child's death sends no FIN, so the client never learns
        # that its server is gone (UNP 5.6's lesson).
        "parent-keeps-connfd": {
            "with": {"n": "// (the parent forgets to close its copy of connfd)\n"},
            "fails": ["ForkServerParentAndChildCloseTheSocketsTheyDoNotUse",
                      "ClientReportsServerTerminatedPrematurely"],
            # EchoLab's checks take under a second (ASan on a loaded machine:
            # 0.8 s); the two failing ones end by themselves after their
            # 10 s waits.  A passing check cut short fails the step, so no
            # tighter per-check deadline than the checks' own.
            "timeout": 30,
        },
        # Not broken: a different right answer, recv() for read(), which no
        # check may reject.  (Reading 7 bytes at a time is right too, but
        # each 4 KiB piece then goes back in many small writes, and Nagle's
        # algorithm waiting for the client's delayed ACK makes a 1 MiB echo
        # take minutes: EchoLab's 1 MiB check times out.)
        "recv-is-right-too": {
            "with": {"e": "n = recv(connfd, buf, sizeof buf, 0);  // read() with flags: the same here\n"},
            "fails": [],
        },
    },
    "filetransfer": {
        # The client writes the whole segment buffer, not the segment's
        # length: a file whose size is a multiple of 256 still comes out
        # right, any other gets padding.
        "client-write-size": {
            "with": {"l": "if (writen(part.fd(), segment.buf, sizeof segment.buf) != (ssize_t) sizeof segment.buf)\n"},
            "fails": ["CopiesOneByte", "Copies257Bytes", "ClientReassemblesSegmentsSplitAcrossReads"],
        },
    },
    "filetransfer-iterative": {
        # The single-shot habit: each connection gets one request, the
        # server closes after it.  Every session of one file still works;
        # a second file, or a file after a refusal, does not.
        "one-request-per-connection": {
            "with": {"e": "static bool answered_one = false;  // each forked child starts with false\n"
                          "n = answered_one ? 0 : readn(connfd, hdr, sizeof hdr);\n"
                          "answered_one = true;\n"},
            "fails": ["SessionOverStdinFetchesThreeFiles", "TwoClientsAtOnce", "MissingFileIsRefused",
                      "UnreadableFileIsRefused", "DirectoryIsRefused", "DotDotEscapeIsRefused",
                      "AbsolutePathOutsideIsRefused", "SymlinkOutOfTheDirectoryIsRefused",
                      "TenKiBPathIsRefused"],
        },
    },
    "udp-echo": {
        # The server without bind(): its socket has no port (it reports 0),
        # and recvfrom() waits for ever.  The client's checks do not care.
        "server-no-bind": {
            "with": {"d": "// (no bind: the socket never gets its port)\n"},
            "fails": ["ServerPrintsThePortItIsBoundTo", "ServerBindsThePortItIsGiven",
                      "ServerEchoesADatagramByteExactToItsSender", "ServerEchoesEmptyAndLargestDatagrams",
                      "ServerAnswersEachOfTwoClientsWithItsOwnDatagram", "SecondServerOnTheSamePortFailsInBind"],
        },
        # The port in host byte order: port 0 is the same both ways, so only
        # the checks that give the server a port see it (the second server
        # binds the first one's port swapped: no conflict).
        "server-port-host-order": {
            "with": {"c": "servaddr.sin_port = static_cast<uint16_t>(port);  // host byte order\n"},
            "fails": ["ServerBindsThePortItIsGiven", "SecondServerOnTheSamePortFailsInBind"],
        },
        # The client's datagrams go to the port with its bytes swapped.
        "client-port-host-order": {
            "with": {"f": "servaddr.sin_port = static_cast<uint16_t>(port);  // host byte order\n"},
            "fails": ["ClientSendsEachLineAsOneDatagramToThePortGiven", "ClientPrintsTheReplyNotItsOwnLine",
                      "ClientEndsAtTheEndOfItsInput"],
        },
    },
    "http": {
        # No SIGCHLD handler: every child that ends stays a zombie.
        "no-sigchld-handler": {
            "large": True,  # four C++ sources, some 15 s of CPU to build
            "with": {"d": "// (no SIGCHLD handler)\n"},
            "fails": ["ChildrenAreReapedNoZombies"],
        },
        # The child keeps the listening socket: the port outlives the server.
        "child-keeps-listenfd": {
            "large": True,  # four C++ sources, some 15 s of CPU to build
            "with": {"g": "// (the child keeps listenfd)\n"},
            "fails": ["TheChildDoesNotKeepTheListeningSocket"],
        },
        # The parent keeps connfd: a descriptor leaks per client.
        "parent-keeps-connfd": {
            "large": True,  # four C++ sources, some 15 s of CPU to build
            "with": {"h": "// (the parent keeps its copy of connfd)\n"},
            "fails": ["TheParentClosesEachConnection"],
        },
        # The status line ends with a bare LF: no client reads the answer.
        "status-line-bare-lf": {
            "large": True,  # four C++ sources, some 15 s of CPU to build
            "with": {"l": "head += std::to_string(r.status) + \" \" + reason_phrase(r.status) + \"\\n\";\n"},
            "fails": ["GetOfAFileAnswers200WithItsBytesAndLength", "EveryLineOfTheHeadEndsWithCrlf",
                      "TheRequestLineIsReadAsMethodTargetAndVersion", "MissingFileAnswers404AndTheServerGoesOn",
                      "ALargeFileComesWhole", "AnIdleClientDoesNotHoldUpTheNext", "TheParentClosesEachConnection",
                      "ChildrenAreReapedNoZombies", "TheChildDoesNotKeepTheListeningSocket"],
        },
    },
    "tinyinetd": {
        # No dup2(): the server reads and writes tinyinetd's own stdin and
        # stdout, never the connection.
        "no-dup2": {
            "with": {"b": "// (no dup2)\n"},
            "fails": TINYINETD_SERVING,
        },
        # The parent keeps connfd: the server's exit sends no FIN.
        "parent-keeps-connfd": {
            "with": {"g": "// (tinyinetd keeps its copy of connfd)\n"},
            "fails": ["TheClientSeesTheEndWhenTheServerExits"],
        },
        "no-sigchld-handler": {
            "with": {"h": "// (no SIGCHLD handler)\n"},
            "fails": ["EndedServersAreReapedNoZombies"],
        },
        # A forking built-in's child keeps every listening socket.
        "child-keeps-listening-sockets": {
            "with": {"a": "// (the child keeps the other sockets)\n"},
            "fails": ["AForkedChildDoesNotKeepTheListeningSockets"],
        },
        # maxfd never raised: pselect(0, ...) watches nothing.
        "maxfd-not-set": {
            "with": {"j": "// (maxfd not updated)\n"},
            "fails": TINYINETD_SERVING + ["AForkedChildDoesNotKeepTheListeningSockets"],
        },
    },
    "udp-filetransfer": {
        # No bind(): the server reports port 0 and receives nothing.
        "server-no-bind": {
            "with": {"d": "// (no bind)\n"},
            "fails": ["ServerPrintsThePortItIsBoundTo", "ServerBindsThePortItIsGiven", "GetCopiesAFileByteExact",
                      "PutStoresAFileByteExact", "AnEmptyFileComesThroughToo",
                      "TwoClientsAtOnceEachGetTheirOwnFile", "SecondServerOnTheSamePortFailsInBind"],
        },
        "server-port-host-order": {
            "with": {"c": "servaddr.sin_port = static_cast<uint16_t>(port);  // host byte order\n"},
            "fails": ["ServerBindsThePortItIsGiven", "SecondServerOnTheSamePortFailsInBind"],
        },
        # recvfrom() without the sender's address: no reply finds its client.
        "recvfrom-without-the-sender": {
            "with": {"e": "len = sizeof cliaddr;\nn = recvfrom(sockfd, buf, sizeof buf, MSG_DONTWAIT, nullptr, nullptr);\n"},
            "fails": ["GetCopiesAFileByteExact", "PutStoresAFileByteExact", "AnEmptyFileComesThroughToo",
                      "TwoClientsAtOnceEachGetTheirOwnFile"],
        },
    },
    "lottery": {
        "bind-listen-swapped": {
            "swap": [("b", "c")],
            "fails": ["FullSessionDrawsSixDistinctNumbersThenFull", "SeedMakesTheDrawReproducible",
                      "ClientTranscriptMatchesTheHandout", "ClientAsksAgainOnInputThatIsNotACommand",
                      "ClientReportsAServerKilledWhileItWaitsForInput",
                      "ServerAnswersUnknownCommandsAndGoesOn", "ServerReadsCommandsWhateverTheSegments",
                      "ServerSurvivesAMebibyteOfGarbage",
                      "ServerEndsCleanlyWhenAClientVanishesMidCommand",
                      "SecondClientWaitsThenIsDropped", "ConnectionsDroppedInTheQueueDoNotDisturbTheSession",
                      "SecondServerOnTheSamePortFailsInBind"],
        },
        # The handout's client: one read() for the answer, not a line.
        "client-one-read": {
            "with": {"j": "ssize_t n = Read(sockfd, recvline, sizeof(recvline) - 1);\n"
                          "if (n == 0)\n"
                          "    err_quit(\"LotteryClient: server terminated prematurely\");\n"
                          "recvline[n] = 0;\n"},
            "fails": ["ClientPrintsAnAnswerThatArrivesInPieces"],
            # LotteryLab's take up to 4 s (ASan, loaded: the MiB of
            # garbage); the failing one ends by itself after its 10 s wait.
            # A passing check cut short fails the step: no tighter deadline.
            "timeout": 30,
        },
    },
}


# A student's worst: a server whose children leave its process group and
# never end, a client that never answers.  Grading must still end on time
# and leave nothing running.
HANG_SERVER = """\
connfd = Accept(listenfd, NULL, NULL);
if (Fork() == 0) {
    setpgid(0, 0);  // out of the group the tests stop
    signal(SIGTERM, SIG_IGN);
    for (;;)
        pause();
}
"""
HANG_CLIENT = """\
for (;;)
    pause();
"""


def write_text(folder, name, text):
    path = os.path.join(folder, name)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    return path


def processes_from(folder):
    """Processes whose program lives under folder (the grader's work area)."""
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            exe = os.readlink(f"/proc/{pid}/exe")
        except OSError:
            continue
        if exe.startswith(folder + "/"):
            found.append(f"{pid} {exe}")
    return found


def tool(*args, check=True, timeout=900):
    r = subprocess.run([sys.executable, TOOL, *args], stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, text=True, timeout=timeout)
    if check and r.returncode != 0:
        raise AssertionError(f"socklab-exercise {' '.join(args)}: exit {r.returncode}\n{r.stdout}")
    return r


def which(exercise):
    d = DEFINITIONS.get(exercise)
    return ["--def", d] if d else ["--lab", exercise]


def grade(folder_or_none, kit_build, json_path, *extra):
    # Inside ctest's TIMEOUT (600 s): the grader stops itself first, and
    # kills what it started, rather than being killed and leaving it
    # (build 240 s + all checks 300 s).  Per check as long as the longest
    # check allows itself: FiletransferIterativeLab's 4 GiB copy waits up
    # to 240 s for its client and takes some 40 s under ASan on a loaded
    # 2-core machine, so the grader's default of 60 s would cut it short on
    # a slower one.
    work = os.path.join(os.path.dirname(json_path), "gradework")
    os.makedirs(work, exist_ok=True)
    args = ["grade"] + ([folder_or_none] if folder_or_none else []) + \
        ["--kit-build", kit_build, "--json", json_path, "--work", work,
         "--timeout-build", "240", "--timeout", "300", "--timeout-test", "240", *extra]
    r = tool(*args, check=False)
    print(r.stdout)
    if r.returncode not in (0, 1):
        raise AssertionError(f"the grader itself failed (exit {r.returncode})")
    with open(json_path, encoding="utf-8") as f:
        return json.load(f)


def check(cond, message):
    if not cond:
        raise AssertionError(message)


def sources_of(folder):
    return sorted(f for f in os.listdir(folder) if f.endswith((".c", ".cpp", ".h", ".hpp")))


def labels_in(text):
    return re.findall(r"^[ \t]*// ---- \(([a-z]+)\) .* ----$", text, re.M)


def expected_labels(n):
    return [chr(ord("a") + i) for i in range(n)] if n <= 26 else None


def step_generate(ex, work):
    shutil.rmtree(os.path.join(work, ex), ignore_errors=True)
    root = os.path.join(work, ex)
    skel, again = os.path.join(root, "skeleton"), os.path.join(root, "skeleton-again")
    tool("generate", *which(ex), "--into", skel)
    tool("generate", *which(ex), "--into", again)

    # Stable: the same input gives the same bytes, file for file.
    names = sorted(os.listdir(skel))
    check(names == sorted(os.listdir(again)), f"two runs wrote different files: {names}")
    match, mismatch, errors = filecmp.cmpfiles(skel, again, names, shallow=False)
    check(not mismatch and not errors, f"two runs differ in {mismatch + errors}")
    shutil.rmtree(again)

    # Labels: once each, (a), (b), ... in the order of the program files
    # (the manifest lists them in label order), and in the README's table.
    manifest = open(os.path.join(skel, ".socklab-exercise"), encoding="utf-8").read()
    order = [w for line in manifest.splitlines() if line.startswith(("Program:", "Support:"))
             for w in line.split()[1:] if "." in w]
    order = [f for i, f in enumerate(order) if f not in order[:i]]
    labels = []
    for name in order:
        text = open(os.path.join(skel, name), encoding="utf-8").read()
        check("//@blank" not in text, f"{name}: a marker survived into the skeleton")
        labels += labels_in(text)
    check(labels and labels == expected_labels(len(labels)),
          f"labels not once each and in order: {labels}")
    readme = open(os.path.join(skel, "README.md"), encoding="utf-8").read()
    table = re.findall(r"^\| \(([a-z]+)\) \|", readme, re.M)
    check(table == labels, f"README lists {table}, the sources have {labels}")
    listed = re.search(r"^## What the grader checks\n\n.*?\n\n((?:- .*\n)+)", readme, re.M)
    check(listed, "the README lists no checks: is the lab's suite in its test sources?")

    # Filled back in from the solution = the solution, byte for byte.
    filled, solution = os.path.join(root, "filled"), os.path.join(root, "solution")
    shutil.copytree(skel, filled)
    tool("fill", filled)
    tool("generate", *which(ex), "--solution", "--into", solution)
    for name in sources_of(solution):
        check(filecmp.cmp(os.path.join(filled, name), os.path.join(solution, name), shallow=False),
              f"{name}: filling the skeleton in did not give the solution back")
        text = open(os.path.join(filled, name), encoding="utf-8").read()
        check(not labels_in(text) and "//@blank" not in text, f"{name}: blanks or markers left")
    shutil.rmtree(solution)

    if ex == "sample":
        # --keep leaves one blank as it is and fills the rest.
        kept = os.path.join(root, "kept")
        shutil.copytree(skel, kept)
        tool("fill", kept, "--keep", "a")
        left = [l for n in order for l in labels_in(open(os.path.join(kept, n), encoding="utf-8").read())]
        check(left == ["a"], f"--keep a left {left} blank")
        shutil.rmtree(kept)

        folder = os.path.join(root, "hang")
        shutil.copytree(skel, folder)
        tool("fill", folder, "--with", f"d={write_text(root, 'hang.d.txt', HANG_SERVER)}",
             "--with", f"i={write_text(root, 'hang.i.txt', HANG_CLIENT)}")

    for name, spec in BROKEN.get(ex, {}).items():
        folder = os.path.join(root, "broken-" + name)
        shutil.copytree(skel, folder)
        args = ["fill", folder]
        for x, y in spec.get("swap", []):
            args += ["--swap", f"{x},{y}"]
        for label, code in spec.get("with", {}).items():
            path = os.path.join(root, f"broken-{name}.{label}.txt")
            with open(path, "w", encoding="utf-8") as f:
                f.write(code)
            args += ["--with", f"{label}={path}"]
        tool(*args)
    print(f"{ex}: {len(labels)} blanks, stable, in order; fill gives the solution back")


def built_all(report):
    return report["build"] is None or all(report["build"]["programs"].values())


def step_skeleton(ex, work, kit_build):
    folder = os.path.join(work, ex, "skeleton")
    # Short deadlines: a skeleton's checks fail at once or wait for an
    # answer that never comes; either way it must not get full marks.
    report = grade(folder, kit_build, os.path.join(work, ex, "skeleton.json"), "--timeout-test", "4")
    check(report["build"]["ok"] and built_all(report), "the skeleton must build as it is")
    check(report["total"] > 0 and report["score"] < report["total"],
          "the skeleton passed every check: the checks cannot see the blanks")


def step_full_marks(report, what):
    check(built_all(report), f"{what}: did not build")
    check(report["total"] > 0 and report["score"] == report["total"],
          f"{what}: {report['score']}/{report['total']}, expected full marks")


def step_filled(ex, work, kit_build):
    folder = os.path.join(work, ex, "filled")
    step_full_marks(grade(folder, kit_build, os.path.join(work, ex, "filled.json")), "filled skeleton")


def step_solution(ex, work, kit_build):
    # The kit's own binaries: the checks' compiled-in paths, no override.
    report = grade(None, kit_build, os.path.join(work, ex, "solution.json"),
                   "--kit-programs", *which(ex))
    step_full_marks(report, "the solution")


def step_broken(ex, name, work, kit_build):
    spec = BROKEN[ex][name]
    folder = os.path.join(work, ex, "broken-" + name)
    # The default per-check timeout: a check that should pass may be slow
    # (a 4 GiB transfer); one that should fail fails at its own deadline.
    extra = ["--timeout-test", str(spec["timeout"])] if "timeout" in spec else []
    report = grade(folder, kit_build, os.path.join(work, ex, f"broken-{name}.json"), *extra)
    unbuilt = sorted(n for n, ok in report["build"]["programs"].items() if not ok)
    check(unbuilt == sorted(spec.get("unbuilt", [])), f"programs that did not build: {unbuilt}")
    if unbuilt:
        check(any(": error:" in e for e in report["build"]["errors"]), "no compiler error reported")
    status = {c["test"].split(".", 1)[1]: c["status"] for c in report["checks"]}
    unknown = sorted(set(spec["fails"]) - set(status))
    check(not unknown, f"no such checks (renamed?): {unknown}")
    # A check skipped here (e.g. no unprivileged user to test with) says nothing.
    wrong = sorted(t for t, st in status.items() if st != "skip"
                   and (st == "pass") == (t in spec["fails"]))
    check(not wrong, "these checks should have " + ", ".join(
        f"{'failed' if t in spec['fails'] else 'passed'}: {t}" for t in wrong))


def step_hang(ex, work, kit_build):
    folder = os.path.join(work, ex, "hang")
    report = grade(folder, kit_build, os.path.join(work, ex, "hang.json"),
                   "--timeout-test", "4", "--timeout", "20")
    check(built_all(report), "the hanging fill must build")
    check(report["score"] < report["total"], "a client that never answers passed")
    # The per-check deadline held: the hanging check was stopped by it (the
    # grader says so), not by its own waits, which add up to 30 s.  Timed
    # per check, not as a whole: the build's time depends on the machine.
    stopped = [c["test"] for c in report["checks"]
               if any(d.startswith("no result within") for d in c["details"])]
    check("SampleLab.ClientPrintsEachEchoedLine" in stopped,
          "the client that never answers was not stopped at its 4 s deadline: "
          + json.dumps(report["checks"], indent=1))
    # 4 s, then killing what it started: well under the check's own 30 s.
    slow = [f"{c['test']} {c['seconds']:.1f} s" for c in report["checks"] if c["seconds"] > 20]
    check(not slow, f"a timeout did not hold: {slow}")
    left = processes_from(os.path.join(work, ex, "gradework"))
    check(not left, "still running after grading: " + "; ".join(left))


def step_installed(ex, work, kit_build):
    """The generated CMakeLists.txt against an installed kit: find_package(unp),
    then pkg-config unp, with no kit build tree in sight."""
    root = os.path.join(work, ex, "installed")
    shutil.rmtree(root, ignore_errors=True)
    prefix, folder = os.path.join(root, "prefix"), os.path.join(root, "solution")
    env = {k: v for k, v in os.environ.items() if k != "SOCKLAB_KIT_BUILD"}

    def run(*cmd, **extra):
        r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                           env=dict(env, **extra), timeout=240)
        check(r.returncode == 0, f"{' '.join(cmd)}: exit {r.returncode}\n{r.stdout[-3000:]}")

    run("cmake", "--install", kit_build, "--prefix", prefix)
    tool("generate", *which(ex), "--solution", "--into", folder)
    kit = {}
    for line in open(os.path.join(kit_build, "CMakeCache.txt"), encoding="utf-8"):
        name, _, value = line.rstrip("\n").partition("=")
        kit[name.split(":")[0]] = value
    compilers = [f"-DCMAKE_{lang}_COMPILER={kit[f'CMAKE_{lang}_COMPILER']}" for lang in ("C", "CXX")]
    if kit.get("SOCKLAB_SANITIZE", "OFF").upper() in ("ON", "1", "TRUE", "YES"):
        # An installed sanitized libunp needs the sanitizers in the program.
        flags = "-fsanitize=address,undefined"
        compilers += [f"-DCMAKE_CXX_FLAGS={flags}", f"-DCMAKE_EXE_LINKER_FLAGS={flags}"]
    for how, extra in (("find_package", {"CMAKE_PREFIX_PATH": prefix}),
                       ("pkg-config", {"PKG_CONFIG_PATH": os.path.join(prefix, "lib", "pkgconfig")})):
        build = os.path.join(root, "build-" + how)
        run("cmake", "-S", folder, "-B", build, *compilers, **extra)
        run("cmake", "--build", build, "-j", "2")
        for p in sorted(f for f in os.listdir(folder) if f.endswith(".cpp")):
            exe = os.path.join(build, p[:-4])
            check(os.access(exe, os.X_OK), f"{how}: no {exe}")
    print(f"{ex}: builds against the installed kit, by find_package and by pkg-config")


def main():
    p = argparse.ArgumentParser()
    p.add_argument("step")
    p.add_argument("exercise")
    p.add_argument("--kit-build", required=True)
    p.add_argument("--work", required=True)
    a = p.parse_args()
    try:
        if a.step == "generate":
            step_generate(a.exercise, a.work)
        elif a.step == "skeleton":
            step_skeleton(a.exercise, a.work, a.kit_build)
        elif a.step == "filled":
            step_filled(a.exercise, a.work, a.kit_build)
        elif a.step == "installed":
            step_installed(a.exercise, a.work, a.kit_build)
        elif a.step == "hang":
            step_hang(a.exercise, a.work, a.kit_build)
        elif a.step == "solution":
            step_solution(a.exercise, a.work, a.kit_build)
        elif a.step.startswith("broken:"):
            step_broken(a.exercise, a.step.split(":", 1)[1], a.work, a.kit_build)
        elif a.step == "list-broken":
            print(";".join(BROKEN.get(a.exercise, {})))
        elif a.step == "list-large":  # the broken fills slow enough for the `large` label
            print(";".join(f"broken:{n}" for n, spec in BROKEN.get(a.exercise, {}).items() if spec.get("large")))
        else:
            raise AssertionError(f"unknown step {a.step}")
    except AssertionError as e:
        print(f"FAILED: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
