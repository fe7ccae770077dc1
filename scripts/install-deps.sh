#!/bin/sh
# SPDX-License-Identifier: MIT
# Installs what the kit needs on Debian 12 (run as root, or it uses sudo).
set -eu
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends \
    build-essential cmake make pkg-config g++ clang \
    googletest libgtest-dev libgmock-dev \
    libpcap-dev tcpdump \
    procps iproute2 psmisc socat netcat-openbsd gnuplot-nox python3 \
    ca-certificates git curl \
    nftables bubblewrap libxml2-utils hyperfine \
    tftpd-hpa tftp-hpa openbsd-inetd wrk busybox chromium
# Why each of the newer ones is here:
#   nftables        labnet's `link HOST loss PCT` (this kernel has no netem)
#   hyperfine       bench/labnet/updown.sh times `labnet up 2` + `labnet down`
#   bubblewrap      the exercises grader's sandbox for student code
#   libxml2-utils   xmllint checks tcpview's SVG ladder is well-formed
#   curl, chromium  the HTTP lab's tests: a real client and a real browser
#   tftpd-hpa, tftp-hpa  the UDP file transfer's benchmark peer
#   openbsd-inetd   the real super-server the inetd lab is compared against
#   wrk, busybox    the HTTP benchmark's load generator and a peer server
