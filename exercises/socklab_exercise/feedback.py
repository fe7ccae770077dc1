# SPDX-License-Identifier: MIT
"""What a student reads: FEEDBACK.md, one per submission, and the hints
for mistakes the checks see again and again.

A hint is a value (HINTS' key) found in a failed check's messages; its
text is written in one place, here.  Tests assert on the keys.
"""

import os
import re

from .build import build_errors
from .summary import compared, first_difference

HINTS = {
    "byte-order": "A value of 16777216 or 33554432 where 1 or 2 was expected is 1 or 2 with its bytes "
                  "the other way round: one side sent the integer in host byte order. Convert with "
                  "htonl() before write() and ntohl() after read().",
    "short-read": "The reply was cut short: a single read(2) returns what has arrived so far, not "
                  "the whole message. Read a line with Readline(), or a fixed size with readn(), "
                  "in a loop until it is all there.",
    "no-close": "The other side waited for an end of file that never came: close() the connected "
                "socket when a client is done (and, after fork(), the parent closes its copy of "
                "connfd, the child its copy of listenfd).",
    "zombies": "Children were left as zombies: a fork() server needs a SIGCHLD handler that reaps "
               "them with waitpid(-1, &status, WNOHANG) in a loop (UNP 5.9-5.10).",
    "port-order": "The port the server listens on is the one asked for with its bytes swapped: "
                  "sin_port takes the port in network byte order, htons(port).",
    "no-bind": "The server's socket was never bound: without bind() a UDP socket has no port to "
               "receive on (a TCP socket gets one at listen(), a UDP one only when it first sends). "
               "bind() it to the address and port you are given before recvfrom().",
    "crlf": "HTTP ends every line of a head with CRLF (\"\\r\\n\"), and the head with an empty "
            "line (\"\\r\\n\\r\\n\"): a bare \"\\n\" is not what a client waits for.",
    "child-listenfd": "After fork() the child serves one connection and must close its copy of the "
                      "listening socket (and the parent its copy of connfd): a child that keeps it "
                      "holds the server's port open after the server is gone.",
    "addr-in-use": "bind() failed with EADDRINUSE (Address already in use): set SO_REUSEADDR with "
                   "setsockopt() before bind(), so a restarted server can bind its port while old "
                   "connections are in TIME_WAIT; and bind the port you are given (0: any).",
}
SWAPPED = {1 << 24: 1, 2 << 24: 2, 3 << 24: 3}


def _swap16(n):
    return ((n & 0xff) << 8) | (n >> 8)


def _expects_address_in_use(failure):
    """True if the check wanted "Address already in use" (a second server
    that must fail in bind): then the text is no sign of a missing
    SO_REUSEADDR.  An equality names it on its expected side, a matcher on
    its "Expected:" line."""
    pair = compared(failure)
    if pair:
        return "Address already in use" in pair[0]
    return re.search(r"^Expected: .*Address already in use", failure, re.M) is not None


def hints(check):
    """The HINTS keys that match a failed check, in HINTS' order."""
    if check.status != "FAIL":
        return []
    text = "\n".join(check.failures + check.details)
    found = set()
    numbers = [int(n) for n in re.findall(r"\b\d+\b", text) if len(n) < 12]
    if any(n in SWAPPED for n in numbers):
        found.add("byte-order")
    for failure in check.failures:
        pair = compared(failure)
        if pair:
            expected, got = pair
            e, g = expected.strip('"'), got.strip('"')
            if g and e != g and e.startswith(g):
                found.add("short-read")
            if "Address already in use" in got and "Address already in use" not in expected:
                found.add("addr-in-use")
            if got == '"still running"' or (got.startswith("nothing") and "EOF" in failure):
                found.add("no-close")
        if re.search(r"port", failure, re.I):
            ports = [n for n in numbers if 0 < n < 65536]
            if any(_swap16(a) == b and a != b for a in ports for b in ports):
                found.add("port-order")
    # The kit's checks say it in their own notes too ("printed part of an answer").
    if re.search(r"\bpart of an? (answer|reply|line)|in pieces|cut short|short read", text, re.I):
        found.add("short-read")
    if re.search(r"keeps its copy of connfd", text):
        found.add("no-close")
    if re.search(r"never bound", text):
        found.add("no-bind")
    if re.search(r"\bCRLF\b", text):
        found.add("crlf")
    if re.search(r"holds? the listening socket", text):
        found.add("child-listenfd")
    if re.search(r"zombie|defunct", text, re.I):
        found.add("zombies")
    if "Address already in use" in text and "addr-in-use" not in found and not any(
            _expects_address_in_use(f) for f in check.failures):
        found.add("addr-in-use")
    if check.stopped.startswith("time limit") and not found:
        found.add("no-close")
    return [k for k in HINTS if k in found]


