#!/bin/sh
# SPDX-License-Identifier: MIT
# exercises/demo.sh BUILD_DIR - the exercise tools in under 10 seconds:
# cut the daytime exercise from the kit's solution, fill it back in (it is
# the solution again, byte for byte), grade the kit's own programs (full
# marks), then build and grade the untouched skeleton (it fails, and the
# table says what each check expected and got).  Exits non-zero if any of
# that does not happen.
set -eu
[ $# -eq 1 ] || { echo "usage: exercises/demo.sh BUILD_DIR" >&2; exit 2; }
BUILD=$(cd "$1" && pwd)
TOOL="$BUILD/exercises/socklab-exercise"
if [ ! -x "$TOOL" ] || [ ! -x "$BUILD/tests/intro/intro_test" ] || [ ! -f "$BUILD/lib/libunp.a" ]; then
    echo "demo: build the kit first: cmake --build $BUILD --target exercise_checks" >&2
    exit 1
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/socklab-exercises-demo.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM
cd "$work"
say() { printf '\n$ %s\n' "$*"; }
fail() { echo "demo FAILED: $*" >&2; exit 1; }

say socklab-exercise generate --lab daytime --into skeleton
"$TOOL" generate --lab daytime --into skeleton
grep -n -- '// ---- (' skeleton/daytimetcpsrv.cpp skeleton/daytimetcpcli.cpp

say "socklab-exercise fill filled    # a copy of the skeleton, blanks filled from the solution"
cp -r skeleton filled
"$TOOL" fill filled
"$TOOL" generate -q --lab daytime --solution --into solution
for f in daytimetcpsrv.cpp daytimetcpcli.cpp; do
    cmp -s "filled/$f" "solution/$f" || fail "filled $f is not the solution"
done
echo "filled/*.cpp = the solution, byte for byte"

say socklab-exercise grade --kit-programs --lab daytime
"$TOOL" grade --kit-programs --lab daytime || fail "the kit's own programs did not get full marks"

say socklab-exercise grade skeleton
if "$TOOL" grade skeleton --timeout-test 5; then
    fail "the empty skeleton passed"
fi
echo
echo "demo ok: the skeleton builds and fails; the solution passes"
