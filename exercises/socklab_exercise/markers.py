# SPDX-License-Identifier: MIT
"""The blank markers of CONTRIBUTING.md ("Blanks for exercises").

A marked solution is read into a list of parts: plain lines, kept as they
are, and Blanks, each holding the solution's code for one labelled gap.  From
that list come the three texts the tool writes:

  skeleton()  every blank replaced by one labelled comment line, e.g.
              `    // ---- (a) socket() ----`, at the blank's indentation;
  solution()  the solution with the markers removed (what a student who
              fills every blank correctly ends up with);
  fill()      a skeleton's labelled lines replaced by code again.

Lines keep their own endings, so a file comes out byte for byte as it went
in, apart from the blanks.
"""

import re
from dataclasses import dataclass, field

LINE_MARK = re.compile(r"//@blank(?![-\w])\s*(?P<rest>.*)$")
BEGIN_MARK = re.compile(r"^(?P<indent>[ \t]*)//@blank-begin(?![-\w])\s*(?P<rest>.*)$")
END_MARK = re.compile(r"^[ \t]*//@blank-end(?![-\w])\s*(?P<rest>.*)$")
LABEL_HINT = re.compile(r"^\((?P<label>[a-z]+)\)\s+(?P<hint>\S.*?)\s*$")

# The line a skeleton shows where a blank was.
BLANK_LINE = re.compile(r"^(?P<indent>[ \t]*)// ---- \((?P<label>[a-z]+)\) (?P<hint>.*) ----[ \t]*$")


class MarkerError(Exception):
    """A marker that breaks the rules; str() names the file and line."""


@dataclass
class Blank:
    label: str          # "a"
    hint: str           # "socket()"
    indent: str         # whitespace before the blank's code
    code: list = field(default_factory=list)  # the solution's lines, with endings
    path: str = ""      # where it was marked (for messages)
    line: int = 0       # 1-based line of the marker
    eol: str = "\n"
    block: bool = False  # //@blank-begin ... //@blank-end, not one line

    def placeholder(self):
        return f"{self.indent}// ---- ({self.label}) {self.hint} ----{self.eol}"


def label_name(index):
    """0 -> "a", 25 -> "z", 26 -> "aa": the handout's label sequence."""
    name = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        name = chr(ord("a") + rem) + name
    return name


def split_eol(line):
    body = line.rstrip("\r\n")
    return body, line[len(body):]


def _label_hint(rest, where, marker):
    m = LABEL_HINT.match(rest)
    if not m:
        raise MarkerError(f"{where}: {marker} needs a label and a hint, "
                          f"e.g. `{marker} (a) socket()`; got `{marker} {rest}`".rstrip())
    return m["label"], m["hint"]


def parse(text, path="<text>"):
    """Splits a marked solution into plain lines (str) and Blanks."""
    parts = []
    block = None  # the Blank being read between begin and end
    for number, line in enumerate(text.splitlines(keepends=True), start=1):
        body, eol = split_eol(line)
        where = f"{path}:{number}"
        if "//@blank" not in body:
            if block is not None:
                block.code.append(line)
            else:
                parts.append(line)
            continue
        begin, end, single = BEGIN_MARK.match(body), END_MARK.match(body), LINE_MARK.search(body)
        if begin:
            if block is not None:
                raise MarkerError(f"{where}: //@blank-begin inside the block ({block.label}) "
                                  f"opened at line {block.line}: close it with //@blank-end first")
            label, hint = _label_hint(begin["rest"], where, "//@blank-begin")
            block = Blank(label, hint, begin["indent"], [], path, number, eol or "\n", True)
        elif end:
            if block is None:
                raise MarkerError(f"{where}: //@blank-end without a //@blank-begin")
            if end["rest"]:
                raise MarkerError(f"{where}: nothing may follow //@blank-end (found `{end['rest']}`)")
            if not any(l.strip() for l in block.code):
                raise MarkerError(f"{block.path}:{block.line}: the block ({block.label}) is empty")
            parts.append(block)
            block = None
        elif single and not body[:single.start()].lstrip().startswith("//"):
            if block is not None:
                raise MarkerError(f"{where}: //@blank inside the block ({block.label}) "
                                  f"opened at line {block.line}")
            label, hint = _label_hint(single["rest"], where, "//@blank")
            code = body[:single.start()].rstrip()
            if not code.strip():
                raise MarkerError(f"{where}: //@blank ({label}) marks an empty line; put it at the "
                                  f"end of the line it blanks, or use //@blank-begin/-end")
            indent = code[:len(code) - len(code.lstrip())]
            parts.append(Blank(label, hint, indent, [code + (eol or "\n")], path, number, eol or "\n"))
        else:
            raise MarkerError(f"{where}: unknown or misplaced marker in `{body.strip()}` "
                              f"(markers: `//@blank (x) hint` at the end of a line, "
                              f"`//@blank-begin (x) hint` and `//@blank-end` on lines of their own)")
    if block is not None:
        raise MarkerError(f"{block.path}:{block.line}: //@blank-begin ({block.label}) has no //@blank-end")
    return parts


