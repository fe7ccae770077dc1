#!/bin/sh
# SPDX-License-Identifier: MIT
# lottery/demo.sh BUILD_DIR - the Lottery lab on loopback, checked as it
# goes: the handout's session, two servers on one port, a second client
# against the one-client server (requirement 4), and the draw that fork
# and poll servers give their clients.  Exits non-zero if anything is off.
set -eu

# shellcheck source=scripts/demo-lib.sh
. "$(dirname "$0")/../scripts/demo-lib.sh"
demo_init lottery "${1:-build}"

# show INPUT FILE: the client's output FILE with the typed commands put
# back after each prompt, as a terminal would show them.
show() {
    awk -v input="$1" '
        BEGIN { n = split(input, typed, " "); p = "Command \\(0:GEN 1:LIST 2:END\\): " }
        { line = $0
          while (match(line, p)) {
              printf "%s%s\n", substr(line, 1, RSTART + RLENGTH - 1), typed[++i]
              line = substr(line, RSTART + RLENGTH)
          }
          if (line != "") print line }' "$2" | sed 's/^/    /'
}

echo "--- 1. The handout's session: LotteryServer -s 2026, LotteryClient 127.0.0.1"
start LotteryServer -s 2026
server=$pid
cmds="0 0 0 1 0 0 0 0 1 2"
printf '%s\n' $cmds | "$bin/LotteryClient" 127.0.0.1 "$port" >"$tmp/client.out" ||
    fail "LotteryClient exited $?"
show "$cmds" "$tmp/client.out"
wait "$server" || fail "LotteryServer exited $?"
sed 's/^/    server: /' "$tmp/LotteryServer.out"
drawn=$(sed -n 's/.*New number generated: \([0-9]*\)$/\1/p' "$tmp/client.out")
[ "$(echo "$drawn" | wc -l)" -eq 6 ] || fail "not six numbers: $drawn"
[ "$(echo "$drawn" | sort -u | wc -l)" -eq 6 ] || fail "a number drawn twice: $drawn"
for n in $drawn; do [ "$n" -ge 1 ] && [ "$n" -le 45 ] || fail "out of range: $n"; done
grep -q ': Full$' "$tmp/client.out" || fail "no Full after six GENs"
grep -q ": numbers: $(echo $drawn)\$" "$tmp/client.out" || fail "LIST does not show $(echo $drawn)"
echo "    ok: six distinct numbers in 1..45, then Full; the server ended with its client"

echo "--- 2. Two servers on one port (requirement 2)"
start LotteryServer
first=$pid
if "$bin/LotteryServer" "$port" 2>"$tmp/second.err" >/dev/null; then
    fail "a second server on port $port started"
fi
sed 's/^/    second server: /' "$tmp/second.err"
head -n 1 "$tmp/second.err" | grep -qx 'bind error: Address already in use' ||
    fail "unexpected message: $(cat "$tmp/second.err")"
echo "    ok: the second exits non-zero; the first still listens"

echo "--- 3. A second client against the one-client server (requirement 4)"
{ printf '0\n'; until [ -e "$tmp/go" ]; do sleep 0.05; done; printf '2\n'; } |
    "$bin/LotteryClient" 127.0.0.1 "$port" >"$tmp/a.out" 2>&1 &
a=$!
pids="$pids $a"
wait_for "$tmp/a.out" 'New number generated'
printf '0\n' | "$bin/LotteryClient" 127.0.0.1 "$port" >"$tmp/b.out" 2>"$tmp/b.err" &
b=$!
pids="$pids $b"
wait_for "$tmp/b.out" 'Command'
sleep 0.5
! grep -q 'New number' "$tmp/b.out" || fail "the second client was served"
echo "    client B connected and sent GEN; after 0.5 s still no answer:"
show "0" "$tmp/b.out"
touch "$tmp/go"  # client A types 2 (END): the server closes and ends
wait "$a" || fail "client A exited $?"
wait "$first" || fail "LotteryServer exited $?"
if wait "$b"; then fail "client B exited 0 after the server ended"; fi
sed 's/^/    client B: /' "$tmp/b.err"
echo "    ok: B waited in the listen queue, and was dropped when the server ended"

echo "--- 4. Which numbers each client sees: fork (a copy each) vs poll (one shared)"
for name in LotteryServerFork LotteryServerPoll; do
    start "$name" -s 1
    printf '0\n0\n2\n' | "$bin/LotteryClient" 127.0.0.1 "$port" >/dev/null
    printf '0\n1\n2\n' | "$bin/LotteryClient" 127.0.0.1 "$port" >"$tmp/second.out"
    kill "$pid"
    list=$(sed -n 's/.*\(numbers: .*\)$/\1/p' "$tmp/second.out")
    printf '    %-17s the 2nd client, after 2 GENs by the 1st and 1 of its own: %s\n' "$name" "$list"
    drawn=$(echo "$list" | tr ' ' '\n' | grep -c '^[1-9]')
    case $name in
    *Fork) [ "$drawn" -eq 1 ] || fail "fork: the child's draw is not its own: $list" ;;
    *Poll) [ "$drawn" -eq 3 ] || fail "poll: the draw is not shared: $list" ;;
    esac
done
echo "    ok: a forked child draws for its client alone; the poll server's clients share one draw"
echo "lottery demo: all checks passed"
