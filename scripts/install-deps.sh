#!/bin/sh
# SPDX-License-Identifier: MIT
# Installs what the kit needs on Debian 12 (run as root, or it uses sudo).
set -eu
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# tftpd-hpa and openbsd-inetd would start system-wide daemons on port 69 and
# friends; the kit runs its own copies on private loopback ports, so keep the
# packages' services from starting (Debian's policy-rc.d convention).
POLICY=/usr/sbin/policy-rc.d
if [ ! -e "$POLICY" ]; then
    printf '#!/bin/sh\nexit 101\n' | $SUDO tee "$POLICY" >/dev/null
    $SUDO chmod 755 "$POLICY"
    trap '$SUDO rm -f "$POLICY"' EXIT
fi
# One package (or one family) per line, each with why it is here.
$SUDO apt-get install -y -qq --no-install-recommends \
    build-essential cmake make pkg-config g++ clang \
    googletest libgtest-dev libgmock-dev \
    libpcap-dev tcpdump \
    procps iproute2 psmisc socat netcat-openbsd gnuplot-nox python3 \
    ca-certificates git \
    curl \
    nftables \
    hyperfine \
    bubblewrap \
    libxml2-utils \
    chromium \
    zlib1g-dev \
    tftpd-hpa tftp-hpa \
    openbsd-inetd \
    wrk busybox
# Why each of the newer ones is here:
#   curl            the HTTP lab's tests and README: a real client
#   nftables        labnet's `link HOST loss PCT` (this kernel has no netem)
#   hyperfine       bench/labnet/updown.sh times `labnet up 2` + `labnet down`
#   bubblewrap      the exercises grader's sandbox for student code
#   libxml2-utils   xmllint checks tcpview's SVG ladder is well-formed
#   chromium        the HTTP lab's and tcpview's browser tests: a real browser
#   zlib1g-dev      the HTTP browser test inflates Chromium's PNG screenshot
#   tftpd-hpa, tftp-hpa  the UDP file transfer's benchmark peer
#   openbsd-inetd   the real super-server the inetd lab is compared against
#   wrk, busybox    the HTTP benchmark's load generator and a peer server
