#!/bin/sh
# SPDX-License-Identifier: MIT
# intro/demo.sh BUILD_DIR - the daytime server and client on loopback:
# start the server on a port the kernel picks, ask it the time, check the
# answer is one RFC 867 line.  Exits non-zero if anything is off.
set -eu
# shellcheck source=scripts/demo-lib.sh
. "$(dirname "$0")/../scripts/demo-lib.sh"
demo_init intro "${1:-}"

echo '$ daytimetcpsrv 0 &          # port 0: the kernel picks a free port'
start daytimetcpsrv
cat "$tmp/daytimetcpsrv.out"
server=$pid

echo "\$ daytimetcpcli 127.0.0.1 $port"
"$bin/daytimetcpcli" 127.0.0.1 "$port" >"$tmp/client.out" || fail "the client exited with status $?"
tr -d '\r' <"$tmp/client.out"

# One line, "Sat Nov 21 10:04:47 2026\r\n", and nothing else.
[ "$(wc -l <"$tmp/client.out")" -eq 1 ] || fail "expected one line"
grep -Eq '^(Mon|Tue|Wed|Thu|Fri|Sat|Sun) [A-Z][a-z]{2} [ 1-3][0-9] [0-9]{2}:[0-9]{2}:[0-9]{2} [0-9]{4}'"$(printf '\r')"'$' \
    "$tmp/client.out" || fail "not an RFC 867 daytime line"

kill "$server"
wait "$server" 2>/dev/null || true
server=
echo "\$ daytimetcpcli 127.0.0.1 $port      # the server is gone now"
if "$bin/daytimetcpcli" 127.0.0.1 "$port" 2>"$tmp/err.out"; then
    fail "the client succeeded with no server"
fi
cat "$tmp/err.out"
grep -q '^connect error: Connection refused$' "$tmp/err.out" || fail "expected a refused connection"
echo "ok: one daytime line, and a clear error once the server is gone"
