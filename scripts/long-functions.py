#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""long-functions.py - list the kit's functions longer than 60 lines.

usage: scripts/long-functions.py [--max N] [--allow FILE] [ROOT]

CONTRIBUTING.md: no function outside a lab program's main grows past one
screen (60 lines, from the line of its name to its closing brace).  This
walks the tracked C and C++ sources under ROOT (default: the repository),
skips comments, strings and character literals, follows the braces, and
prints every longer function as `path:line: name is N lines`.  A lab
program's main (a .cpp or .c in a lab folder, not in tests/, wire/, bench/,
lib/ or exercises/) may be longer: its socket calls in order are the lesson.

--allow FILE names known exceptions, one `path name` per line (# comments),
each with the reason beside it; they are listed as allowed, not failed.
Exit status 1 if any other function is too long, else 0.
"""
import argparse
import os
import re
import subprocess
import sys

TOOL_DIRS = ("tests/", "wire/", "bench/", "lib/", "exercises/")
CONTROL = {"if", "for", "while", "switch", "catch", "do", "else", "try", "return", "sizeof", "decltype"}
# A class, namespace or linkage block (what follows its keyword has no
# parentheses), not a function: its members are looked at one by one.
NOT_FUNCTIONS = re.compile(r'\b(?:namespace|class|struct|union|enum)\b[^()]*$|\bextern\s+"\s*"\s*$')


def strip(text):
    """text with comments, strings and char literals blanked (newlines kept)."""
    out, i, n = [], 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            out.append(" " * (j - i))
            i = j
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            out.append(re.sub(r"[^\n]", " ", text[i:j]))
            i = j
        elif c == "R" and text.startswith('R"', i) and (i == 0 or not (text[i - 1].isalnum() or text[i - 1] == "_")):
            m = re.match(r'R"([^(\s]*)\(', text[i:])
            end = text.find(")" + m.group(1) + '"', i) if m else -1
            j = n if end < 0 else end + len(m.group(1)) + 2
            out.append('""' + re.sub(r"[^\n]", " ", text[i + 2:j]))
            i = j
        elif c in "\"'":
            if c == "'" and i > 0 and text[i - 1].isalnum():  # digit separator 1'000
                out.append(c)
                i += 1
                continue
            j = i + 1
            while j < n and text[j] != c and text[j] != "\n":
                j += 2 if text[j] == "\\" else 1
            out.append(c + " " * (min(j, n) - i - 1) + (c if j < n else ""))
            i = j + 1
        else:
            out.append(c)
            i += 1
    return "".join(out)


def blank_directives(code):
    """code with preprocessor lines (and their continuations) blanked."""
    out, directive = [], False
    for line in code.split("\n"):
        directive = directive or line.lstrip().startswith("#")
        out.append(" " * len(line) if directive else line)
        directive = directive and line.rstrip().endswith("\\")
    return "\n".join(out)


def functions(text):
    """(name, first line, line count) of each function defined in text."""
    code = blank_directives(strip(text))
    found, stack, head_start = [], [], 0  # stack: (kind, name, line of head)
    line_of = [0] * (len(code) + 1)
    line = 1
    for k, ch in enumerate(code):
        line_of[k] = line
        if ch == "\n":
            line += 1
    for k, ch in enumerate(code):
        if ch in ";":
            head_start = k + 1
        elif ch == "{":
            head = code[head_start:k]
            in_function = any(kind == "function" for kind, _, _ in stack)
            kind, name = "block", ""
            if not in_function:
                h = " ".join(head.split())
                m = re.search(r"([~\w:]+(?:operator\s*\S+?)?)\s*\((?:[^()]|\([^()]*\))*\)[^()]*$", h)
                if NOT_FUNCTIONS.search(h) or h.endswith("=") or not h:
                    kind = "scope"
                elif m and m.group(1).split("::")[-1] not in CONTROL and "=" not in h[: m.start()].split("(")[0]:
                    kind, name = "function", m.group(1)
                else:
                    kind = "scope"
            first = head_start + len(head) - len(head.lstrip())
            stack.append((kind, name, line_of[first] if kind == "function" else line_of[k]))
            head_start = k + 1
        elif ch == "}":
            if stack:
                kind, name, first = stack.pop()
                if kind == "function":
                    found.append((name, first, line_of[k] - first + 1))
            head_start = k + 1
    return found


def lab_main(path, name):
    return name == "main" and not path.startswith(TOOL_DIRS)


def sources(root):
    try:
        files = subprocess.run(["git", "-C", root, "ls-files", "*.cpp", "*.hpp", "*.h", "*.c"],
                               check=True, capture_output=True, text=True).stdout.split()
    except (OSError, subprocess.CalledProcessError):
        files = [os.path.relpath(os.path.join(d, f), root) for d, _, fs in os.walk(root)
                 for f in fs if f.endswith((".cpp", ".hpp", ".h", ".c")) and "/build" not in d]
    return sorted(files)


def main():
    ap = argparse.ArgumentParser(description="functions longer than --max lines")
    ap.add_argument("--max", type=int, default=60)
    ap.add_argument("--allow", help="known exceptions: `path name  # why` per line")
    ap.add_argument("root", nargs="?", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
    a = ap.parse_args()
    allowed = set()
    if a.allow:
        with open(a.allow, encoding="utf-8") as f:
            for entry in f:
                entry = entry.split("#")[0].split()
                if len(entry) == 2:
                    allowed.add(tuple(entry))
    bad = 0
    for path in sources(a.root):
        with open(os.path.join(a.root, path), encoding="utf-8", errors="replace") as f:
            text = f.read()
        for name, first, count in functions(text):
            if count <= a.max or lab_main(path, name):
                continue
            short = name.split("::")[-1]
            if (path, short) in allowed or (path, name) in allowed:
                print(f"{path}:{first}: {name} is {count} lines (allowed)")
                continue
            print(f"{path}:{first}: {name} is {count} lines (at most {a.max})")
            bad += 1
    if bad:
        print(f"{bad} function(s) over {a.max} lines: split them (CONTRIBUTING.md, rule 13)")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
