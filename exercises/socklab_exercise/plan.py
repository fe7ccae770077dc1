# SPDX-License-Identifier: MIT
"""The commands a clean build of an exercise folder runs, read once from
its configured CMake tree, so that each submission is built by running
them directly (buildstep.py, in the sandbox) instead of through
`cmake --build`, whose make and CMake processes cost half a second per
submission without compiling anything.

The commands are CMake's own, byte for byte: each object's compile
command from compile_commands.json (CMAKE_EXPORT_COMPILE_COMMANDS), each
target's link or archive commands from CMakeFiles/<target>.dir/link.txt.
Only the depfile options the Makefiles add (-MD -MT -MF) are left out:
they write a list of headers next to the object and change nothing in it.

And the precompiled headers (GCC only): a program's compile is dominated
by the headers its first #include pulls in (lottery.h: unp.h, <random>,
<string>: 1.1 of 1.3 s).  GCC, when it meets an #include before any other
token, first looks for NAME.gch in each folder it searches, the source's
own folder first, and uses it if it was made from the same options (it
checks; otherwise it reads the header as usual).  So the grader makes
src/NAME.gch once per exercise, from the exercise's own header, and lends
it (a read-only bind mount) only to a submission whose copy of every
header the exercise gives is byte for byte the exercise's, and which has no
NAME.gch or (for a kit header) NAME of its own: then the precompiled text
is exactly the text a clean build would read at that point, and the
executable comes out the same, byte for byte (measured: lottery).
"""

import json
import os
import re
import shlex

DEPFILE_OPTIONS = {"-MD": 0, "-MMD": 0, "-MT": 1, "-MF": 1, "-MQ": 1}
HEADERS = (".h", ".hpp", ".hh")


def _strip_depfile(argv):
    out, skip = [], 0
    for a in argv:
        if skip:
            skip -= 1
        elif a in DEPFILE_OPTIONS:
            skip = DEPFILE_OPTIONS[a]
        else:
            out.append(a)
    return out


def _output_of(argv):
    return argv[argv.index("-o") + 1] if "-o" in argv[:-1] else ""


def read(build_dir, build_dir_inside):
    """{target: {"objects": [(argv, source)], "link": [argv...], "needs": [target]}}
    from a configured tree (build_dir on the host, build_dir_inside in the
    sandbox, where every command runs), or None if it is not as expected.
    Paths stay as CMake wrote them (the sandbox's)."""
    try:
        with open(os.path.join(build_dir, "compile_commands.json"), encoding="utf-8") as f:
            entries = json.load(f)
    except (OSError, ValueError):
        return None
    targets = {}
    for e in entries:
        argv = _strip_depfile(shlex.split(e["command"]))
        m = re.match(r"CMakeFiles/([^/]+)\.dir/", _output_of(argv))
        if not m or e["directory"].rstrip("/") != build_dir_inside.rstrip("/"):
            return None  # not the layout the Makefiles build in
        targets.setdefault(m[1], {"objects": [], "link": [], "needs": []})["objects"].append((argv, e["file"]))
    products = {}
    for name, t in targets.items():
        try:
            with open(os.path.join(build_dir, "CMakeFiles", f"{name}.dir", "link.txt"), encoding="utf-8") as f:
                t["link"] = [shlex.split(line) for line in f if line.strip()]
        except OSError:
            return None
        for argv in t["link"]:
            if argv and os.path.basename(argv[0]) in ("ar", "llvm-ar", "gcc-ar") and len(argv) > 2:
                products[argv[2]] = name  # ar qc libX.a objects...
    for name, t in targets.items():
        words = {w for argv in t["link"] for w in argv}
        t["needs"] = sorted(n for p, n in products.items() if n != name and p in words)
    return targets


def first_include(text):
    """The name in the first preprocessing line of a C/C++ source if it is
    `#include "NAME"` (before it only blank lines and comments), else None."""
    text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
    for line in text.splitlines():
        line = line.split("//", 1)[0].strip()
        if not line:
            continue
        m = re.fullmatch(r'#\s*include\s*"([^"/]+)"', line)
        return m[1] if m else None
    return None


def pch_command(argv, header_path, gch_path):
    """The compile command of an object turned into the one that
    precompiles header_path with the same options."""
    out, skip = [], 0
    for i, a in enumerate(argv):
        if skip:
            skip -= 1
        elif a == "-o":
            skip = 1
        elif a == "-c":
            skip = 1
        else:
            out.append(a)
    return out + ["-x", "c++-header", header_path, "-o", gch_path]


def include_dirs(argv):
    dirs = []
    for i, a in enumerate(argv):
        if a in ("-I", "-isystem", "-iquote") and i + 1 < len(argv):
            dirs.append(argv[i + 1])
        elif a.startswith("-I") and len(a) > 2:
            dirs.append(a[2:])
    return dirs


def pch_usable(header, submission_src, given, from_kit):
    """May the submission in submission_src be lent NAME.gch (see above)?
    given: the exercise's files {name: text}; from_kit: the header is
    the kit's (not a file of the folder)."""
    try:
        names = set(os.listdir(submission_src))
    except OSError:
        return False
    if header + ".gch" in names or (from_kit and header in names):
        return False
    for name, text in given.items():
        if name.endswith(HEADERS):
            try:
                with open(os.path.join(submission_src, name), encoding="utf-8", newline="") as f:
                    if f.read() != text:
                        return False
            except (OSError, UnicodeDecodeError):
                return False
    return True
