# SPDX-License-Identifier: MIT
"""Exercise definitions: which programs, from which marked files, checked by
which GoogleTest suite, with which tasks.

A definition is a short header of `Key: value` lines, a blank line, and the
tasks as Markdown (they go into the exercise's README as they are):

    Exercise: lottery
    Title: Lottery server and client
    Suite: LotteryLab
    Test: tests/lottery/lottery_test
    Program: LotteryServer lottery/LotteryServer.cpp
    Program: LotteryClient lottery/LotteryClient.cpp
    Support: signals/sigchld.h signals/sigchld.cpp

    ## Tasks
    ...

Program lines come in the handout's order (servers first): blank labels run
across their files in that order.  A program's first file is its main
source; Support files are copied too (their .c/.cpp files are compiled into
a library every program links).  Paths are relative to the kit's source
root; Test is relative to the kit's build tree.  The same header format,
without the tasks, is written into each exercise folder as
`.socklab-exercise`, so the grader knows what it grades.
"""

import os
from dataclasses import dataclass, field

from . import markers

MANIFEST = ".socklab-exercise"
KEYS = {"Exercise", "Title", "Handout", "Suite", "Test", "Program", "Support", "Definition", "Weight"}
REPEATED = {"Program", "Support", "Weight"}


class DefinitionError(Exception):
    pass


@dataclass
class Program:
    name: str
    sources: list  # paths relative to the kit root


@dataclass
class Definition:
    name: str
    title: str
    suite: str
    test: str
    programs: list
    support: list = field(default_factory=list)
    handout: str = ""
    tasks: str = ""
    path: str = ""  # the definition file, relative to the kit root when inside it
    weights: dict = field(default_factory=dict)  # check name -> points (default 1 each)
    warnings: list = field(default_factory=list)  # from read_marked: likely rule breaks

    def files(self):
        """Every file the exercise holds, in label order, without repeats."""
        seen, out = set(), []
        for f in [s for p in self.programs for s in p.sources] + self.support:
            if f not in seen:
                seen.add(f)
                out.append(f)
        return out


def parse_header(text, where):
    """`Key: value` lines up to the first blank line; returns (fields, rest)."""
    fields = {}
    lines = text.splitlines(keepends=True)
    i = 0
    while i < len(lines) and lines[i].lstrip().startswith("#"):
        i += 1  # leading comments
    for i in range(i, len(lines)):
        line = lines[i].strip()
        if not line:
            return fields, "".join(lines[i + 1:])
        if line.startswith("#"):
            continue
        key, sep, value = line.partition(":")
        key, value = key.strip(), value.strip()
        if not sep or key not in KEYS:
            raise DefinitionError(f"{where}:{i + 1}: expected `Key: value` with Key one of "
                                  f"{', '.join(sorted(KEYS))}; got `{line}`")
        if key in REPEATED:
            fields.setdefault(key, []).append(value)
        elif key in fields:
            raise DefinitionError(f"{where}:{i + 1}: {key} given twice")
        else:
            fields[key] = value
    return fields, ""


def from_fields(fields, tasks, where):
    for key in ("Exercise", "Suite", "Test", "Program"):
        if key not in fields:
            raise DefinitionError(f"{where}: missing `{key}:`")
    programs = []
    for value in fields["Program"]:
        words = value.split()
        programs.append(Program(words[0], words[1:]))
    support = [w for value in fields.get("Support", []) for w in value.split()]
    return Definition(name=fields["Exercise"], title=fields.get("Title", fields["Exercise"]),
                      suite=fields["Suite"], test=fields["Test"], programs=programs,
                      support=support, handout=fields.get("Handout", ""),
                      tasks=tasks.strip("\n") + "\n" if tasks.strip() else "",
                      path=fields.get("Definition", ""),
                      weights=parse_weights(fields.get("Weight", []), where))


def parse_weights(lines, where):
    """`CheckName points` lines (a Weight: value, or a --weights file's
    line): {check name: points}."""
    weights = {}
    for line in lines:
        words = line.split("#")[0].split()
        if not words:
            continue
        try:
            if len(words) != 2 or float(words[1]) < 0:
                raise ValueError
            weights[words[0]] = float(words[1])
        except ValueError:
            raise DefinitionError(f"{where}: a weight is `CheckName points`, points >= 0; got `{line}`") from None
    return weights


def load(path, kit_root):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    fields, tasks = parse_header(text, path)
    d = from_fields(fields, tasks, path)
    for p in d.programs:
        if not p.sources:
            raise DefinitionError(f"{path}: Program {p.name} names no source file")
    rel = os.path.relpath(os.path.abspath(path), kit_root)
    d.path = path if rel.startswith("..") else rel
    return d


def load_manifest(folder):
    path = os.path.join(folder, MANIFEST)
    if not os.path.exists(path):
        raise DefinitionError(f"{folder} is not an exercise folder (no {MANIFEST}); "
                              f"name the exercise with --lab")
    with open(path, encoding="utf-8") as f:
        fields, _ = parse_header(f.read(), path)
    d = from_fields(fields, "", path)
    return d


def manifest_text(d):
    lines = ["# Written by socklab-exercise: what this folder is, for `socklab-exercise grade`.\n",
             f"Exercise: {d.name}\n", f"Definition: {d.path}\n", f"Suite: {d.suite}\n",
             f"Test: {d.test}\n"]
    lines += [f"Program: {p.name} {' '.join(os.path.basename(s) for s in p.sources)}\n"
              for p in d.programs]
    if d.support:
        lines.append(f"Support: {' '.join(os.path.basename(s) for s in d.support)}\n")
    return "".join(lines)


def read_marked(d, kit_root):
    """Parses every file of the exercise; checks the labels across them.
    Returns {relative path: parts}, in label order."""
    parsed = {}
    for rel in d.files():
        full = os.path.join(kit_root, rel)
        try:
            with open(full, encoding="utf-8", newline="") as f:
                text = f.read()
        except OSError as e:
            raise DefinitionError(f"{d.path or d.name}: cannot read {rel}: {e.strerror}") from None
        parsed[rel] = markers.parse(text, rel)
    all_blanks = [b for parts in parsed.values() for b in markers.blanks(parts)]
    if not all_blanks:
        raise DefinitionError(f"exercise {d.name}: its files mark no blanks "
                              f"({', '.join(d.files())})")
    markers.check_labels(all_blanks)
    d.warnings = [w for parts in parsed.values() for w in markers.declaration_warnings(parts)]
    names = {}
    for rel in parsed:
        base = os.path.basename(rel)
        if base in names:
            raise DefinitionError(f"exercise {d.name}: {rel} and {names[base]} would both be {base}")
        names[base] = rel
    return parsed
