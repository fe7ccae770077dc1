#!/bin/sh
# SPDX-License-Identifier: MIT
# http/demo.sh BUILD_DIR - the HTTP lab on loopback, checked as it goes:
# httpserv01 answering curl (one connection per request), httpserv02
# reusing one connection for two requests, the redirect, a directory 301,
# a 404, and a way out of the served directory refused.  Exits non-zero if
# anything is off.
set -eu

# shellcheck source=scripts/demo-lib.sh
. "$(dirname "$0")/../scripts/demo-lib.sh"
demo_init http "${1:-build}"
site=$(cd "$(dirname "$0")/site" && pwd)

indent() { sed 's/^/    /'; }
status() { curl -s -o /dev/null -w '%{http_code} %{redirect_url}' --path-as-is "$@"; }

echo "--- 1. httpserv01 -d http/site: two files with curl, one connection each"
start httpserv01 -d "$site" -t 2
url=http://127.0.0.1:$port
curl -s "$url/notes.txt" "$url/style.css" >"$tmp/got"
cat "$site/notes.txt" "$site/style.css" | cmp -s - "$tmp/got" || fail "the bodies differ from the files"
wait_for "$tmp/httpserv01.out" '"GET /style.css HTTP/1.1" 200'
grep -F '"GET' "$tmp/httpserv01.out" | indent
[ "$(grep -c port= "$tmp/httpserv01.out")" -eq 2 ] || fail "expected two log lines"
[ "$(grep -o 'port=[0-9]*' "$tmp/httpserv01.out" | sort -u | wc -l)" -eq 2 ] || fail "expected two client ports"
echo "    ok: byte-exact bodies; two client ports: HTTP/1.0, the server closes after each answer"

echo "--- 2. httpserv02: the same two requests on one kept-alive connection"
start httpserv02 -d "$site" -t 2
url=http://127.0.0.1:$port
curl -s "$url/notes.txt" "$url/style.css" >/dev/null
wait_for "$tmp/httpserv02.out" '"GET /style.css HTTP/1.1" 200'
grep -F '"GET' "$tmp/httpserv02.out" | indent
[ "$(grep -o 'port=[0-9]*' "$tmp/httpserv02.out" | sort -u | wc -l)" -eq 1 ] || fail "expected one client port"
echo "    ok: one client port for both requests"

echo "--- 3. What the page's links do"
for path in /redirect /img /no-such-page.html /../etc/passwd /%2e%2e/etc/passwd; do
    printf '%-20s -> %s\n' "$path" "$(status "$url$path")" | indent
done
[ "$(status "$url/redirect")" = "301 $url/result.html" ] || fail "/redirect is not a 301 to /result.html"
[ "$(status "$url/img")" = "301 $url/img/" ] || fail "/img is not a 301 to /img/"
[ "$(status "$url/no-such-page.html")" = "404 " ] || fail "no 404"
[ "$(status "$url/../etc/passwd")" = "403 " ] || fail "/../etc/passwd is not refused"
echo "    ok: 301 with Location, 301 to the directory, 404, 403 for the way out"
