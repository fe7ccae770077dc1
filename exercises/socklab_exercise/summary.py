# SPDX-License-Identifier: MIT
"""Turning GoogleTest's names and failure messages into lines a student
reads: a requirement instead of `SecondServerOnSamePortFailsWithBindError`,
and `expected ... / got ...` instead of an assertion dump."""

import re

UNIT = r"[KMGT]iB"
WORD = re.compile(r"IPv[46]|\d+(?:[KMGT]i?B)?|[KMGT]iB|[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+")
MAX_VALUE = 160
# Words a test name writes in CamelCase that a sentence writes in capitals.
# (Not GEN, LIST, END: "list" and "end" are plain words too.)
ACRONYMS = {"rfc": "RFC", "eof": "EOF", "tcp": "TCP", "udp": "UDP", "fin": "FIN", "rst": "RST",
            "syn": "SYN", "sigchld": "SIGCHLD", "sigpipe": "SIGPIPE", "sigint": "SIGINT", "crlf": "CRLF", "http": "HTTP"}


def readable_name(test):
    """"SecondServerOnSamePortFailsWithBindError" -> "Second server on same
    port fails with bind error"; words in capitals (GEN, LIST, EOF) stay."""
    test = re.sub(r"/\d+$", "", test)  # a parameterized test's index
    words = []
    for chunk in re.split(r"[_/]+", test):
        for w in WORD.findall(chunk):
            keep = ((w.isupper() and len(w) > 1) or any(ch.isdigit() for ch in w)
                    or re.fullmatch(UNIT, w))
            words.append(w if keep else ACRONYMS.get(w.lower(), w.lower()))
    if not words:
        return test
    first = words[0]
    words[0] = first if first.isupper() else first[:1].upper() + first[1:]
    return " ".join(words)


def _clip(text):
    text = text.strip()
    return text if len(text) <= MAX_VALUE else text[:MAX_VALUE - 3] + "..."


def _nice_value(value):
    """std::optional prints as ("text") or (nullopt): say what it means;
    6u is 6."""
    value = value.strip()
    if re.fullmatch(r"-?\d+[uUlL]+", value):
        return value.rstrip("uUlL")
    if value == "(nullopt)" or value == "nullopt":
        return "nothing (end of file, or no answer before the deadline)"
    m = re.fullmatch(r'\((".*")\)', value, re.S)
    return m[1] if m else value


def _is_literal(expr):
    """A value written in the test: "text", 42, true (gtest may print a
    string literal as a pointer when the other side is not a std::string)."""
    return bool(re.fullmatch(r'"(?:[^"\\]|\\.)*"|-?\d+[uUlL]*|true|false|std::nullopt', expr.strip()))


def _equality(lines):
    """Expected equality of these values:
         expr1
           Which is: value1
         expr2              <- a literal: no "Which is"
    """
    sides, i = [], 1
    while i < len(lines) and lines[i].startswith("  "):
        line = lines[i]
        if line.startswith("    Which is: ") and sides:
            sides[-1][1] = line[len("    Which is: "):]
        elif not line.startswith("    "):
            sides.append([line.strip(), None])
        i += 1
    rest = lines[i:]
    if rest and rest[0] == "Ignoring case":
        rest = rest[1:]
    if rest and rest[0] == "With diff:":
        rest = rest[1:]
        while rest and (rest[0][:1] in (" ", "-", "+") or rest[0].startswith("@@")):
            rest = rest[1:]
    if len(sides) != 2:
        return None, lines[1:]
    (e1, v1), (e2, v2) = sides
    lit1, lit2 = v1 is None or _is_literal(e1), v2 is None or _is_literal(e2)
    if lit1 != lit2:
        literal, (expr, value) = (e1, (e2, v2)) if lit1 else (e2, (e1, v1))
        value = expr if value is None else value
        out = [f"expected {_clip(_nice_value(literal))}",
               f"got      {_clip(_nice_value(value))}   ({_clip(expr)})"]
    else:
        out = [f"{_clip(e1)} is {_clip(_nice_value(v1 or e1))}",
               f"{_clip(e2)} is {_clip(_nice_value(v2 or e2))}   (expected them equal)"]
    a, b = _nice_value(v1 or e1), _nice_value(v2 or e2)
    if max(len(a), len(b)) > MAX_VALUE and a.startswith('"') and b.startswith('"'):
        # Clipped, the two may look the same: say where they differ.
        diff = first_difference(a, b)
        if diff:
            line, x, y = diff
            first, second = (e1, e2) if not lit1 or lit2 else (e2, e1)
            if lit1 != lit2:
                x, y = (x, y) if lit1 else (y, x)
                first, second = "expected", "got"
            show = lambda v: _clip(repr(v)) if v is not None else "nothing more"
            out += [f"first difference, line {line}:", f"  {first}: {show(x)}", f"  {second}: {show(y)}"]
    return out, rest


