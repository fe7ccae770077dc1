#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# bench.sh BUILD_DIR [SIZE_MIB] [RUNS] - moves one page-cached file over
# loopback into a file with ftserv02/ftcli02, nc and socat -b 131072 (and,
# for the lesson, with the handout's 256-byte segments, FTServer/FTClient,
# on the file's first SEG_MIB MiB, default 128: at 256 bytes a segment the
# whole GiB takes a minute), interleaved in the same run, and prints the
# median and the best rate of each, beside a limit: the same copy with no
# network at all, `cp --reflink=never` (copy_file_range(2): page cache to
# page cache inside the kernel), which no tool moving the bytes through a
# socket can beat.
#
# Each run times the whole copy, from starting the sending side until the
# receiving side has exited with every byte written to its file (in the
# page cache; nobody fsyncs).  The destination is removed between runs.
set -eu
build=${1:?usage: bench.sh BUILD_DIR [SIZE_MIB] [RUNS]}
size_mib=${2:-1024}
runs=${3:-5}
seg_mib=${SEG_MIB:-128}
[ "$seg_mib" -le "$size_mib" ] || seg_mib=$size_mib
ft=$build/filetransfer
for p in ftserv02 ftcli02 FTServer FTClient; do
    [ -x "$ft/$p" ] || { echo "bench.sh: build $p first: cmake --build $build --target $p" >&2; exit 1; }
done
command -v nc >/dev/null && command -v socat >/dev/null || { echo "bench.sh: needs nc and socat" >&2; exit 1; }

work=$(mktemp -d "${TMPDIR:-/tmp}/ftbench.XXXXXX")
server_pid=
cleanup() {
    [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
mkdir "$work/srv"
src=$work/srv/src.bin
head -c $((size_mib << 20)) /dev/urandom > "$src"
head -c $((seg_mib << 20)) "$src" > "$work/srv/small.bin"
cat "$src" "$work/srv/small.bin" > /dev/null   # into the page cache
dst=$work/dst.bin

now() { date +%s.%N; }
calc() { awk "BEGIN { print ($1) }"; }  # floating point without bc; () so ">" compares
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_listen() { # port: until something listens there
    for _ in $(seq 200); do
        ss -Hltn "sport = :$1" | grep -q . && return 0
        sleep 0.01
    done
    echo "bench.sh: nothing listens on port $1" >&2; exit 1
}
check() { # the copy must be complete and exact, or the figure means nothing
    local want=$src
    [ "$1" = FTClient ] && want=$work/srv/small.bin
    cmp -s "$want" "$dst" || { echo "bench.sh: $1 produced a wrong copy" >&2; exit 1; }
    rm -f "$dst"
}

# Each t_TOOL prints "WALL CPU": the seconds the copy took, and the CPU
# seconds (user + system) both sides used for it.  On a shared machine the
# CPU time is the steadier figure: the wall time also counts the waits for
# a core that other work holds.
timed() { # FILE CMD...: CMD, its CPU seconds into FILE
    local f=$1; shift
    /usr/bin/time -f '%U %S' -o "$f" "$@"
}
cpu() { awk '{ s += $1 + $2 } END { print s }' "$@"; }
t_nc() {
    local port; port=$(free_port)
    timed "$work/l.cpu" nc -l 127.0.0.1 "$port" > "$dst" & local l=$!
    wait_listen "$port"
    local t0; t0=$(now)
    timed "$work/s.cpu" nc -N 127.0.0.1 "$port" < "$src"
    wait $l
    echo "$(calc "$(now) - $t0") $(cpu "$work/l.cpu" "$work/s.cpu")"
}
t_socat() {
    local port; port=$(free_port)
    timed "$work/l.cpu" socat -b 131072 -u TCP-LISTEN:"$port",bind=127.0.0.1,reuseaddr OPEN:"$dst",creat,trunc & local l=$!
    wait_listen "$port"
    local t0; t0=$(now)
    timed "$work/s.cpu" socat -b 131072 -u OPEN:"$src" TCP:127.0.0.1:"$port"
    wait $l
    echo "$(calc "$(now) - $t0") $(cpu "$work/l.cpu" "$work/s.cpu")"
}
# The server's children's CPU seconds so far (reaped ones: cutime, cstime).
children_cpu() { awk -v hz="$(getconf CLK_TCK)" '{ sub(/.*\) /, ""); print ($14 + $15) / hz }' "/proc/$server_pid/stat"; }
t_ftcli02() {
    local before; before=$(children_cpu)
    local t0; t0=$(now)
    echo "src.bin $dst" | timed "$work/c.cpu" "$ft/ftcli02" -f 127.0.0.1 "$ft_port"
    local t1; t1=$(now)
    while [ -n "$(ps -o pid= --ppid "$server_pid")" ]; do sleep 0.01; done  # its child reaped
    echo "$(calc "$t1 - $t0") $(calc "$(cpu "$work/c.cpu") + $(children_cpu) - $before")"
}
t_limit() { # no network: what copying the file costs by itself
    local t0; t0=$(now)
    timed "$work/c.cpu" cp --reflink=never "$src" "$dst"
    echo "$(calc "$(now) - $t0") $(cpu "$work/c.cpu")"
}
t_FTClient() { # the handout's 256-byte segments: single-shot, so a server per run
    local out=$work/FTServer.out
    rm -f "$out"  # the last run's port must not be read before this one's
    timed "$work/l.cpu" "$ft/FTServer" 0 > "$out" 2>/dev/null & local s=$!
    for _ in $(seq 200); do grep -q port "$out" && break; sleep 0.01; done
    local port; port=$(sed -n 's/.*port //p' "$out")
    local t0; t0=$(now)
    timed "$work/c.cpu" "$ft/FTClient" 127.0.0.1 "$port" "$work/srv/small.bin" "$dst"
    wait $s
    echo "$(calc "$(now) - $t0") $(cpu "$work/l.cpu" "$work/c.cpu")"
}

"$ft/ftserv02" -d "$work/srv" 0 > "$work/ftserv02.out" 2>/dev/null & server_pid=$!
for _ in $(seq 200); do grep -q port "$work/ftserv02.out" && break; sleep 0.01; done
ft_port=$(sed -n 's/.*port //p' "$work/ftserv02.out")

tools="ftcli02 nc socat limit FTClient"
declare -A times cpus
for run in $(seq "$runs"); do
    # A different order each round, so no tool always follows the same one.
    order=$(echo $tools | tr ' ' '\n' | awk -v r="$run" '{a[NR]=$0} END {for (i=0;i<NR;i++) print a[(i+r)%NR+1]}')
    for tool in $order; do
        read -r t c < <("t_$tool"); check "$tool"
        times[$tool]="${times[$tool]:-} $t"
        cpus[$tool]="${cpus[$tool]:-} $c"
    done
done

echo "file: $size_mib MiB (FTServer/FTClient: $seg_mib MiB), page-cached, loopback, into a file"
echo "runs: $runs of each, interleaved, in a different order each round; load average: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-38s %9s %9s %10s %11s\n' tool 'median s' 'MiB/s' 'best MiB/s' 'CPU s/GiB'
declare -A rate best cpu_gib
label() { case $1 in
    ftcli02) echo "ftserv02/ftcli02 (sendfile, splice)";;
    nc) echo "nc (netcat-openbsd)";;
    socat) echo "socat -b 131072";;
    limit) echo "limit: cp --reflink=never (no network)";;
    FTClient) echo "FTServer/FTClient (256-byte segments)";; esac; }
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
for tool in $tools; do
    mib=$size_mib
    [ "$tool" = FTClient ] && mib=$seg_mib
    # shellcheck disable=SC2086  # the lists are words on purpose
    med=$(median ${times[$tool]})
    # shellcheck disable=SC2086
    min=$(printf '%s\n' ${times[$tool]} | sort -g | head -n 1)
    rate[$tool]=$(calc "$mib / $med")
    best[$tool]=$(calc "$mib / $min")
    # shellcheck disable=SC2086
    cpu_gib[$tool]=$(calc "$(median ${cpus[$tool]}) * 1024 / $mib")
    printf '%-38s %9.3f %9.0f %10.0f %11.2f\n' "$(label $tool)" "$med" "${rate[$tool]}" "${best[$tool]}" "${cpu_gib[$tool]}"
