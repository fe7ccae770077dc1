#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The marker rules (CONTRIBUTING.md, "Blanks for exercises"), each broken
once: the generator must refuse with a message naming the file, the line
and the rule, never write a skeleton that silently drops or misplaces a
blank.  Also the round trip on a small text, line endings included."""

import os
import sys
import unittest

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.join(os.path.dirname(os.path.realpath(__file__)), "..", "..", "exercises"))

from socklab_exercise import markers  # noqa: E402
from socklab_exercise.summary import readable_name, summarize_failure  # noqa: E402
from socklab_exercise import feedback, grade, intake  # noqa: E402

GOOD = """int main()
{
    int fd;
    fd = Socket(AF_INET, SOCK_STREAM, 0);   //@blank (a) socket()
    //@blank-begin (b) read(): until EOF
    while ((n = read(fd, buf, sizeof buf)) > 0)
        Writen(1, buf, n);
    //@blank-end
}
"""


def parse_all(*texts):
    parts = [markers.parse(t, f"f{i}.cpp") for i, t in enumerate(texts)]
    markers.check_labels([b for p in parts for b in markers.blanks(p)])
    return parts


class Rules(unittest.TestCase):
    def refused(self, text, *words, more=()):
        with self.assertRaises(markers.MarkerError) as cm:
            parse_all(text, *more)
        for w in words:
            self.assertIn(w, str(cm.exception))
        return str(cm.exception)

    def test_a_good_file_passes(self):
        parts = parse_all(GOOD)
        self.assertEqual([b.label for b in markers.blanks(parts[0])], ["a", "b"])

    def test_label_and_hint_required(self):
        self.refused("    x = 1;  //@blank socket()\n", "f0.cpp:1", "label and a hint")
        self.refused("    x = 1;  //@blank (a)\n", "f0.cpp:1", "label and a hint")
        self.refused("    //@blank-begin\n    x;\n    //@blank-end\n", "f0.cpp:1", "label and a hint")

    def test_block_must_close(self):
        self.refused("    //@blank-begin (a) x\n    y;\n", "f0.cpp:1", "no //@blank-end")

    def test_end_without_begin(self):
        self.refused("    y;\n    //@blank-end\n", "f0.cpp:2", "without a //@blank-begin")

    def test_no_nesting(self):
        self.refused("//@blank-begin (a) x\n//@blank-begin (b) y\nz;\n//@blank-end\n//@blank-end\n",
                     "f0.cpp:2", "inside the block (a)")
        self.refused("//@blank-begin (a) x\nz;  //@blank (b) y\n//@blank-end\n",
                     "f0.cpp:2", "inside the block (a)")

    def test_empty_blank(self):
        self.refused("//@blank-begin (a) x\n\n//@blank-end\n", "f0.cpp:1", "empty")
        self.refused("    //@blank (a) x\n", "f0.cpp:1", "empty line")

    def test_unknown_marker(self):
        self.refused("x;  //@blank-start (a) x\n", "f0.cpp:1", "unknown or misplaced marker")
        self.refused("//@blank-begin (a) x\ny;\n//@blank-end (a)\n", "f0.cpp:3", "nothing may follow")

    def test_labels_once_in_order_across_files(self):
        self.refused("a;  //@blank (b) x\n", "f0.cpp:1", "out of order", "must be (a)")
        self.refused("a;  //@blank (a) x\nb;  //@blank (c) y\n", "f0.cpp:2", "after (a)", "must be (b)")
        self.refused("a;  //@blank (a) x\n", "f1.cpp:1", "used twice", "f0.cpp:1",
                     more=["b;  //@blank (a) y\n"])
        parse_all("a;  //@blank (a) x\n", "b;  //@blank (b) y\n")  # across files: fine

    def test_label_names_run_past_z(self):
        self.assertEqual([markers.label_name(i) for i in (0, 25, 26, 27)], ["a", "z", "aa", "ab"])


class Declarations(unittest.TestCase):
    """A blank that declares what later code uses: the skeleton cannot
    compile.  The check warns (it reads C++ by pattern, not by parsing)."""

    def warnings(self, text):
        return markers.declaration_warnings(markers.parse(text, "f.cpp"))

    def test_declaration_used_later_is_caught(self):
        w = self.warnings("    ssize_t m = splice(a, b);   //@blank (a) splice()\n    if (m < 0)\n        x();\n")
        self.assertEqual(len(w), 1)
        self.assertIn("f.cpp:1: blank (a) declares `m`, which line 2 uses", w[0])
        w = self.warnings("//@blank-begin (a) send\nstd::uint64_t sent{0};\nsent = f();\n//@blank-end\n"
                          "\nlog(sent);\n")
        self.assertIn("which line 6 uses", w[0])

    def test_assignments_calls_and_inner_scopes_are_fine(self):
        self.assertEqual(self.warnings("    n = read(fd, buf, 4);   //@blank (a) read()\n    use(n);\n"), [])
        self.assertEqual(self.warnings("    Writen(fd, p, n);   //@blank (a) write()\n    use(n);\n"), [])
        self.assertEqual(self.warnings("//@blank-begin (a) loop\nwhile (x) {\n    int k = 1;\n    f(k);\n}\n"
                                       "//@blank-end\nint k = 2;\n"), [])
        self.assertEqual(self.warnings("    return total;   //@blank (a) the sum\n}\nint total;\n"), [])
        self.assertEqual(self.warnings("    int unused = 3;   //@blank (a) x\n    // unused here\n"), [])


class RoundTrip(unittest.TestCase):
    def test_skeleton_keeps_indentation_and_everything_else(self):
        skel = markers.skeleton(markers.parse(GOOD))
        self.assertIn("\n    // ---- (a) socket() ----\n", skel)
        self.assertIn("\n    // ---- (b) read(): until EOF ----\n}", skel)
        self.assertNotIn("//@", skel)
        self.assertEqual(skel.count("\n"), GOOD.count("\n") - 3)  # 1 + 3 lines became 2

    def test_fill_gives_the_solution_back(self):
        parts = markers.parse(GOOD)
        answers = {b.label: b.code for b in markers.blanks(parts)}
        filled, labels = markers.fill(markers.skeleton(parts), answers)
        self.assertEqual(filled, markers.solution(parts))
        self.assertEqual(labels, ["a", "b"])
        self.assertNotIn("//@", filled)
        self.assertIn("    fd = Socket(AF_INET, SOCK_STREAM, 0);\n", filled)

    def test_crlf_survives(self):
        crlf = GOOD.replace("\n", "\r\n")
        parts = markers.parse(crlf)
        self.assertIn("    // ---- (a) socket() ----\r\n", markers.skeleton(parts))
        answers = {b.label: b.code for b in markers.blanks(parts)}
        self.assertEqual(markers.fill(markers.skeleton(parts), answers)[0], markers.solution(parts))

    def test_code_given_by_hand_takes_the_blank_indentation(self):
        skel = markers.skeleton(markers.parse(GOOD))
        filled, _ = markers.fill(skel, {"a": "  fd = 3;\n  x();", "b": []})
        self.assertIn("\n    fd = 3;\n    x();\n}", filled)

    def test_fill_refuses_an_unknown_label(self):
        with self.assertRaises(markers.MarkerError):
            markers.fill("    // ---- (q) what ----\n", {})


class Report(unittest.TestCase):
    def test_readable_names(self):
        self.assertEqual(readable_name("SecondServerOnSamePortFailsWithBindError"),
                         "Second server on same port fails with bind error")
        self.assertEqual(readable_name("GENAnswersNewNumber"), "GEN answers new number")
        self.assertEqual(readable_name("CopiesTenMiBOfRandomData/3"), "Copies ten MiB of random data")
        self.assertEqual(readable_name("ServesIPv6"), "Serves IPv6")
        self.assertEqual(readable_name("ServerSendsOneRfc867Line"), "Server sends one RFC 867 line")
        self.assertEqual(readable_name("EndAtEof"), "End at EOF")

    def test_equality_says_expected_and_got(self):
        msg = ("x_test.cpp:42\nExpected equality of these values:\n  c.recv_line()\n"
               "    Which is: (\"Fu11\")\n  \"Full\"\n")
        self.assertEqual(summarize_failure(msg), ['- expected "Full"',
                                                  '  got      "Fu11"   (c.recv_line())'])

    def test_nullopt_is_explained(self):
        msg = ("x.cpp:1\nExpected equality of these values:\n  p.read_line()\n"
               "    Which is: (nullopt)\n  \"hello\"\n    Which is: 0x55d0\n")
        out = summarize_failure(msg)
        self.assertEqual(out[0], '- expected "hello"')
        self.assertIn("nothing", out[1])

    def test_comparison(self):
        msg = "x.cpp:1\nExpected: (port) != (0), actual: 0 vs 0\n"
        self.assertEqual(summarize_failure(msg), ["- expected port != 0", "  got      port = 0"])

    def test_matcher(self):
        msg = ("x.cpp:1\nValue of: p.stderr_text()\nExpected: has substring \"bind error\"\n"
               "  Actual: \"\"\nthe second server\n")
        self.assertEqual(summarize_failure(msg), ['- expected has substring "bind error"',
                                                  '  got      ""   (p.stderr_text())',
                                                  "  the second server"])


    def test_long_strings_say_where_they_differ(self):
        same = "Command: New number\\n" * 12
        msg = ("x.cpp:1\nExpected equality of these values:\n  out\n"
               f'    Which is: "{same}Command: error: unknown command 16777216\\n"\n  want\n'
               f'    Which is: "{same}Command: numbers: 4 11 36 0 0 0\\n"\n')
        out = summarize_failure(msg)
        self.assertIn("  first difference, line 13:", out)
        self.assertIn("    out: 'Command: error: unknown command 16777216'", out)
        self.assertIn("    want: 'Command: numbers: 4 11 36 0 0 0'", out)


def failed(*failures, stopped=""):
    c = grade.Check("Lab.X", "x", status="FAIL", failures=list(failures), stopped=stopped)
    c.details = [l for f in failures for l in summarize_failure(f)]
    return c


class Hints(unittest.TestCase):
    """Each known mistake's hint, from the failure GoogleTest reports."""

    def test_byte_order(self):
        msg = 'x.cpp:1\nExpected equality of these values:\n  reply\n    Which is: "error: unknown command 16777216"\n  "numbers: 0 0 0 0 0 0"\n'
        self.assertEqual(feedback.hints(failed(msg)), ["byte-order"])

    def test_short_read(self):
        msg = 'x.cpp:1\nExpected equality of these values:\n  c.read_line()\n    Which is: "New num"\n  "New number generated: 17"\n'
        self.assertEqual(feedback.hints(failed(msg)), ["short-read"])

    def test_server_not_closing(self):
        msg = 'x.cpp:1\nExpected equality of these values:\n  client.wait().describe()\n    Which is: "still running"\n  "exit 0"\n'
        self.assertEqual(feedback.hints(failed(msg)), ["no-close"])
        self.assertEqual(feedback.hints(failed(stopped="time limit: still running at the deadline, stopped")),
                         ["no-close"])

    def test_zombies(self):
        self.assertEqual(feedback.hints(failed("x.cpp:1\nValue of: no_zombies()\n  Actual: false\nExpected: true\n3 zombies\n")),
                         ["zombies"])

    def test_port_in_host_order(self):
        msg = "x.cpp:1\nExpected equality of these values:\n  listening_port\n    Which is: 14640\n  port\n    Which is: 12345\n"
        self.assertEqual(feedback.hints(failed(msg)), ["port-order"])

    def test_address_in_use(self):
        unexpected = 'x.cpp:1\nExpected equality of these values:\n  err\n    Which is: "bind error: Address already in use"\n  ""\n'
        self.assertEqual(feedback.hints(failed(unexpected)), ["addr-in-use"])
        wanted = 'x.cpp:1\nExpected equality of these values:\n  err\n    Which is: ""\n  "bind error: Address already in use"\n'
        self.assertEqual(feedback.hints(failed(wanted)), [])
        # The same wish through a matcher (SecondServerOnTheSamePortFailsInBind).
        matcher = ('x.cpp:1\nValue of: second.stderr_text()\n'
                   'Expected: has substring "bind error: Address already in use"\n  Actual: ""\n')
        self.assertEqual(feedback.hints(failed(matcher)), [])

    def test_labs_own_notes(self):
        # What UdpEchoLab, HttpLab and TinyinetdLab say in their messages.
        never_bound = "x.cpp:1\nExpected: (s.port) != (0), actual: 0 vs 0\nthe server reports port 0: its socket was never bound (no bind()?)\n"
        self.assertEqual(feedback.hints(failed(never_bound)), ["no-bind"])
        crlf = "x.cpp:1\nFailed\na line of the head ends with a bare LF, not CRLF: \"HTTP/1.1 200 OK\\n\"\n"
        self.assertEqual(feedback.hints(failed(crlf)), ["crlf"])
        child = "x.cpp:1\nValue of: late.connected()\n  Actual: true\nExpected: false\nthe server is gone, yet its port still takes connections: the child holds the listening socket\n"
        self.assertEqual(feedback.hints(failed(child)), ["child-listenfd"])
        parent = "x.cpp:1\nValue of: c.closed_by_peer(3s)\n  Actual: false\nExpected: true\nno FIN came: tinyinetd (the parent) keeps its copy of connfd\n"
        self.assertEqual(feedback.hints(failed(parent)), ["no-close"])

    def test_no_hint_for_a_plain_failure(self):
        msg = 'x.cpp:1\nExpected equality of these values:\n  reply\n    Which is: "Ful"\n  "Full"\n'
        self.assertEqual(feedback.hints(failed(msg)), ["short-read"])
        msg = 'x.cpp:1\nExpected equality of these values:\n  reply\n    Which is: "Empty"\n  "Full"\n'
        self.assertEqual(feedback.hints(failed(msg)), [])


