#!/bin/sh
# SPDX-License-Identifier: MIT
# Fails if two tracked paths differ only by case: such a pair cannot both be
# checked out on a case-insensitive file system (macOS, Windows).
cd "$(dirname "$0")/.." || exit 2
if ! git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    echo "not a git checkout: nothing to check"
    exit 0
fi
clashes=$(git ls-files | sort -f | uniq -di)
if [ -n "$clashes" ]; then
    echo "tracked paths that differ only by case:"
    git ls-files | sort -f | grep -i -x -F "$clashes"
    exit 1
fi
echo "no two tracked paths differ only by case"
