#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# bench/chart.sh - the designs bench's chart, from its CSV (bench/run.sh
# writes both; run this alone to redraw a chart from a kept CSV).
#
# Usage: bench/chart.sh RESULTS.csv OUT.svg|OUT.png [TITLE]
#
# One column per scenario, three rows: requests/s; p99 latency; and the
# worst (max) latency, which is what a queue shows: the iterative server's
# p99 on keepalive is tiny (the queued clients' first requests are under
# 1 % of all requests) while its max is the time the last client waited.
# The designs are grouped by how they serve clients, one line style per
# group (the legend says which), one colour each; a design missing from a
# scenario is named in its panels with the reason.
set -euo pipefail

[ $# -ge 2 ] && [ $# -le 3 ] || { echo "usage: bench/chart.sh RESULTS.csv OUT.svg|OUT.png [TITLE]" >&2; exit 1; }
csv=$1 chart=$2 title=${3:-Server designs}
command -v gnuplot >/dev/null 2>&1 || { echo "bench/chart.sh: gnuplot not found (apt-get install gnuplot-nox)" >&2; exit 1; }
case $chart in
*.svg) terminal='svg size 1600,1180 dynamic font "sans,11" background "white"' ;;
*.png) terminal='pngcairo size 1600,1180 font "sans,10" background "white"' ;;
*) echo "bench/chart.sh: $chart: the chart is .svg or .png" >&2; exit 1 ;;
esac

# group | its line style (gnuplot dash type) | label:colour:point type ...
# Colours: Paul Tol's "bright" and "muted" schemes (told apart also by
# colour-blind readers), black and grey for the lab's one-at-a-time pair.
groups=(
    "one client at a time|1|iterative:#000000:7 tcpserv00:#999999:6"
    "a process per client|(14,6)|fork:#CC3311:5 prefork:#EE7733:9 prefork-lock:#AA4499:13 tcpserv01:#EE3377:4"
    "a thread per client|(4,4)|thread:#009988:7 prethread:#33BBEE:11"
    "one process, many sockets|(14,4,3,4)|select:#0077BB:5 poll:#117733:9 epoll:#DDAA33:13"
)
# Why a design may have no figures in a scenario.
why_missing() { # label scenario
    case $1:$2 in
    tcpserv*:work) echo "echo servers: no work to wait for" ;;
    *) echo "not built, or every run failed" ;;
    esac
}

data=$(mktemp -d)
trap 'rm -rf "$data"' EXIT
# CSV columns by name, so a new loadgen field cannot shift them.
col() { head -1 "$csv" | tr ',' '\n' | grep -nx "$1" | cut -d: -f1; }
c_s=$(col scenario) c_l=$(col label) c_c=$(col clients) c_ok=$(col ok)
c_rps=$(col requests_per_s) c_p99=$(col p99_ms) c_max=$(col max_ms)
scenarios=$(awk -F, -v c="$c_s" 'NR > 1 && !seen[$c]++ { printf "%s ", $c }' "$csv")
scenarios_last=$(echo "$scenarios" | awk '{ print $NF }')
clients=$(awk -F, -v c="$c_c" 'NR > 1 { print $c }' "$csv" | sort -n -u | tr '\n' ' ')

# The plot command of one panel: `using` COLUMN of each design's file, a
# legend header per group (only in the first panel).
plots() { # scenario column with-key
    local s=$1 using=$2 key=$3 g name dt designs d label colour pt list=""
    for g in "${groups[@]}"; do
        IFS='|' read -r name dt designs <<<"$g"
        [ "$key" = 1 ] && list="$list, keyentry with lines lc rgb 'white' title '{/:Bold $name}'"
        for d in $designs; do
            IFS=: read -r label colour pt <<<"$d"
            local f=$data/$s-$label.dat
            awk -F, -v s="$s" -v l="$label" -v cs="$c_s" -v cl="$c_l" -v cc="$c_c" -v ok="$c_ok" \
                -v a="$c_rps" -v b="$c_p99" -v m="$c_max" \
                'NR > 1 && $cs == s && $cl == l && $ok > 0 { print $cc, $a, $b, $m }' "$csv" | sort -n >"$f"
            local t="notitle"
            [ "$key" = 1 ] && t="title '$label'"
            if [ -s "$f" ]; then
                list="$list, '$f' using 1:$using with linespoints lw 2 dt $dt lc rgb '$colour' pt $pt ps 0.8 $t"
            elif [ "$key" = 1 ]; then  # still in the legend, so the colours stay the same in every run
                list="$list, keyentry with linespoints lw 2 dt $dt lc rgb '$colour' pt $pt ps 0.8 $t"
            fi
        done
    done
    echo "${list#, }"
}

