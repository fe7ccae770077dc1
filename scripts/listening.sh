# SPDX-License-Identifier: MIT
# shellcheck shell=sh
# The one shell reader of print_listening's line, "listening on <addr>,
# port <n>" (lib/socklab.cpp prints it; unp::parse_listening reads it in
# C++).  Source it:  . "$(dirname "$0")/../scripts/listening.sh"
#
#   listening_port FILE         the port of FILE's first such line, or nothing
#   wait_listening FILE [SECS]  waits (10 s unless SECS) for that line; prints
#                               the port, or returns 1 if it never came

listening_port() {
    sed -n 's/^listening on .*, port \([0-9][0-9]*\)\(: .*\)\{0,1\}$/\1/p' "$1" 2>/dev/null | head -n 1
}

wait_listening() {
    _tries=$(( ${2:-10} * 100 ))
    while [ "$_tries" -gt 0 ]; do
        _port=$(listening_port "$1")
        if [ -n "$_port" ]; then
            echo "$_port"
            return 0
        fi
        _tries=$((_tries - 1))
        sleep 0.01
    done
    return 1
}
