#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# signals/demo.sh BUILD_DIR: the signals lab on loopback, in a few seconds.
#   1. zombies: five children end while SIGCHLD is blocked; ps shows them
#      <defunct>; one SIGCHLD reaps one (wait) or all (waitpid)
#   2. Practice 2: tcpserv04 and tcpcli07, whose timer ends it while connected
#   3. eintr: SIGCHLD interrupts accept(), without and with SA_RESTART
#   4. sigpipe: default action, caught, MSG_NOSIGNAL
# Exits non-zero, saying why, if any step does not show what it should.
set -u
. "$(dirname "$0")/../scripts/listening.sh"  # wait_listening
build=${1:?usage: signals/demo.sh BUILD_DIR}
build=$(cd "$build" && pwd) || exit 1
sig=$build/signals
for prog in "$sig/zombies" "$sig/eintr" "$sig/sigpipe" "$sig/tcpcli07" "$build/tcpcliserv/tcpserv04"; do
    [ -x "$prog" ] || { echo "demo: $prog is not built (run: make)" >&2; exit 1; }
done

tmp=$(mktemp -d)
servers=()
cleanup() {
    for pid in "${servers[@]}"; do kill "$pid" 2>/dev/null; done
    rm -rf "$tmp"
}
trap cleanup EXIT

fail() { echo "demo FAILED: $*" >&2; exit 1; }
say() { printf '\n--- %s\n' "$*"; }
show() { sed 's/^/    | /' "$@"; }
# expect FILE TEXT: FILE holds the line TEXT (a fixed string), or the demo fails.
expect() { grep -qF -- "$2" "$1" || { show "$1" >&2; fail "expected \"$2\""; }; }

# ps for the children of $1, as a student would type it.
ps_children() { ps -o pid,ppid,stat,cmd --ppid "$1" | show; }

# Waits (up to 5 s) until process $1 is blocked in accept(): /proc/PID/syscall
# starts with the system call's number (43 accept, 288 accept4 on x86-64;
# 202 and 242 on arm64), or /proc/PID/wchan names the kernel's accept.
wait_in_accept() {
    local nr
    for _ in $(seq 500); do
        read -r nr _ < "/proc/$1/syscall" 2>/dev/null || nr=
        case $nr in 43 | 288 | 202 | 242) return 0 ;; esac
        # Without ptrace access to /proc/PID/syscall, the wait channel says it.
        [ "$(cat "/proc/$1/wchan" 2>/dev/null)" = inet_csk_accept ] && return 0
        sleep 0.01
    done
    fail "process $1 never blocked in accept()"
}

# Starts a server (its arguments), waits for its port; sets $port and $spid.
start_server() {
    local out=$1; shift
    "$@" > "$out" 2>&1 &
    spid=$!
    servers+=("$spid")
    port=$(wait_listening "$out" 5) || fail "$* never printed its port"
}

# Waits (up to 5 s) until FILE holds TEXT.
wait_for() {
    for _ in $(seq 500); do
        grep -qF -- "$2" "$1" && return 0
        sleep 0.01
    done
    show "$1" >&2
    fail "expected \"$2\""
}

# ---------------------------------------------------------------- zombies
for handler in wait waitpid; do
    say "zombies -b -n 5 $handler   (SIGCHLD blocked while the five children exit)"
    # Its stdin and stdout through fifos, so we can run ps at each stop.
    mkfifo "$tmp/z-in-$handler" "$tmp/z-out-$handler"
    "$sig/zombies" -b -n 5 "$handler" < "$tmp/z-in-$handler" > "$tmp/z-out-$handler" 2>&1 &
    zpid=$!
    exec 4> "$tmp/z-in-$handler" 5< "$tmp/z-out-$handler"
    out=$tmp/zombies-$handler
    : > "$out"
    while IFS= read -r line <&5; do
        echo "$line" >> "$out"
        echo "    | $line"
        case $line in
        "press Enter"*)
            echo "  \$ ps -o pid,ppid,stat,cmd --ppid $zpid"
            ps_children "$zpid"
            echo >&4
            ;;
        esac
    done
    exec 4>&- 5<&-
    wait "$zpid" || fail "zombies exited with status $?"
    expect "$out" "5 children ended, and SIGCHLD is pending: one bit, not a count (signals are not queued)"
    if [ "$handler" = wait ]; then
        expect "$out" "zombies left: 4 (reaped by the handler: 1)"
    else
        expect "$out" "zombies left: 0 (reaped by the handler: 5)"
    fi
