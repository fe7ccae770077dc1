#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# make_capture.py FILE - writes a small pcap (Ethernet, IPv4) of one whole
# TCP connection on 127.0.0.1: the handshake, "hello\n" from the client,
# a FIN each way.  For the install check, which runs the installed
# `tcpview -r` on it without the root a live capture needs.
import struct
import sys


def checksum(b):
    if len(b) % 2:
        b += b'\0'
    s = sum(struct.unpack('!%dH' % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


def frame(sport, dport, seq, ack, flags, data=b''):
    src = dst = bytes([127, 0, 0, 1])
    tcp = struct.pack('!HHIIBBHHH', sport, dport, seq, ack, 5 << 4, flags, 65535, 0, 0) + data
    pseudo = src + dst + struct.pack('!BBH', 0, 6, len(tcp))
    tcp = tcp[:16] + struct.pack('!H', checksum(pseudo + tcp)) + tcp[18:]
    ip = struct.pack('!BBHHHBBH4s4s', 0x45, 0, 20 + len(tcp), 1, 0x4000, 64, 6, 0, src, dst)
    ip = ip[:10] + struct.pack('!H', checksum(ip)) + ip[12:]
    return b'\0' * 12 + b'\x08\x00' + ip + tcp  # Ethernet: no addresses, type IPv4


c, s = 40000, 9877  # client and server ports
SYN, ACK, PSH, FIN = 0x02, 0x10, 0x08, 0x01
frames = [frame(c, s, 100, 0, SYN), frame(s, c, 500, 101, SYN | ACK), frame(c, s, 101, 501, ACK),
          frame(c, s, 101, 501, PSH | ACK, b'hello\n'), frame(s, c, 501, 107, ACK),
          frame(c, s, 107, 501, FIN | ACK), frame(s, c, 501, 108, FIN | ACK), frame(c, s, 108, 502, ACK)]
with open(sys.argv[1], 'wb') as out:
    out.write(struct.pack('<IHHiIII', 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))  # pcap, LINKTYPE_ETHERNET
    for i, f in enumerate(frames):
        out.write(struct.pack('<IIII', 1700000000, i * 1000, len(f), len(f)) + f)
