#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# bench/run.sh - `make bench`: every server design of bench/designs (and the
# lab's echo servers, tcpserv00 and tcpserv01, when built) under the same
# load, over a small grid; a Markdown table, a CSV file and a chart
# (bench/chart.sh, which also redraws one from a kept CSV).
#
# Usage: bench/run.sh BUILD_DIR [--quick] [--clients "1 4 16 64"] [--repeat N] [--out DIR]
#   --quick    a smoke run: 1 and 16 clients, a tenth of the requests, once
#   --clients  the numbers of concurrent clients to try
#   --repeat   run each point N times and keep the median by requests/s
#              (default 3: one unlucky run on a busy machine is common)
#   --out      where results.csv, results.md and chart.svg go
#              (default BUILD_DIR/bench/designs/results)
#
# The scenarios (bench/README.md explains how to read them):
#   tiny       a new connection per request, 16-byte request and reply
#   keepalive  the same requests, all of a client's on one connection
#   work       a new connection per request, the server waits 1 ms before
#              each reply (as for a disk or a database)
#   slow       tiny, plus one slow client that trickles its requests
#              (4 bytes every 10 ms); the figures are the other clients'
# Each run is `loadgen -c C -n R ... -- SERVER 0`: it starts the server,
# loads it, stops it and reports; the exact line is in the CSV's command.
set -euo pipefail

usage() { echo "usage: bench/run.sh BUILD_DIR [--quick] [--clients \"1 4 16 64\"] [--repeat N] [--out DIR]" >&2; exit 1; }

[ $# -ge 1 ] || usage
build=$1
shift
quick=0
clients="1 4 16 64"
repeat=3
out=""
while [ $# -gt 0 ]; do
    case $1 in
    --quick) quick=1; clients="1 16"; repeat=1 ;;
    --clients) [ $# -ge 2 ] || usage; clients=$2; shift ;;
    --repeat) [ $# -ge 2 ] && [ "$2" -ge 1 ] 2>/dev/null || usage; repeat=$2; shift ;;
    --out) [ $# -ge 2 ] || usage; out=$2; shift ;;
    *) usage ;;
    esac
    shift
done
[ -d "$build" ] || { echo "bench/run.sh: no build directory $build (run make first)" >&2; exit 1; }
build=$(cd "$build" && pwd)
designs=$build/bench/designs
loadgen=$designs/loadgen
[ -x "$loadgen" ] || { echo "bench/run.sh: $loadgen is not built (run make first)" >&2; exit 1; }
out=${out:-$designs/results}
mkdir -p "$out"
out=$(cd "$out" && pwd)
csv=$out/results.csv
md=$out/results.md

# label | program (relative to the build dir) | its options before the port
servers=(
    "iterative|bench/designs/serv_iterative|"
    "fork|bench/designs/serv_fork|"
    "prefork|bench/designs/serv_prefork|-n 8"
    "prefork-lock|bench/designs/serv_prefork|-l -n 8"
    "thread|bench/designs/serv_thread|"
    "prethread|bench/designs/serv_prethread|-n 8"
    "select|bench/designs/serv_select|"
    "poll|bench/designs/serv_poll|"
    "epoll|bench/designs/serv_epoll|"
    "tcpserv00|tcpcliserv/tcpserv00|"
    "tcpserv01|tcpcliserv/tcpserv01|"
)
# The lab's servers speak echo, not the designs' service: loadgen -e.
is_echo() { case $1 in tcpserv*) return 0 ;; *) return 1 ;; esac; }

# name | loadgen options | total requests per run (split over the clients)
scenarios=(
    "tiny|-q 16 -r 16|4000"
    "keepalive|-k -q 16 -r 16|8000"
    "work|-q 16 -r 16 -w 1000|400"
    "slow|-q 16 -r 16 -s 1 -t 10000|100"
)

# ---- the machine ----
cores=$(nproc)
kernel=$(uname -sr)
cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)
buildtype=$(sed -n 's/^CMAKE_BUILD_TYPE:[A-Z]*=//p' "$build/CMakeCache.txt" 2>/dev/null || true)
sanitize=$(sed -n 's/^SOCKLAB_SANITIZE:BOOL=//p' "$build/CMakeCache.txt" 2>/dev/null || true)
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
started=$(date -u '+%Y-%m-%d %H:%M UTC')
echo "designs bench: $cores cores ($cpu), $kernel, build $buildtype, load average $load_before"
case $sanitize in ON|on|1|TRUE|true) echo "warning: this build has sanitizers on: the figures are not representative" >&2 ;; esac

