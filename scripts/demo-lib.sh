# SPDX-License-Identifier: MIT
# shellcheck shell=sh disable=SC2034  # $bin, $tmp, $pid and $port are for the sourcing script
# Shared by the labs' demo.sh scripts:  . "$(dirname "$0")/../scripts/demo-lib.sh"
#
#   demo_init LAB BUILD_DIR   $bin = BUILD_DIR/LAB, $tmp = a scratch folder;
#                             at exit, however it comes, every pid in $pids
#                             is ended and $tmp removed
#   start NAME ARGS...        $bin/NAME ARGS 0 in the background (port 0: the
#                             kernel picks); stdout to $tmp/NAME.out, stderr
#                             to $tmp/NAME.err; sets $pid and $port
#   wait_for FILE REGEX       until a line of FILE matches (10 s at most)
#   fail MESSAGE              say what went wrong and exit 1

. "$(dirname "$0")/../scripts/listening.sh"

pids=""

demo_init() {
    bin=$(cd "${2:?usage: $1/demo.sh BUILD_DIR}" && pwd)/$1
    tmp=$(mktemp -d)
    trap demo_cleanup EXIT
}

demo_cleanup() {
    for p in $pids; do
        kill -CONT "$p" 2>/dev/null || true  # a stopped process ignores SIGTERM until continued
        kill "$p" 2>/dev/null || true
    done
    rm -rf "$tmp"
}

fail() { printf 'demo failed: %s\n' "$*" >&2; exit 1; }

wait_for() {
    tries=0
    until grep -Eq "$2" "$1" 2>/dev/null; do
        tries=$((tries + 1))
        [ "$tries" -le 200 ] || fail "no '$2' in $1: $(cat "$1" 2>/dev/null)"
        sleep 0.05
    done
}

start() {
    name=$1
    shift
    "$bin/$name" "$@" 0 >"$tmp/$name.out" 2>"$tmp/$name.err" &
    pid=$!
    pids="$pids $pid"
    port=$(wait_listening "$tmp/$name.out") ||
        fail "$name printed no 'listening on <addr>, port <n>' line: $(cat "$tmp/$name.out" "$tmp/$name.err")"
}
