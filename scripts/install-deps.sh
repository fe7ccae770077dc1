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
    ca-certificates git