# ---- the runs ----
header=$("$loadgen" --csv --header)
echo "scenario,$header,command" >"$csv"
for scen in "${scenarios[@]}"; do
    IFS='|' read -r sname sopts stotal <<<"$scen"
    minr=10
    [ $quick = 1 ] && stotal=$((stotal / 10)) && minr=2
    echo "== $sname ($sopts), $stotal requests per run"
    for entry in "${servers[@]}"; do
        IFS='|' read -r label prog popts <<<"$entry"
        if [ ! -x "$build/$prog" ]; then
            echo "   $label: skipped ($prog is not built)"
            continue
        fi
        opts=$sopts
        if is_echo "$label"; then
            [ "$sname" = work ] && continue  # echo has no server-side work
            opts="-e ${sopts/-r 16/}"
        fi
        line="   $label:"
        for c in $clients; do
            r=$((stotal / c))
            [ $r -ge $minr ] || r=$minr  # enough requests per client to measure
            cmd="loadgen -l $label -c $c -n $r $opts -- $prog ${popts:+$popts }0"
            runs=""
            for _ in $(seq "$repeat"); do
                # shellcheck disable=SC2086  # the options are words on purpose
                if result=$(cd "$build" && timeout 300 "$loadgen" --csv -l "$label" -c "$c" -n "$r" $opts -- "$build/$prog" $popts 0); then
                    :
                elif [ $? -ne 2 ] || [ -z "$result" ]; then  # 2: some requests failed, still a result
                    echo "   $label with $c clients: loadgen failed" >&2
                    continue
                fi
                runs="$runs$result"$'\n'
            done
            [ -n "$runs" ] || continue
            # The median run by requests/s (field 18), all its figures kept.
            n=$(printf '%s' "$runs" | grep -c .)
            result=$(printf '%s' "$runs" | sort -t, -k18,18 -g | sed -n "$(((n + 1) / 2))p")
            echo "$sname,$result,$cmd" >>"$csv"
            line="$line  ${c}c $(echo "$result" | cut -d, -f18)/s"
        done
        echo "$line"
    done
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

