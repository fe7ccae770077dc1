#!/bin/sh
# SPDX-License-Identifier: MIT
# wire/demo.sh BUILD_DIR - tcpview on the reports' experiments: the daytime
# exchange, an RST from unread data, a half-close, then the saved capture
# read back without privilege.  Without the privilege to capture it shows
# tcpview's one-line explanation and the experiments' own output instead.
# Exits non-zero if anything is off.
set -eu
. "$(dirname "$0")/../scripts/listening.sh"  # wait_listening
build=${1:?usage: wire/demo.sh BUILD_DIR}
build=$(cd "$build" && pwd)
tcpview=$build/wire/tcpview
ex=$build/experiments
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "demo failed: $*" >&2; exit 1; }
short() { cut -c1-160; }   # the long lines, shortened for the transcript

# Runs tcpview --run SERVER CLIENT [extra...], shows its output, keeps it in $tmp/out.
view() {
    server=$1 client=$2
    shift 2
    echo "\$ tcpview --run '$server' --run '$client' $*"
    "$tcpview" --run "$server" --run "$client" "$@" >"$tmp/out" 2>&1 || { cat "$tmp/out"; fail "tcpview exited with status $?"; }
    short <"$tmp/out"
    echo
}
expect() { grep -q -- "$1" "$tmp/out" || fail "expected: $1"; }

# A first capture tells whether we may capture at all.
"$tcpview" --run 'true' --run 'true' >/dev/null 2>"$tmp/err" </dev/null || true
if grep -q 'needs root' "$tmp/err"; then
    echo '$ tcpview port 9877          # not root, no CAP_NET_RAW/CAP_NET_ADMIN'
    cat "$tmp/err"
    grep -q 'setcap cap_net_raw,cap_net_admin=eip' "$tmp/err" || fail "no setcap hint"
    echo
    echo "(run the demo as root to see the capture; the experiments themselves:)"
    "$ex/upperserv" 0 >"$tmp/server.out" 2>&1 &
    server=$!
    trap 'kill $server 2>/dev/null; rm -rf "$tmp"' EXIT
    port=$(wait_listening "$tmp/server.out" 5) || fail "upperserv did not start"
    echo "\$ oneshotcli 127.0.0.1 $port hello again"
    "$ex/oneshotcli" 127.0.0.1 "$port" hello again | tee "$tmp/out"
    expect 'read 5 bytes: HELLO'
    echo "ok: tcpview explains what it needs; the experiments run"
    exit 0
fi

cd "$build"
if [ -x intro/daytimetcpsrv ] && [ -x intro/daytimetcpcli ]; then
    view './intro/daytimetcpsrv 0' './intro/daytimetcpcli 127.0.0.1 {port}' -w "$tmp/daytime.pcap"
    expect 'handshake 3/3'
    expect 'data: 26 bytes written by the server'
    expect 'closed first:  by the server'
    expect 'ended:         orderly'
fi

view './experiments/floodserv 0' './experiments/oneshotcli 127.0.0.1 {port} Hello,World!'
expect 'RST from the client: the client called close() with unread data'
expect 'ended:         reset by the client'

view './experiments/eofserv 0' "./experiments/halfclosecli 127.0.0.1 {port} 'hello, half-close'"
expect 'shutdown(SHUT_WR): it kept reading after its FIN'

if [ -f "$tmp/daytime.pcap" ]; then
    echo '$ tcpview -r daytime.pcap    # a saved capture needs no privilege'
    "$tcpview" -r "$tmp/daytime.pcap" >"$tmp/out" || fail "tcpview -r failed"
    grep -c 'Flags \[' "$tmp/out" | sed 's/$/ segments read back/'
    expect 'closed first:  by the server'
fi
echo "ok: handshake, data, FIN order, both RST causes and the half-close, as the notes say"
