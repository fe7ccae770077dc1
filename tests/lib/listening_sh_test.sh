#!/bin/sh
# SPDX-License-Identifier: MIT
# scripts/listening.sh reads print_listening's line and nothing else, and
# wait_listening gives up when the line never comes.
set -eu
. "$1/scripts/listening.sh"
f=$(mktemp)
trap 'rm -f "$f"' EXIT
printf 'hello\nconnection from 127.0.0.1, port 5\nlistening on ::, port 4242\nlistening on 0.0.0.0, port 7\n' >"$f"
[ "$(listening_port "$f")" = 4242 ] || { echo "listening_port: got '$(listening_port "$f")'"; exit 1; }
[ "$(wait_listening "$f" 1)" = 4242 ] || { echo "wait_listening did not find 4242"; exit 1; }
printf 'listening on 0.0.0.0, port 12x\n' >"$f"
[ -z "$(listening_port "$f")" ] || { echo "listening_port read a bad line"; exit 1; }
if wait_listening "$f" 1 >/dev/null; then echo "wait_listening did not time out"; exit 1; fi
[ -z "$(listening_port /nonexistent)" ]
echo ok