def blanks(parts):
    return [p for p in parts if isinstance(p, Blank)]


def check_labels(all_blanks):
    """Every label once, in order (a), (b), ... across the exercise's files."""
    seen = {}
    for index, blank in enumerate(all_blanks):
        where = f"{blank.path}:{blank.line}"
        if blank.label in seen:
            first = seen[blank.label]
            raise MarkerError(f"{where}: label ({blank.label}) used twice "
                              f"(first at {first.path}:{first.line}); each label marks one blank")
        expected = label_name(index)
        if blank.label != expected:
            before = f"after ({all_blanks[index - 1].label}) " if index else "first "
            raise MarkerError(f"{where}: label ({blank.label}) out of order: the {before}blank must be "
                              f"({expected}) (labels run (a), (b), ... in handout order, servers first)")
        seen[blank.label] = blank


# `Type name = ...;`, `Type *name;`, `std::uint64_t name{...}`: one
# declaration at the start of a line (a heuristic, not a C++ parser).
DECLARATION = re.compile(r"^\s*(?:(?:const|static|unsigned|signed|struct|volatile)\s+)*"
                         r"[A-Za-z_][\w:]*(?:<[^;=()]*>)?[\s*&]+([A-Za-z_]\w*)\s*(?:=|;|\{|\[)")
NOT_TYPES = {"return", "throw", "delete", "goto", "case", "else", "new", "sizeof", "co_return", "using"}


def _code_only(line):
    """The line without its // comment and string literals (roughly)."""
    line = re.sub(r'"(?:[^"\\]|\\.)*"', '""', line)
    return line.split("//", 1)[0]


def declaration_warnings(parts):
    """Blanks that declare a name the code after them uses: emptied, the
    skeleton would not compile (CONTRIBUTING: a blank never declares a
    variable used outside it).  Only a blank's outermost lines are looked at."""
    warnings = []
    for index, part in enumerate(parts):
        if not isinstance(part, Blank):
            continue
        base = min((len(l) - len(l.lstrip()) for l in part.code if l.strip()), default=0)
        names = []
        for line in part.code:
            m = DECLARATION.match(_code_only(line))
            if m and len(line) - len(line.lstrip()) == base:
                type_word = line.split()[0]
                if type_word not in NOT_TYPES and m[1] not in NOT_TYPES:
                    names.append(m[1])
        for name in names:
            line = part.line + (len(part.code) + 2 if part.block else 1)
            for after in parts[index + 1:]:
                text = after if isinstance(after, str) else "".join(after.code)
                if re.search(rf"\b{re.escape(name)}\b", _code_only(text)):
                    warnings.append(f"{part.path}:{part.line}: blank ({part.label}) declares `{name}`, "
                                    f"which line {line} uses: emptied, the skeleton will not "
                                    f"compile; declare it before the blank")
                    break
                line += 1 if isinstance(after, str) else (len(after.code) + 2 if after.block else 1)
    return warnings


def skeleton(parts):
    return "".join(p.placeholder() if isinstance(p, Blank) else p for p in parts)


def solution(parts):
    return "".join("".join(p.code) if isinstance(p, Blank) else p for p in parts)


def reindent(text, indent, eol="\n"):
    """Code given by hand for a blank, moved to the blank's indentation."""
    lines = text.splitlines()
    while lines and not lines[-1].strip():
        lines.pop()
    common = min((len(l) - len(l.lstrip()) for l in lines if l.strip()), default=0)
    return [(indent + l[common:] if l.strip() else "") + eol for l in lines]


def fill(text, answers, path="<text>"):
    """Replaces each labelled line of a skeleton with answers[label] (a list
    of lines with endings, or a str to be indented like the blank).  Returns
    the new text and the labels filled, in file order."""
    out, filled = [], []
    for number, line in enumerate(text.splitlines(keepends=True), start=1):
        body, eol = split_eol(line)
        m = BLANK_LINE.match(body)
        if not m:
            out.append(line)
            continue
        label = m["label"]
        if label not in answers:
            raise MarkerError(f"{path}:{number}: no answer for the blank ({label})")
        answer = answers[label]
        if isinstance(answer, str):
            answer = reindent(answer, m["indent"], eol or "\n")
        out.extend(answer)
        filled.append(label)
    return "".join(out), filled
