#!/bin/sh
# SPDX-License-Identifier: MIT
# usage: scripts/check-make-quiet.sh BUILD_DIR
# Fails if `make PROGRAM` through the top-level Makefile prints the build
# tree's "Entering/Leaving directory" lines, which buried the one line a
# student wants (the program's path) under a dozen others.
[ $# -eq 1 ] || { echo "usage: scripts/check-make-quiet.sh BUILD_DIR" >&2; exit 2; }
src=$(cd "$(dirname "$0")/.." && pwd)
# An outer `make test` exports MAKEFLAGS (with --no-print-directory in it):
# start clean, as a student's shell does.
out=$(cd "$src" && env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make BUILD="$1" tcpserv04 2>&1) || {
    echo "make tcpserv04 failed:"; echo "$out"; exit 1; }
echo "$out"
if echo "$out" | grep -q "directory '"; then
    echo "make printed Entering/Leaving directory lines"
    exit 1
fi
