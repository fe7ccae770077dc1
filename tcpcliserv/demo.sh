#!/bin/sh
# SPDX-License-Identifier: MIT
# tcpcliserv/demo.sh BUILD_DIR - echo, sum, and the SIGCHLD lesson on
# loopback, as a transcript.  Exits non-zero if anything is off.
set -eu
# shellcheck source=scripts/demo-lib.sh
. "$(dirname "$0")/../scripts/demo-lib.sh"
demo_init tcpcliserv "${1:-}"

# serve NAME: starts NAME on port 0 and shows it, as a student would see it.
serve() {
    start "$1"
    echo "\$ $1 0 &"
    cat "$tmp/$1.out"
}

# zombies: how many children of the server $pid are zombies.
zombies() { ps -o stat= --ppid "$pid" | grep -c '^Z' || true; }
# Conditions for wait_until, checked afresh on every try.
children_are() { [ "$(ps -o pid= --ppid "$pid" | wc -l)" -eq "$1" ]; }
zombies_are() { [ "$(zombies)" -eq "$1" ]; }
stopped() { [ "$(ps -o stat= -p "$pid" | cut -c1)" = T ]; }

# wait_until CMD...: retries CMD for up to 10 s (a busy machine is slow).
wait_until() {
    tries=0
    until "$@"; do
        tries=$((tries + 1))
        [ "$tries" -lt 200 ] || return 1
        sleep 0.05
    done
}

echo '--- echo: a fork server and the stop-and-wait client'
serve tcpserv01
printf 'hello\nsecond line\n' >"$tmp/in"
printf '%s\n' "\$ printf 'hello\\nsecond line\\n' | tcpcli01 127.0.0.1 $port"
"$bin/tcpcli01" 127.0.0.1 "$port" <"$tmp/in" >"$tmp/echo.out" || fail "tcpcli01 failed"
cat "$tmp/echo.out"
cmp -s "$tmp/in" "$tmp/echo.out" || fail "the echo differs from the input"

echo
echo '--- sum as text (Practice 1)'
serve tcpserv08
printf '2 5\n-3 3\na b\n' >"$tmp/in"
printf '%s\n' "\$ printf '2 5\\n-3 3\\na b\\n' | tcpcli08 127.0.0.1 $port"
"$bin/tcpcli08" 127.0.0.1 "$port" <"$tmp/in" >"$tmp/sum.out" || fail "tcpcli08 failed"
cat "$tmp/sum.out"
[ "$(cat "$tmp/sum.out")" = "$(printf '7\n0\ninput error')" ] || fail "wrong sums"

echo
echo '--- SIGCHLD (Practice 2): five children end together, one signal is delivered'
mkfifo "$tmp/stdin"
for server in tcpserv03 tcpserv04; do
    serve "$server"
    echo "\$ tcpcli04 127.0.0.1 $port &      # five connections, five children"
    "$bin/tcpcli04" 127.0.0.1 "$port" <"$tmp/stdin" >/dev/null &
    client=$!
    exec 3>"$tmp/stdin"  # the client's stdin stays open until we close fd 3
    wait_until children_are 5 || fail "$server: no five children: $(ps -o pid=,stat= --ppid "$pid" | tr '\n' ' ')"
    echo "\$ kill -STOP $pid; (end tcpcli04: its five connections close); kill -CONT $pid"
    kill -STOP "$pid"
    wait_until stopped || fail "$server did not stop"
    exec 3>&-  # EOF on the client's stdin: it exits, closing all five
    wait "$client" || fail "tcpcli04 failed"
    wait_until zombies_are 5 || fail "$server: the five children did not end"
    kill -CONT "$pid"
    wait_until grep -q terminated "$tmp/$server.out" || fail "$server reaped no child"
    if [ "$server" = tcpserv03 ]; then want=4; else want=0; fi
    wait_until zombies_are "$want" || fail "$server: expected $want zombies, found $(zombies); $(cat "$tmp/$server.out")"
    grep terminated "$tmp/$server.out"
    echo "zombies left behind $server: $(zombies)"
done

echo
echo "ok: byte-exact echo, text sums, wait() leaves 4 zombies and the waitpid() loop none"
