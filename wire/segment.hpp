// SPDX-License-Identifier: MIT
// segment.hpp - one captured frame to one TCP segment.
//
// The decoder knows nothing about libpcap: it takes the link-layer type
// (a DLT_ value as pcap_datalink() reports it), the capture time and the
// captured bytes, and returns the TCP segment inside, if there is one.
// Checksums are not verified: on loopback the kernel never fills them in.
#ifndef WIRE_SEGMENT_HPP
#define WIRE_SEGMENT_HPP

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace wire {

// Text helpers every part of the viewer writes with: a number, and an
// endpoint the way tcpdump writes it ("127.0.0.1.9877").
template <class Number> std::string num(Number v) { return std::to_string(v); }
inline std::string endpoint(const std::string &addr, uint16_t port) { return addr + "." + num(port); }

// Link-layer types (libpcap's DLT_ values on Linux; the file format's
// LINKTYPE_ values are mapped to these by libpcap).
enum Link : int {
    link_null = 0,       // BSD loopback: 4-byte address family, host order
    link_ethernet = 1,   // Linux "lo" and every Ethernet interface
    link_raw = 12,       // bare IPv4/IPv6 packets
    link_raw_bsd = 14,
    link_loop = 108,     // OpenBSD loopback: 4-byte family, network order
    link_linux_sll = 113,   // Linux "any" device, cooked v1
    link_ipv4 = 228,
    link_ipv6 = 229,
    link_linux_sll2 = 276,  // Linux "any" device, cooked v2
};

// TCP header flags, as in the header's byte 13.
enum Flag : uint8_t {
    flag_fin = 0x01, flag_syn = 0x02, flag_rst = 0x04, flag_psh = 0x08,
    flag_ack = 0x10, flag_urg = 0x20, flag_ece = 0x40, flag_cwr = 0x80,
};

// One TCP option as it appeared in the header, in order.
struct TcpOption {
    uint8_t kind = 0;                // TCPOPT_EOL, TCPOPT_NOP, ... of <netinet/tcp.h>
    std::vector<uint32_t> values;    // mss; shift; sack edges (left, right, ...); TS val, ecr
    uint8_t length = 0;              // the option's length byte (unknown kinds)
};

struct Segment {
    uint64_t number = 0;             // the capture's frame number (1, 2, ...), 0 if unknown
    int64_t time_us = 0;             // capture time, microseconds since the epoch
    bool ipv6 = false;
    std::string src, dst;            // addresses as text ("127.0.0.1", "::1")
    uint16_t sport = 0, dport = 0;
    uint32_t seq = 0, ack = 0;       // raw, as on the wire
    uint8_t flags = 0;
    uint16_t window = 0;             // raw window field (unscaled)
    std::vector<TcpOption> options;
    uint32_t length = 0;             // payload length from the IP header
    std::vector<uint8_t> payload;    // the captured part of the payload (may be shorter)

    bool has(uint8_t f) const { return (flags & f) != 0; }
    // Sequence space the segment occupies: payload, plus one for SYN and FIN.
    uint32_t seq_space() const { return length + (has(flag_syn) ? 1 : 0) + (has(flag_fin) ? 1 : 0); }
    std::optional<uint16_t> mss() const;
    std::optional<uint8_t> wscale() const;
};

// Flags as tcpdump prints them, in its order: F S R P . U E W ("S.", "P.", "FP.").
std::string flags_text(uint8_t flags);

// One UDP datagram.
struct Datagram {
    uint64_t number = 0;
    int64_t time_us = 0;
    bool ipv6 = false;
    std::string src, dst;
    uint16_t sport = 0, dport = 0;
    uint32_t length = 0;             // payload length from the UDP header
    std::vector<uint8_t> payload;    // the captured part
};

// One ICMP or ICMPv6 message; for errors (destination unreachable), the
// datagram it quotes: the packet that caused it, as the sender sent it.
struct Icmp {
    uint64_t number = 0;
    int64_t time_us = 0;
    bool ipv6 = false;
    std::string src, dst;
    uint8_t type = 0, code = 0;
    bool quotes = false;             // the quoted header could be read
    uint8_t quoted_protocol = 0;     // IPPROTO_UDP, IPPROTO_TCP
    std::string quoted_src, quoted_dst;
    uint16_t quoted_sport = 0, quoted_dport = 0;

    // Destination unreachable, port unreachable (ICMP 3/3, ICMPv6 1/4).
    bool port_unreachable() const;
};

// What a frame holds: one of the three above, or what was skipped ("ARP",
// "IPv4 protocol 2", "IP fragment", "malformed TCP").
struct Packet {
    enum Kind { tcp, udp, icmp, other } kind = other;
    Segment segment;
    Datagram datagram;
    Icmp message;
    std::string skipped;             // for other: what it was, for "skipped N frames: ..."
};

Packet decode_packet(int link, int64_t time_us, std::span<const uint8_t> frame);

// The TCP segment in one frame; nullopt if the frame is not TCP over IPv4 or
// IPv6, is an IP fragment (the first one too: its TCP payload is not all
// there), or is too short to hold the headers.
std::optional<Segment> decode_frame(int link, int64_t time_us, std::span<const uint8_t> frame);

// The TCP header alone (bytes from the TCP header to the end of the
// payload), for decode_frame and for tests.  ip_payload_len is the length
// the IP header gives for TCP header plus payload.
bool decode_tcp(std::span<const uint8_t> tcp, uint32_t ip_payload_len, Segment &out);

}  // namespace wire

#endif  // WIRE_SEGMENT_HPP
