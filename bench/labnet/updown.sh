#!/bin/sh
# SPDX-License-Identifier: MIT
# How long `labnet up 2` and `labnet down` take together (the goal: at most
# 1 s), measured with hyperfine on a network of its own.
#
# usage: sudo bench/labnet/updown.sh [BUILD_DIR]      (default: build)
set -eu
build=${1:-build}
labnet="$build/labnet/labnet"
[ -x "$labnet" ] || { echo "updown.sh: no $labnet; build first (make)" >&2; exit 1; }
command -v hyperfine >/dev/null || { echo "updown.sh: needs hyperfine (apt-get install hyperfine)" >&2; exit 1; }
name="slnbench$$"
trap '"$labnet" -n "$name" down >/dev/null' EXIT
hyperfine --warmup 1 --runs 20 \
    "$labnet -n $name up 2 >/dev/null && $labnet -n $name down >/dev/null"
