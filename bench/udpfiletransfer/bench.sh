#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# bench.sh BUILD_DIR [SIZE_MIB] [RUNS] - one page-cached file (64 MiB by
# default) copied over loopback into a file by:
#   tftp-hpa          in.tftpd -L (foreground, private directory and port) and tftp: the classic
#                     stop-and-wait UDP transfer, 512-byte blocks
#   udpft w1          UDPFTClient (stop-and-wait, 1024-byte blocks)
#   udpft w32         UDPFTClient -w 32
#   udpft w32 b8192   UDPFTClient -w 32 -b 8192
#   udpft ... 5% loss the same through the tests' relay dropping 5% each way
#   ftcli02 (TCP)    ftserv02/ftcli02: what TCP's window and congestion control buy
# interleaved, RUNS rounds (default 3), every copy checked with cmp; prints
# the median time of each, its rate, and its speed relative to tftp-hpa.
set -eu
. "$(dirname "$0")/../../scripts/listening.sh"  # wait_listening
build=${1:?usage: bench.sh BUILD_DIR [SIZE_MIB] [RUNS]}
size_mib=${2:-64}
runs=${3:-3}
for p in udpfiletransfer/UDPFTServer udpfiletransfer/UDPFTClient filetransfer/ftserv02 filetransfer/ftcli02 \
         tests/udpfiletransfer/lossy_relay; do
    [ -x "$build/$p" ] || { echo "bench.sh: build ${p##*/} first: cmake --build $build --target ${p##*/}" >&2; exit 1; }
done
command -v in.tftpd >/dev/null && command -v tftp >/dev/null || { echo "bench.sh: needs tftpd-hpa and tftp-hpa" >&2; exit 1; }

work=$(mktemp -d "${TMPDIR:-/tmp}/udpftbench.XXXXXX")
pids=()
cleanup() {
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
mkdir "$work/srv" "$work/cli"
src=$work/srv/src.bin
head -c $((size_mib << 20)) /dev/urandom > "$src"
cat "$src" > /dev/null  # into the page cache

now() { date +%s.%N; }
calc() { awk "BEGIN { print ($1) }"; }
free_udp_port() { python3 -c 'import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
start() { # name command...: starts a server printing "listening on ..., port N"; sets $port
    "${@:2}" > "$work/$1.out" 2> "$work/$1.err" &
    pids+=($!)
    port=$(wait_listening "$work/$1.out" 3) || { echo "bench.sh: $1 did not start: $(cat "$work/$1.err")" >&2; exit 1; }
}

start udpft "$build/udpfiletransfer/UDPFTServer" -d "$work/srv" 0; udpft_port=$port
start relay "$build/tests/udpfiletransfer/lossy_relay" "$udpft_port" 0.05 1; relay_port=$port
start ftserv02 "$build/filetransfer/ftserv02" -d "$work/srv" 0; ft_port=$port
tftp_port=$(free_udp_port)
in.tftpd -L -s "$work/srv" -a "127.0.0.1:$tftp_port" & pids+=($!)
sleep 0.2

names=("tftp-hpa" "udpft w1" "udpft w32" "udpft w32 b8192" "udpft w32 5% loss" "udpft w32 b8192 5% loss" "ftcli02 (TCP)")
copy() { # index: one copy into cli/dst.bin
    local c=$build/udpfiletransfer/UDPFTClient dst=$work/cli/dst.bin
    case $1 in
    0) (cd "$work/cli" && tftp 127.0.0.1 "$tftp_port" -m binary -c get src.bin dst.bin) ;;
    1) "$c" 127.0.0.1 "$udpft_port" src.bin "$dst" ;;
    2) "$c" -w 32 127.0.0.1 "$udpft_port" src.bin "$dst" ;;
    3) "$c" -w 32 -b 8192 127.0.0.1 "$udpft_port" src.bin "$dst" ;;
    4) "$c" -w 32 127.0.0.1 "$relay_port" src.bin "$dst" ;;
    5) "$c" -w 32 -b 8192 127.0.0.1 "$relay_port" src.bin "$dst" ;;
    6) echo "src.bin $dst" | "$build/filetransfer/ftcli02" 127.0.0.1 "$ft_port" ;;
    esac
}
declare -A times
for run in $(seq "$runs"); do
    for i in "${!names[@]}"; do
        t0=$(now)
        copy "$i" > /dev/null
        t1=$(now)
        cmp -s "$src" "$work/cli/dst.bin" || { echo "bench.sh: ${names[$i]} produced a wrong copy" >&2; exit 1; }
        rm -f "$work/cli/dst.bin"
        times[$i]="${times[$i]:-} $(calc "$t1 - $t0")"
    done
    echo "round $run of $runs done" >&2
done

median() { tr ' ' '\n' | grep . | sort -g | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
base=$(echo "${times[0]}" | median)
printf '%s MiB over loopback, median of %s runs (every copy checked with cmp)\n\n' "$size_mib" "$runs"
printf '| %-24s | %8s | %9s | %10s |\n' "transfer" "seconds" "MiB/s" "x tftp-hpa"
printf '|%s|%s|%s|%s|\n' "--------------------------" "----------" "-----------" "------------"
for i in "${!names[@]}"; do
    m=$(echo "${times[$i]}" | median)
    printf '| %-24s | %8.2f | %9.1f | %10.2f |\n' "${names[$i]}" "$m" "$(calc "$size_mib / $m")" "$(calc "$base / $m")"
done