# ---- the Markdown table: one per scenario, a row per design ----
# CSV fields: 1 scenario 2 label 3 clients 12 ok 13-17 errors 19 req/s
# 22 p99 ms 24 user s 25 sys s
{
    echo "# Server designs compared"
    echo
    echo "- Machine: $cores cores ($cpu), $kernel; build type $buildtype."
    echo "- Run: $started, load average before $load_before, after $load_after"
    echo "  (a load above 0 means other work shared the cores: compare designs within one run)."
    echo "- Command: \`bench/run.sh BUILD_DIR$([ $quick = 1 ] && echo ' --quick')\` (clients: $clients; each point the median of $repeat run$([ "$repeat" = 1 ] || echo s) by requests/s)."
    echo
    awk -F, -v clients="$clients" '
    NR == 1 { next }
    {
        key = $1 SUBSEP $2 SUBSEP $3
        rps[key] = $19; p99[key] = $22
        err[key] = $13 + $14 + $15 + $16 + $17
        cpu[key] = ($12 > 0) ? ($24 + $25) / $12 * 1e6 : 0
        if (!($1 in seen_s)) { seen_s[$1] = 1; scen[++ns] = $1 }
        if (!(($1, $2) in seen_d)) { seen_d[$1, $2] = 1; nd[$1]++; des[$1, nd[$1]] = $2 }
    }
    END {
        n = split(clients, cl, " ")
        mid = cl[1]; for (i = 1; i <= n; i++) if (cl[i] <= 16) mid = cl[i]
        what["tiny"] = "a new connection per request, 16-byte request and reply"
        what["keepalive"] = "all of a client'"'"'s requests on one connection"
        what["work"] = "a new connection per request; the server waits 1 ms before each reply"
        what["slow"] = "tiny, plus one slow client trickling its requests (4 bytes every 10 ms); figures of the other clients"
        for (s = 1; s <= ns; s++) {
            sc = scen[s]
            printf "### %s: %s\n\nrequests/s and p99 latency (ms) per number of concurrent clients\n\n", sc, what[sc]
            printf "| design |"
            for (i = 1; i <= n; i++) printf " %s client%s |", cl[i], cl[i] == 1 ? "" : "s"
            printf " server CPU per request, %s clients |\n|---|", mid
            for (i = 1; i <= n; i++) printf "---:|"
            printf "---:|\n"
            for (d = 1; d <= nd[sc]; d++) {
                ds = des[sc, d]
                printf "| %s |", ds
                for (i = 1; i <= n; i++) {
                    k = sc SUBSEP ds SUBSEP cl[i]
                    if (!(k in rps)) { printf " - |"; continue }
                    printf " %d · %.2f%s |", rps[k], p99[k], (err[k] > 0) ? sprintf(" (%d errors)", err[k]) : ""
                }
                k = sc SUBSEP ds SUBSEP mid
                printf " %s |\n", (k in cpu) ? sprintf("%.0f µs", cpu[k]) : "-"
            }
            printf "\n"
        }
        # The headline figures.
        k16 = "tiny" SUBSEP "fork" SUBSEP mid
        best = ""; bestv = 0
        for (d = 1; d <= nd["tiny"]; d++) {
            ds = des["tiny", d]; k = "tiny" SUBSEP ds SUBSEP mid
            if ((k in rps) && rps[k] > bestv) { bestv = rps[k]; best = ds }
        }
        printf "### What it shows\n\n"
        if ((k16 in rps) && bestv > 0)
            printf "- Connections per second at %s clients (tiny): fork per connection %d, best %s %d: fork does %.2f of the best (%.1fx slower).\n", mid, rps[k16], best, bestv, rps[k16] / bestv, bestv / rps[k16]
        ki = "tiny" SUBSEP "iterative" SUBSEP cl[1]; kf = "tiny" SUBSEP "fork" SUBSEP cl[1]
        if ((ki in rps) && (kf in rps))
            printf "- With %s client%s and tiny requests, iterative %d/s vs fork %d/s: no fork per connection.\n", cl[1], cl[1] == 1 ? "" : "s", rps[ki], rps[kf]
        for (x = 1; x <= 2; x++) {
            sc = x == 1 ? "work" : "slow"
            line = ""
            for (i = 1; i <= n; i++) {
                ki = sc SUBSEP "iterative" SUBSEP cl[i]
                if (!(ki in p99)) continue
                other = ""
                split("fork thread epoll", o, " ")
                for (j = 1; j <= 3; j++) {
                    k = sc SUBSEP o[j] SUBSEP cl[i]
                    if (k in p99) other = other sprintf("%s%s %.1f", other == "" ? "" : ", ", o[j], p99[k])
                }
                line = line sprintf("%s%s client%s: iterative %.1f ms (%s)", line == "" ? "" : "; ", cl[i], cl[i] == 1 ? "" : "s", p99[ki], other)
            }
            if (line != "")
                printf "- p99 with %s: %s.\n", sc == "work" ? "1 ms of work per request" : "one slow client", line
            # Where it explodes: the fewest clients at which the iterative
            # server has a p99 over 5 times the best of fork, thread, epoll.
            for (i = 1; i <= n; i++) {
                ki = sc SUBSEP "iterative" SUBSEP cl[i]
                bestp = 0
                for (j = 1; j <= 3; j++) {
                    k = sc SUBSEP o[j] SUBSEP cl[i]
                    if ((k in p99) && (bestp == 0 || p99[k] < bestp)) bestp = p99[k]
                }
                if ((ki in p99) && bestp > 0 && p99[ki] > 5 * bestp) {
                    printf "  The iterative server'"'"'s p99 explodes (over 5x the best of fork, thread, epoll) from %s client%s on: %.1f ms vs %.1f ms.\n", cl[i], cl[i] == 1 ? "" : "s", p99[ki], bestp
                    break
                }
            }
        }
    }' "$csv"
    echo
    echo "Every run's figures (wall time, p50/p90/max, CPU, errors, the loadgen command): results.csv."
} >"$md"

# ---- the chart: requests/s, p99 and max latency per design (bench/chart.sh) ----
chart=$out/chart.svg
if command -v gnuplot >/dev/null 2>&1; then
    "$(dirname "$0")/chart.sh" "$csv" "$chart" "Server designs on $cores cores, $kernel ($started)" || true
else
    echo "bench/run.sh: gnuplot not found: no chart (apt-get install gnuplot-nox)" >&2
fi

echo
cat "$md"
echo
echo "results: $md, $csv$([ -f "$chart" ] && echo ", $chart")"