def _value_of(lines):
    """Value of: expr / Expected: what / Actual: value (EXPECT_THAT,
    EXPECT_TRUE)."""
    expr = expected = actual = None
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.startswith("Value of: ") and expr is None:
            expr = line[len("Value of: "):]
        elif line.startswith("Expected: ") and expected is None:
            expected = line[len("Expected: "):]
        elif line.strip().startswith("Actual: ") and actual is None:
            actual = line.strip()[len("Actual: "):]
        elif expr is not None and expected is not None and actual is not None:
            break
        elif line.startswith("  ") and expected is not None and actual is None:
            expected += " " + line.strip()  # a matcher's description goes on
        else:
            break
        i += 1
    if expected is None or actual is None:
        return None, lines
    out = [f"expected {_clip(_nice_value(expected))}",
           f"got      {_clip(_nice_value(actual))}" + (f"   ({_clip(expr)})" if expr else "")]
    return out, lines[i:]


def summarize_failure(message):
    """GoogleTest's failure text (from --gtest_output=json) in a few lines:
    what was expected and what came back, then the test's own note."""
    lines = [l.rstrip() for l in message.splitlines()]
    if lines and re.fullmatch(r"\S+:\d+|unknown file", lines[0]):
        lines = lines[1:]  # the kit's test source and line: nothing for a student
    if "Google Test trace:" in lines:
        # SCOPED_TRACE notes: the situation the check was in, minus the path.
        at = lines.index("Google Test trace:")
        notes = [re.sub(r"^\S+:\d+: ", "", l) for l in lines[at + 1:] if l.strip()]
        lines = lines[:at] + [f"(while: {n})" for n in notes]
    if lines and lines[0] == "Failed":
        lines = lines[1:]  # ADD_FAILURE()'s header: the message follows
    # "stdout was:" right before "stderr was:": say it was empty.
    lines = [l for l in lines if l.strip()]
    lines = [l + " (nothing)" if l.endswith(" was:") and i + 1 < len(lines)
             and lines[i + 1].endswith(" was:") else l for i, l in enumerate(lines)]
    while lines and not lines[0].strip():
        lines = lines[1:]
    if not lines:
        return ["failed"]
    compare = re.fullmatch(r"Expected: \((.*)\) (!=|<=|>=|<|>) \((.*)\), actual: (.*) vs (.*)", lines[0])
    if compare:  # EXPECT_NE, _LT, ...: say it as a sentence
        lhs, op, rhs, lv, rv = compare.groups()
        shown = lhs if lv == lhs else f"{lhs} = {_nice_value(lv)}"
        out = [f"expected {_clip(lhs)} {op} {_clip(rhs)}", f"got      {_clip(shown)}"
               + ("" if rv == rhs else f", {_clip(rhs)} = {_clip(_nice_value(rv))}")]
        rest = lines[1:]
    elif lines[0] == "Expected equality of these values:":
        out, rest = _equality(lines)
    elif lines[0].startswith("Value of: ") or lines[0].startswith("Expected: "):
        out, rest = _value_of(lines)
    else:
        out, rest = None, lines
    out = (out or []) + [_clip(l) for l in rest if l.strip()][:4]
    if not out:
        return ["- failed"]
    return ["- " + out[0]] + ["  " + l for l in out[1:]]


def compared(message):
    """(expected, got) as GoogleTest printed them, for an equality with a
    literal side; None otherwise (a matcher's failure included)."""
    lines = [l.rstrip() for l in message.splitlines()]
    if lines and re.fullmatch(r"\S+:\d+|unknown file", lines[0]):
        lines = lines[1:]
    if lines and lines[0] == "Expected equality of these values:":
        sides, i = [], 1
        while i < len(lines) and lines[i].startswith("  "):
            if lines[i].startswith("    Which is: ") and sides:
                sides[-1][1] = lines[i][len("    Which is: "):]
            elif not lines[i].startswith("    "):
                sides.append([lines[i].strip(), None])
            i += 1
        if len(sides) == 2:
            (e1, v1), (e2, v2) = sides
            lit1, lit2 = v1 is None or _is_literal(e1), v2 is None or _is_literal(e2)
            if lit1 != lit2:
                literal, (expr, value) = (e1, (e2, v2)) if lit1 else (e2, (e1, v1))
                return _nice_value(literal), _nice_value(expr if value is None else value)
    return None


def unquote(value):
    """A C string as GoogleTest prints it ("a\\nb") as the text; else value."""
    m = re.fullmatch(r'"((?:[^"\\]|\\.)*)"', value.strip(), re.S)
    if not m:
        return value
    escapes = {"n": "\n", "t": "\t", "r": "\r", "0": "\0", '"': '"', "\\": "\\", "'": "'"}
    return re.sub(r"\\x([0-9A-Fa-f]{2})|\\(.)",
                  lambda e: chr(int(e[1], 16)) if e[1] else escapes.get(e[2], e[2]), m[1])


def first_difference(expected, got):
    """(line number, expected line, got line) where two texts first differ,
    or None if they are equal."""
    a, b = unquote(expected).split("\n"), unquote(got).split("\n")
    for i in range(max(len(a), len(b))):
        x = a[i] if i < len(a) else None
        y = b[i] if i < len(b) else None
        if x != y:
            return i + 1, x, y
    return None