def _failure_block(failure, limit=60):
    """GoogleTest's message without the kit's file:line, at most limit lines."""
    lines = failure.rstrip("\n").splitlines()
    if lines and re.fullmatch(r"\S+:\d+|unknown file", lines[0]):
        lines = lines[1:]
    if len(lines) > limit:
        lines = lines[:limit] + [f"... ({len(lines) - limit} more lines)"]
    return "```\n" + "\n".join(lines) + "\n```\n"


def _check_section(i, c):
    out = [f"### {i}. {c.requirement}: {'pass' if c.status == 'pass' else c.status.upper()}\n\n"]
    if c.status in ("pass", "skip"):
        if c.details:
            out.append("".join(f"{l}\n" for l in c.details) + "\n")
        return out
    if c.status == "blocked":
        out.append("Not run: " + (c.details[0] if c.details else "the build failed") + " (see Build).\n\n")
        return out
    if c.stopped:
        out.append(f"The grader stopped it: {c.stopped}.\n\n")
    for failure in c.failures[:3]:
        pair = compared(failure)
        if pair:
            diff = first_difference(*pair)
            if diff:
                line, want, got = diff
                out.append(f"First difference, line {line}:\n\n"
                           f"- expected: `{want if want is not None else '(nothing more)'}`\n"
                           f"- got:      `{got if got is not None else '(nothing more)'}`\n\n")
        out.append("What the check sent, expected and got (GoogleTest's own words):\n\n")
        out.append(_failure_block(failure) + "\n")
    if not c.failures:
        out.append("".join(f"    {l}\n" for l in c.details) + "\n")
    for key in hints(c):
        out.append(f"**Hint ({key}):** {HINTS[key]}\n\n")
    return out


def feedback_md(sub, result):
    """The text of one submission's FEEDBACK.md."""
    d, b, checks = result.d, result.build, result.checks
    points, total = result.points, result.total
    out = [f"# Feedback: {sub.name}, exercise {d.name if d else '?'}\n\n",
           f"Score: **{points}/{total}**" + (f" ({round(100 * points / total)}%)" if total else "") + "\n\n"]
    for note in sub.notes + (b.notes if b else []):
        out.append(f"- Note: {note}\n")
    if result.error:
        out.append(f"\nNot graded: {result.error}\n")
        return "".join(out)
    out.append("\n## Build\n\n")
    if b is None:
        out.append("Not built (the programs were given built).\n\n")
    else:
        out.append("".join(f"- {n}: {'built' if p else 'DID NOT BUILD'}\n" for n, p in b.programs.items()))
        if not b.ok:
            out.append("\nThe compiler's first errors:\n\n```\n" + "\n".join(build_errors(b.log)) + "\n```\n")
            blocked = [c.requirement for c in checks if c.status == "blocked"]
            if blocked:
                out.append(f"\nThese {len(blocked)} checks could not run without it:\n\n"
                           + "".join(f"- {r}\n" for r in blocked))
        out.append("\n")
    out.append("## Requirements\n\n")
    out.append("| # | requirement | points | result |\n|---|---|---|---|\n")
    for i, c in enumerate(checks, start=1):
        out.append(f"| {i} | {c.requirement} | {c.weight:g} | {c.status} |\n")
    out.append("\n")
    for i, c in enumerate(checks, start=1):
        if c.status != "pass":
            out += _check_section(i, c)
    return "".join(out)


def write(folder, sub, result):
    os.makedirs(os.path.join(folder, sub.name), exist_ok=True)
    path = os.path.join(folder, sub.name, "FEEDBACK.md")
    with open(path, "w", encoding="utf-8") as f:
        f.write(feedback_md(sub, result))
    return path