# The designs without figures in a scenario: "not shown: a, b\n(why)",
# one such pair of lines per reason.
missing() { # scenario
    local s=$1 g name dt designs d label why out=""
    declare -A by_why=()
    local order=()
    for g in "${groups[@]}"; do
        IFS='|' read -r name dt designs <<<"$g"
        for d in $designs; do
            label=${d%%:*}
            awk -F, -v s="$s" -v l="$label" -v cs="$c_s" -v cl="$c_l" -v ok="$c_ok" \
                'NR > 1 && $cs == s && $cl == l && $ok > 0 { found = 1 } END { exit !found }' "$csv" && continue
            why=$(why_missing "$label" "$s")
            [ -n "${by_why[$why]:-}" ] || order+=("$why")
            by_why[$why]="${by_why[$why]:+${by_why[$why]}, }$label"
        done
    done
    for why in "${order[@]}"; do out="$out${out:+\\n}not shown: ${by_why[$why]}\\n($why)"; done
    echo "$out"
}

{
    echo "set terminal $terminal"
    echo "set output '$chart'"
    echo "set logscale x 2"
    echo "set xtics ($(echo "$clients" | sed 's/\([0-9][0-9]*\)/"\1" \1/g; s/ "/, "/g; s/, $//'))"
    echo "set xrange [$(echo "$clients" | awk '{ print $1 * 0.8 }'):$(echo "$clients" | awk '{ print $NF * 1.25 }')]"
    echo "set grid"
    echo "set key at screen 0.995, screen 0.93 right top font ',10' spacing 1.15 box opaque width -2"
    echo "set multiplot layout 3,$(echo "$scenarios" | wc -w) title '$title' margins 0.05, 0.83, 0.05, 0.93 spacing 0.05, 0.07"
    row=0
    for what in "2|requests/s|0" "3|p99 latency (ms, log)|1" "4|max latency (ms, log): the longest wait|1"; do
        IFS='|' read -r using ytitle logy <<<"$what"
        row=$((row + 1))
        for s in $scenarios; do
            key=0
            [ "$row" = 1 ] && [ "$s" = "${scenarios%% *}" ] && key=1
            echo "set title '$s: $ytitle'"
            if [ "$logy" = 1 ]; then echo "set logscale y; set yrange [*:*]"; else echo "unset logscale y; set yrange [0:*]"; fi
            # Only the bottom row names the x axis: a label under the top
            # rows would run into the titles of the row below.
            if [ "$row" = 3 ]; then echo "set xlabel 'concurrent clients'"; else echo "unset xlabel"; fi
            if [ "$key" = 1 ]; then echo "set key"; else echo "unset key"; fi
            m=$(missing "$s")
            echo "unset label"
            [ -n "$m" ] && echo "set label 1 \"$m\" at graph 0.02, graph 0.96 left front font ',9' tc rgb '#555555'"
            if [ "$row" = 3 ] && [ "$s" = "${scenarios_last}" ]; then
                # Beside the bottom row, under the legend: what the max row is for.
                echo "set label 99 \"The max row: the longest wait.\\nThe iterative server's p99 on\\nkeepalive looks the best: the\\nqueued clients' first requests\\nare under 1 % of the requests.\\nIts max is the wait of the client\\nserved last.\" at screen 0.845, screen 0.3 left front font ',10'"
            fi
            echo "plot $(plots "$s" "$using" "$key")"
        done
    done
    echo "unset multiplot"
} >"$data/chart.gp"
gnuplot "$data/chart.gp" 2>"$data/gnuplot.log" || { echo "bench/chart.sh: gnuplot failed: $(cat "$data/gnuplot.log")" >&2; exit 1; }
