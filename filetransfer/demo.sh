#!/bin/sh
# SPDX-License-Identifier: MIT
# filetransfer/demo.sh BUILD_DIR - Practice 4 on loopback, checked as it
# goes: the handout's session with FTServer/FTClient, a refused request,
# then an ftcli02 session against ftserv02 with escapes that are refused
# while the server goes on serving.  Exits non-zero if anything is off.
set -eu

# shellcheck source=scripts/demo-lib.sh
. "$(dirname "$0")/../scripts/demo-lib.sh"
demo_init filetransfer "${1:-build}"

indent() { sed 's/^/    /'; }

mkdir "$tmp/home" "$tmp/here" "$tmp/served" "$tmp/outside"
printf 'temp file\nfor test\nnetwork programming\n' >"$tmp/home/temp1"

echo "--- 1. The handout's session: FTServer, then FTClient 127.0.0.1 <port> $tmp/home/temp1 ./temp1"
start FTServer
server=$pid
(cd "$tmp/here" && "$bin/FTClient" 127.0.0.1 "$port" "$tmp/home/temp1" ./temp1) || fail "FTClient exited $?"
wait "$server" || fail "FTServer exited $?"
sed 's/^/server printed: /' "$tmp/FTServer.out" | indent
sed 's/^/cat temp1: /' "$tmp/here/temp1" | indent
cmp -s "$tmp/home/temp1" "$tmp/here/temp1" || fail "temp1 differs from the original"
grep -qx "$tmp/home/temp1" "$tmp/FTServer.out" || fail "FTServer did not print the path"
echo "    ok: an exact copy, in 256-byte segments ending with a 0-length one"

echo "--- 2. FTClient asks for a file that does not exist"
start FTServer
server=$pid
if (cd "$tmp/here" && "$bin/FTClient" 127.0.0.1 "$port" /no/such/file ./nofile) 2>"$tmp/err"; then
    fail "FTClient succeeded for a missing file"
fi
wait "$server" || true  # the server reports the failed open and exits 1
indent <"$tmp/err"
grep -q 'No such file or directory' "$tmp/err" || fail "no reason shown"
[ ! -e "$tmp/here/nofile" ] || fail "a local file was created"
echo "    ok: the server's reason, exit status 1, no local file"

echo "--- 3. ftserv02 -d served; one ftcli02 session, five requests"
head -c 3000000 /dev/urandom >"$tmp/served/photo.jpg"
mkdir "$tmp/served/docs"
printf 'notes\n' >"$tmp/served/docs/notes.txt"
printf 'secret\n' >"$tmp/outside/secret"
ln -s "$tmp/outside/secret" "$tmp/served/escape"
start ftserv02 -d "$tmp/served"
printf 'photo.jpg\n../outside/secret\nescape\n%s\ndocs/notes.txt my-notes.txt\n' "$tmp/outside/secret" >"$tmp/requests"
sed 's/^/typed: /' "$tmp/requests" | indent
if (cd "$tmp/here" && "$bin/ftcli02" 127.0.0.1 "$port" <"$tmp/requests") 2>"$tmp/err"; then
    fail "ftcli02 exited 0 although three requests were refused"
fi
sed 's/^/client: /' "$tmp/err" | indent
wait_for "$tmp/ftserv02.err" 'my-notes|notes.txt'
sed 's/^/server log: /' "$tmp/ftserv02.err" | indent
[ "$(grep -c 'outside the served directory' "$tmp/err")" -eq 3 ] || fail "three escapes should be refused"
cmp -s "$tmp/served/photo.jpg" "$tmp/here/photo.jpg" || fail "photo.jpg differs"
cmp -s "$tmp/served/docs/notes.txt" "$tmp/here/my-notes.txt" || fail "my-notes.txt differs"
[ ! -e "$tmp/here/secret" ] && [ ! -e "$tmp/here/escape" ] || fail "a refused file appeared"
ls -A "$tmp/here" | grep -q '^\.' && fail "a temporary file was left: $(ls -A "$tmp/here")"
echo "    ok: two files copied exactly, three escapes refused, the server still serving"
echo "filetransfer demo: all checks passed"
