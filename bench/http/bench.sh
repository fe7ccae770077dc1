#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# bench.sh BUILD_DIR [SECONDS] [ROUNDS] - static files over HTTP on
# loopback: httpserv02 (fork per connection), httpserv03 (epoll),
# `python3 -m http.server` and `busybox httpd -f`, all serving the same
# directory, measured with wrk: a 4 KiB and a 1 MiB file, 1, 16 and 64
# connections, keep-alive (wrk's default; servers that close after each
# answer make wrk reconnect).  Every (file, connections, server) cell runs
# SECONDS (default 3) per round; the rounds (default 3) interleave the
# servers, so a slow moment of the machine hits them all alike.  Prints
# the median requests/s of each cell and each server's ratio to python.
set -eu
. "$(dirname "$0")/../../scripts/listening.sh"  # wait_listening
build=${1:?usage: bench.sh BUILD_DIR [SECONDS] [ROUNDS]}
secs=${2:-3}
rounds=${3:-3}
for p in httpserv02 httpserv03; do
    [ -x "$build/http/$p" ] || { echo "bench.sh: build $p first: cmake --build $build --target $p" >&2; exit 1; }
done
for c in wrk busybox python3 curl; do
    command -v $c >/dev/null || { echo "bench.sh: needs $c (scripts/install-deps.sh installs it)" >&2; exit 1; }
done

work=$(mktemp -d "${TMPDIR:-/tmp}/httpbench.XXXXXX")
pids=()
cleanup() {
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
mkdir "$work/www"
head -c 4096 /dev/urandom > "$work/www/4k.bin"
head -c $((1 << 20)) /dev/urandom > "$work/www/1m.bin"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_listen() { # port: until something listens there
    for _ in $(seq 300); do
        ss -Hltn "sport = :$1" | grep -q . && return 0
        sleep 0.01
    done
    echo "bench.sh: nothing listens on port $1" >&2; exit 1
}
declare -A port
start_ours() { # name: our server on port 0; its port from its first line
    "$build/http/$1" -d "$work/www" -t 60 0 > "$work/$1.log" 2>/dev/null & pids+=($!)
    port[$1]=$(wait_listening "$work/$1.log" 3) || { echo "bench.sh: $1 did not start" >&2; exit 1; }
}
start_ours httpserv02
start_ours httpserv03
port[python]=$(free_port)
(cd "$work/www" && exec python3 -m http.server --bind 127.0.0.1 "${port[python]}") > /dev/null 2>&1 & pids+=($!)
port[busybox]=$(free_port)
busybox httpd -f -p "127.0.0.1:${port[busybox]}" -h "$work/www" & pids+=($!)
wait_listen "${port[python]}"
wait_listen "${port[busybox]}"

servers=(httpserv02 httpserv03 python busybox)
for s in "${servers[@]}"; do  # every server must serve the right bytes, or its figure means nothing
    for f in 4k.bin 1m.bin; do
        curl -sf "http://127.0.0.1:${port[$s]}/$f" | cmp -s - "$work/www/$f" ||
            { echo "bench.sh: $s serves a wrong $f" >&2; exit 1; }
    done
done

declare -A results
for r in $(seq "$rounds"); do
    for f in 4k.bin 1m.bin; do
        for c in 1 16 64; do
            for s in "${servers[@]}"; do
                t=$(( c < 2 ? 1 : 2 ))
                rps=$(wrk -t "$t" -c "$c" -d "${secs}s" "http://127.0.0.1:${port[$s]}/$f" |
                      awk '/^Requests\/sec:/ { print $2 }')
                results[$f,$c,$s]+="${rps:-0} "
                printf 'round %d  %-6s  %2d conn  %-10s %10.0f req/s\n' "$r" "$f" "$c" "$s" "${rps:-0}" >&2
            done
        done
    done
done

median() { tr ' ' '\n' | grep . | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
echo
echo "wrk, keep-alive, ${secs} s a cell, median of $rounds interleaved rounds; requests/s (x python)"
printf '| file | conns |'; for s in "${servers[@]}"; do printf ' %s |' "$s"; done; echo
printf '|---|---|'; for _ in "${servers[@]}"; do printf '%s' '---|'; done; echo
for f in 4k.bin 1m.bin; do
    for c in 1 16 64; do
        py=$(echo "${results[$f,$c,python]}" | median)
        printf '| %s | %d |' "${f%.bin}" "$c"
        for s in "${servers[@]}"; do
            m=$(echo "${results[$f,$c,$s]}" | median)
            printf ' %.0f (%.1fx) |' "$m" "$(awk "BEGIN { print ($py > 0) ? $m / $py : 0 }")"
        done
        echo
    done
done