done
faster=nc
[ "$(calc "${rate[socat]} > ${rate[nc]}")" = 1 ] && faster=socat
fasterb=nc
[ "$(calc "${best[socat]} > ${best[nc]}")" = 1 ] && fasterb=socat
leaner=nc
[ "$(calc "${cpu_gib[socat]} < ${cpu_gib[nc]}")" = 1 ] && leaner=socat
# The goals (issue 19): at least 1.2x the faster peer, 0.9x the limit.
printf 'ftcli02 / faster of nc and socat:  %.2fx (median, vs %s)  %.2fx (best, vs %s)  %.2fx (CPU, vs %s); goal 1.2x\n' \
    "$(calc "${rate[ftcli02]} / ${rate[$faster]}")" "$faster" "$(calc "${best[ftcli02]} / ${best[$fasterb]}")" "$fasterb" \
    "$(calc "${cpu_gib[$leaner]} / ${cpu_gib[ftcli02]}")" "$leaner"
printf 'ftcli02 / limit (no network):      %.2fx (median)  %.2fx (best)  %.2fx (CPU); goal 0.9x\n' \
    "$(calc "${rate[ftcli02]} / ${rate[limit]}")" "$(calc "${best[ftcli02]} / ${best[limit]}")" \
    "$(calc "${cpu_gib[limit]} / ${cpu_gib[ftcli02]}")"
printf '256-byte segments / ftcli02:       %.3fx (median)  %.3fx (best)  %.3fx (CPU)\n' \
    "$(calc "${rate[FTClient]} / ${rate[ftcli02]}")" "$(calc "${best[FTClient]} / ${best[ftcli02]}")" \
    "$(calc "${cpu_gib[ftcli02]} / ${cpu_gib[FTClient]}")"
