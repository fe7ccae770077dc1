#!/bin/sh
# SPDX-License-Identifier: MIT
# Fails if a lab program clears or casts a socket address the C++ way: the
# labs write it as the book does, bzero() and (SA *), so a student reading
# them beside UNP sees the same line (CONTRIBUTING.md, "One rule per
# lesson").  The kit's own code (lib/, wire/, bench/, tests/, exercises/)
# is C++ and is not checked.
cd "$(dirname "$0")/.." || exit 2
if ! git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    echo "not a git checkout: nothing to check"
    exit 0
fi
labs=$(git ls-files -- '*.c' '*.cpp' '*.h' '*.hpp' |
       grep -v -E '^(lib|wire|bench|tests|exercises|scripts)/')
found=$(echo "$labs" | xargs grep -n -E \
    'reinterpret_cast<(const )?(SA|(struct )?sockaddr) \*>|memset\(&[a-z_]*(addr|ss)\b' /dev/null)
if [ -n "$found" ]; then
    echo "lab programs that clear or cast a socket address the C++ way"
    echo "(write bzero(&addr, sizeof addr) and (SA *) &addr, as the book does):"
    echo "$found"
    exit 1
fi
echo "every lab clears and casts its socket addresses as the book does ($(echo "$labs" | wc -l) files)"
