#!/bin/sh
# SPDX-License-Identifier: MIT
# Runs each lab's short loopback demo (<folder>/demo.sh BUILD_DIR) in turn.
set -eu
build=${1:-build}
build=$(cd "$build" && pwd)
top=$(cd "$(dirname "$0")/.." && pwd)
for lab in intro tcpcliserv signals lottery filetransfer http wire exercises; do
    if [ -x "$top/$lab/demo.sh" ]; then
        printf '\n===== %s =====\n' "$lab"
        "$top/$lab/demo.sh" "$build"
    fi
done
printf '\ndemo finished: every step above did what it should.\n'