done
echo "  => one pending SIGCHLD for five children: wait() reaps one, the waitpid loop reaps all"

# ------------------------------------------------------ Practice 2: tcpcli07
say "tcpserv04 0   and   tcpcli07 -t 0.3 127.0.0.1 PORT   (timer ends the client while connected)"
start_server "$tmp/tcpserv04" "$build/tcpcliserv/tcpserv04" 0
srv=$spid
mkfifo "$tmp/cli-in"
"$sig/tcpcli07" -t 0.3 127.0.0.1 "$port" < "$tmp/cli-in" > "$tmp/cli-out" 2>&1 &
cli=$!
exec 3> "$tmp/cli-in"          # the client's stdin stays open: only the timer can end it
echo hello >&3
wait "$cli"; status=$?
exec 3>&-
echo "  client:"; show "$tmp/cli-out"
echo "  client exit status: $status"
[ "$status" -eq 0 ] || fail "tcpcli07 exited with status $status"
expect "$tmp/cli-out" "hello"
expect "$tmp/cli-out" "tcpcli07: SIGALRM after 0.300 s: exiting while connected"
wait_for "$tmp/tcpserv04" "terminated"
echo "  server:"; show "$tmp/tcpserv04"
echo "  \$ ps -o pid,ppid,stat,cmd --ppid $srv"
ps_children "$srv"
[ -z "$(ps -o pid= --ppid "$srv")" ] || fail "tcpserv04 left a child behind"
kill -0 "$srv" 2>/dev/null || fail "tcpserv04 did not stay up"
echo "  => the child ended with the client, the handler reaped it, the server is still up"

# -------------------------------------------------------------------- eintr
for flag in "" -r; do
    say "eintr ${flag:+$flag }0   (a client comes and goes while the parent sleeps in accept())"
    out=$tmp/eintr$flag
    start_server "$out" "$sig/eintr" $flag 0
    mkfifo "$tmp/in$flag"
    "$sig/tcpcli07" 127.0.0.1 "$port" < "$tmp/in$flag" > /dev/null &
    cli=$!
    exec 3> "$tmp/in$flag"
    echo hi >&3
    wait_for "$out" "serves it"
    wait_in_accept "$spid"     # so the SIGCHLD to come finds the parent in accept()
    exec 3>&-                  # EOF: the client exits, then the server's child
    wait "$cli" || fail "echo through eintr failed"
    wait_for "$out" "terminated"
    echo ho | "$sig/tcpcli07" 127.0.0.1 "$port" > /dev/null || fail "eintr stopped serving"
    wait_for "$out" "accepted 127.0.0.1"
    show "$out"
    if [ -z "$flag" ]; then
        expect "$out" "accept() returned -1, errno EINTR (Interrupted system call): calling accept() again"
        echo "  => without SA_RESTART, accept() returned EINTR; the loop called it again"
    else
        ! grep -q EINTR "$out" || fail "accept() returned EINTR despite SA_RESTART"
        echo "  => with SA_RESTART, the kernel resumed accept(): the program never saw EINTR"
    fi
    kill "$spid"
done

# ------------------------------------------------------------------ sigpipe
for mode in default catch nosignal; do
    say "sigpipe $mode"
    "$sig/sigpipe" "$mode" > "$tmp/sigpipe" 2>&1; status=$?
    show "$tmp/sigpipe"
    echo "  exit status: $status$([ "$status" -gt 128 ] && echo " = 128 + $((status - 128)) (SIG$(kill -l "$status"))")"
    case $mode in
    default) [ "$status" -eq 141 ] || fail "sigpipe default: expected death by SIGPIPE (141), got $status" ;;
    catch)
        [ "$status" -eq 1 ] || fail "sigpipe catch: expected exit 1, got $status"
        expect "$tmp/sigpipe" "SIGPIPE caught"
        expect "$tmp/sigpipe" "write error: Broken pipe"
        ;;
    nosignal)
        [ "$status" -eq 1 ] || fail "sigpipe nosignal: expected exit 1, got $status"
        expect "$tmp/sigpipe" "send error: Broken pipe"
        ;;
    esac
done
echo "  => SIGPIPE's default action ends the writer; caught, ignored or avoided, write returns EPIPE"

printf '\nsignals demo: every step showed what it should.\n'