class Grid(unittest.TestCase):
    """The class summary's requirement x submission grid."""

    def test_grid(self):
        from socklab_exercise import build, classroom

        def result(name, statuses):
            r = classroom.Result(intake.Submission(name, name))
            r.build = build.Build()
            r.checks = [grade.Check(f"S.T{i}", f"Requirement {i}", status=st) for i, st in enumerate(statuses)]
            r.points, r.total = grade.score(r.checks)
            return r
        text = classroom.summary_text([result("alice", ["pass"] * 11), result("bob", ["pass", "FAIL"] + ["skip"] * 9),
                                       result("carol", ["blocked"] * 11)])
        grid = text[text.index("requirement grid"):text.index("score distribution")]
        pad = " " * 14  # two, the name column (10 at least), two
        self.assertEqual(grid.splitlines()[1:], [pad + "         11", pad + "12345678901",
                                                 "  alice       ...........", "  bob         .X---------",
                                                 "  carol       bbbbbbbbbbb", ""])


class Archives(unittest.TestCase):
    """An archive never writes outside the grader's work area."""

    def setUp(self):
        import tempfile
        self.tmp = tempfile.mkdtemp()

    def tearDown(self):
        import shutil
        shutil.rmtree(self.tmp)

    def test_zip_with_dotdot_is_refused(self):
        import zipfile
        path = os.path.join(self.tmp, "evil.zip")
        with zipfile.ZipFile(path, "w") as z:
            z.writestr("../escaped.cpp", "int main() {}\n")
        with self.assertRaises(intake.IntakeError) as cm:
            intake.take_in(path, os.path.join(self.tmp, "out"))
        self.assertIn("outside itself", str(cm.exception))
        self.assertFalse(os.path.exists(os.path.join(self.tmp, "escaped.cpp")))

    def test_tar_with_absolute_path_is_refused_and_one_folder_is_unwrapped(self):
        import io
        import tarfile
        evil = os.path.join(self.tmp, "evil.tar.gz")
        with tarfile.open(evil, "w:gz") as t:
            data = b"x"
            info = tarfile.TarInfo("/tmp/escaped.cpp")
            info.size = len(data)
            t.addfile(info, io.BytesIO(data))
        with self.assertRaises(intake.IntakeError):
            intake.take_in(evil, os.path.join(self.tmp, "out1"))
        good = os.path.join(self.tmp, "good.tar.gz")
        with tarfile.open(good, "w:gz") as t:
            info = tarfile.TarInfo("alice/a.cpp")
            info.size = 1
            t.addfile(info, io.BytesIO(b"x"))
        intake.take_in(good, os.path.join(self.tmp, "out2"))
        self.assertEqual(os.listdir(os.path.join(self.tmp, "out2")), ["a.cpp"])


if __name__ == "__main__":
    unittest.main(verbosity=1)
