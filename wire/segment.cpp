// SPDX-License-Identifier: MIT
// segment.cpp - link layer, IPv4/IPv6 and TCP headers, by hand, so a
// student can read what each byte of a capture means.
#include "segment.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

#include <algorithm>
#include <cstdio>

namespace wire {

namespace {

uint16_t be16(const uint8_t *p) { return static_cast<uint16_t>(p[0] << 8 | p[1]); }
uint32_t be32(const uint8_t *p)
{
    return static_cast<uint32_t>(p[0]) << 24 | static_cast<uint32_t>(p[1]) << 16 |
           static_cast<uint32_t>(p[2]) << 8 | p[3];
}

std::string addr_text(int family, const uint8_t *p)
{
    char buf[INET6_ADDRSTRLEN];
    return inet_ntop(family, p, buf, sizeof buf) ? buf : "?";
}

constexpr uint16_t ethertype_ipv4 = 0x0800;
constexpr uint16_t ethertype_ipv6 = 0x86dd;
constexpr uint16_t ethertype_vlan = 0x8100;
constexpr uint16_t ethertype_qinq = 0x88a8;

// The IP packet inside a frame (its version is its first nibble: see
// decode_ip), or what the frame holds instead.
struct Network {
    std::span<const uint8_t> packet;
    bool ok = false;
    std::string other;  // when not ok: what the frame is instead
};

constexpr uint16_t ethertype_arp = 0x0806;

std::string ethertype_name(uint16_t type)
{
    if (type == ethertype_arp)
        return "ARP";
    char buf[32];
    snprintf(buf, sizeof buf, "ethertype 0x%04x", type);
    return buf;
}

Network strip_link(int link, std::span<const uint8_t> f)
{
    auto from = [&](size_t off) {
        return off <= f.size() ? Network{f.subspan(off), true, {}} : Network{{}, false, "short frame"};
    };
    switch (link) {
    case link_ethernet: {
        size_t off = 12;
        while (off + 2 <= f.size()) {
            uint16_t type = be16(&f[off]);
            if (type == ethertype_vlan || type == ethertype_qinq) {
                off += 4;  // skip the tag, read the next type
                continue;
            }
            if (type != ethertype_ipv4 && type != ethertype_ipv6)
                return {{}, false, ethertype_name(type)};
            return from(off + 2);
        }
        return {{}, false, "short frame"};
    }
    case link_null:
    case link_loop:
        return from(4);  // the address family; the IP version nibble says the same
    case link_raw:
    case link_raw_bsd:
    case link_ipv4:
    case link_ipv6:
        return from(0);
    case link_linux_sll:
        if (f.size() < 16)
            return {};
        if (be16(&f[14]) != ethertype_ipv4 && be16(&f[14]) != ethertype_ipv6)
            return {{}, false, ethertype_name(be16(&f[14]))};
        return from(16);
    case link_linux_sll2:
        if (f.size() < 20)
            return {};
        if (be16(&f[0]) != ethertype_ipv4 && be16(&f[0]) != ethertype_ipv6)
            return {{}, false, ethertype_name(be16(&f[0]))};
        return from(20);
    default:
        return {{}, false, "link type " + std::to_string(link)};
    }
}

}  // namespace

std::optional<uint16_t> Segment::mss() const
{
    for (const auto &o : options)
        if (o.kind == TCPOPT_MAXSEG && !o.values.empty())
            return static_cast<uint16_t>(o.values[0]);
    return std::nullopt;
}

std::optional<uint8_t> Segment::wscale() const
{
    for (const auto &o : options)
        if (o.kind == TCPOPT_WINDOW && !o.values.empty())
            return static_cast<uint8_t>(o.values[0]);
    return std::nullopt;
}

std::string flags_text(uint8_t flags)
{
    static const struct { uint8_t bit; char c; } order[] = {
        {flag_fin, 'F'}, {flag_syn, 'S'}, {flag_rst, 'R'}, {flag_psh, 'P'},
        {flag_ack, '.'}, {flag_urg, 'U'}, {flag_ece, 'E'}, {flag_cwr, 'W'}};
    std::string out;
    for (auto o : order)
        if (flags & o.bit)
            out += o.c;
    return out.empty() ? "none" : out;
}

namespace {

// The options of a TCP header (bytes 20 to header_len): kind, length,
// value; NOP and EOL are a single byte.  A malformed option ends the walk,
// keeping what was read.
std::vector<TcpOption> decode_options(std::span<const uint8_t> t, size_t header_len)
{
    std::vector<TcpOption> options;
    size_t i = 20;
    while (i < header_len) {
        TcpOption o;
        o.kind = t[i];
        if (o.kind == TCPOPT_EOL || o.kind == TCPOPT_NOP) {
            options.push_back(o);
            ++i;
            if (o.kind == TCPOPT_EOL)
                break;
            continue;
        }
        if (i + 1 >= header_len)
            break;
        o.length = t[i + 1];
        if (o.length < 2 || i + o.length > header_len)
            break;
        const uint8_t *v = &t[i + 2];
        if (o.kind == TCPOPT_MAXSEG && o.length == 4)
            o.values.push_back(be16(v));
        else if (o.kind == TCPOPT_WINDOW && o.length == 3)
            o.values.push_back(v[0]);
        else if (o.kind == TCPOPT_SACK)
            for (size_t k = 0; k + 8 <= static_cast<size_t>(o.length - 2); k += 8) {
                o.values.push_back(be32(v + k));
                o.values.push_back(be32(v + k + 4));
            }
        else if (o.kind == TCPOPT_TIMESTAMP && o.length == 10) {
            o.values.push_back(be32(v));
            o.values.push_back(be32(v + 4));
        }
        options.push_back(o);
        i += o.length;
    }
    return options;
}

// An IP header (v4 or v6, extension headers walked) and what it carries.
struct Ip {
    bool ok = false;
    std::string why;                 // when not ok
    bool ipv6 = false;
    std::string src, dst;
    uint8_t protocol = 0;
    std::span<const uint8_t> payload;  // captured, cut to the length the header gives
    uint32_t payload_len = 0;          // the length the header gives
};

Ip refuse(std::string why)
{
    Ip ip;
    ip.why = std::move(why);
    return ip;
}

Ip decode_ipv4(std::span<const uint8_t> p)
{
    Ip ip;
    if (p.size() < 20)
        return refuse("short IPv4 header");
    size_t ihl = static_cast<size_t>(p[0] & 0x0f) * 4;
    uint16_t total = be16(&p[2]);
    uint16_t frag = be16(&p[6]);
    if (ihl < 20 || p.size() < ihl || total < ihl)
        return refuse("malformed IPv4 header");
    if ((frag & 0x1fff) != 0)
        return refuse("IPv4 fragment");  // only the first holds the transport header
    ip.ipv6 = false;
    ip.src = addr_text(AF_INET, &p[12]);
    ip.dst = addr_text(AF_INET, &p[16]);
    ip.protocol = p[9];
    size_t end = total < p.size() ? total : p.size();
    ip.payload = p.subspan(ihl, end - ihl);
    ip.payload_len = total - static_cast<uint32_t>(ihl);
    ip.ok = (frag & 0x2000) == 0 || ip.protocol != IPPROTO_TCP;
    if (!ip.ok)
        ip.why = "IPv4 fragment";  // TCP on loopback never needs them
    return ip;
}

Ip decode_ipv6(std::span<const uint8_t> p)
{
    Ip ip;
    if (p.size() < 40)
        return refuse("short IPv6 header");
    ip.ipv6 = true;
    uint32_t remaining = be16(&p[4]);  // payload length, extension headers included
    uint8_t next = p[6];
    ip.src = addr_text(AF_INET6, &p[8]);
    ip.dst = addr_text(AF_INET6, &p[24]);
    size_t off = 40;
    // Walk hop-by-hop, routing and destination options headers.
    while (next == IPPROTO_HOPOPTS || next == IPPROTO_ROUTING || next == IPPROTO_DSTOPTS) {
        if (off + 2 > p.size())
            return refuse("short IPv6 extension header");
        size_t len = (static_cast<size_t>(p[off + 1]) + 1) * 8;
        if (len > remaining)
            return refuse("malformed IPv6 extension header");
        next = p[off];
        off += len;
        remaining -= static_cast<uint32_t>(len);
    }
    if (next == IPPROTO_FRAGMENT)
        return refuse("IPv6 fragment");
    if (off > p.size())
        return refuse("short IPv6 packet");
    size_t end = off + remaining < p.size() ? off + remaining : p.size();
    ip.protocol = next;
    ip.payload = p.subspan(off, end - off);
    ip.payload_len = remaining;
    ip.ok = true;
    return ip;
}

Ip decode_ip(std::span<const uint8_t> p)
{
    if (p.empty())
        return refuse("empty packet");
    if (p[0] >> 4 == 4)
        return decode_ipv4(p);
    if (p[0] >> 4 == 6)
        return decode_ipv6(p);
    return refuse("IP version " + std::to_string(p[0] >> 4));
}

bool decode_udp(const Ip &ip, Datagram &d)
{
    const auto u = ip.payload;
    if (u.size() < 8 || ip.payload_len < 8)
        return false;
    d.ipv6 = ip.ipv6;
    d.src = ip.src;
    d.dst = ip.dst;
    d.sport = be16(&u[0]);
    d.dport = be16(&u[2]);
    uint16_t udp_len = be16(&u[4]);
    if (udp_len < 8 || udp_len > ip.payload_len)
        return false;
    d.length = udp_len - 8u;
    size_t captured = std::min<size_t>(u.size() - 8, d.length);
    d.payload.assign(u.begin() + 8, u.begin() + 8 + static_cast<std::ptrdiff_t>(captured));
    return true;
}

bool decode_icmp(const Ip &ip, Icmp &m)
{
    const auto c = ip.payload;
    if (c.size() < 8)
        return false;
    m.ipv6 = ip.ipv6;
    m.src = ip.src;
    m.dst = ip.dst;
    m.type = c[0];
    m.code = c[1];
    // Errors quote the offending packet after the 8-byte ICMP header: its
    // IP header and at least 8 bytes of what it carried (both ports).
    bool error = ip.ipv6 ? m.type < 128 : (m.type == 3 || m.type == 11 || m.type == 12);
    if (!error)
        return true;
    Ip inner = decode_ip(c.subspan(8));
    if (inner.ok && inner.payload.size() >= 4) {
        m.quotes = true;
        m.quoted_protocol = inner.protocol;
        m.quoted_src = inner.src;
        m.quoted_dst = inner.dst;
        m.quoted_sport = be16(&inner.payload[0]);
        m.quoted_dport = be16(&inner.payload[2]);
    }
    return true;
}

std::string protocol_name(const Ip &ip)
{
    std::string v = ip.ipv6 ? "IPv6" : "IPv4";
    return v + " protocol " + std::to_string(ip.protocol);
}

}  // namespace

bool Icmp::port_unreachable() const
{
    return ipv6 ? (type == 1 && code == 4) : (type == 3 && code == 3);
}

bool decode_tcp(std::span<const uint8_t> t, uint32_t ip_payload_len, Segment &s)
{
    if (t.size() < 20)
        return false;
    s.sport = be16(&t[0]);
    s.dport = be16(&t[2]);
    s.seq = be32(&t[4]);
    s.ack = be32(&t[8]);
    size_t header_len = static_cast<size_t>(t[12] >> 4) * 4;
    s.flags = t[13];
    s.window = be16(&t[14]);
    if (header_len < 20 || header_len > t.size() || header_len > ip_payload_len)
        return false;
    s.options = decode_options(t, header_len);
    s.length = ip_payload_len - static_cast<uint32_t>(header_len);
    size_t captured = t.size() - header_len;
    if (captured > s.length)
        captured = s.length;  // Ethernet padding after a short packet
    s.payload.assign(t.begin() + static_cast<std::ptrdiff_t>(header_len),
                     t.begin() + static_cast<std::ptrdiff_t>(header_len + captured));
    return true;
}

Packet decode_packet(int link, int64_t time_us, std::span<const uint8_t> frame)
{
    Packet out;
    Network net = strip_link(link, frame);
    if (!net.ok) {
        out.skipped = net.other.empty() ? "short frame" : net.other;
        return out;
    }
    Ip ip = decode_ip(net.packet);
    if (!ip.ok) {
        out.skipped = ip.why;
        return out;
    }
    if (ip.protocol == IPPROTO_TCP) {
        Segment &s = out.segment;
        s.time_us = time_us;
        s.ipv6 = ip.ipv6;
        s.src = ip.src;
        s.dst = ip.dst;
        if (decode_tcp(ip.payload, ip.payload_len, s))
            out.kind = Packet::tcp;
        else
            out.skipped = "malformed TCP";
    } else if (ip.protocol == IPPROTO_UDP) {
        out.datagram.time_us = time_us;
        if (decode_udp(ip, out.datagram))
            out.kind = Packet::udp;
        else
            out.skipped = "malformed UDP";
    } else if (ip.protocol == (ip.ipv6 ? int{IPPROTO_ICMPV6} : int{IPPROTO_ICMP})) {
        out.message.time_us = time_us;
        if (decode_icmp(ip, out.message))
            out.kind = Packet::icmp;
        else
            out.skipped = "malformed ICMP";
    } else {
        out.skipped = protocol_name(ip);
    }
    return out;
}

std::optional<Segment> decode_frame(int link, int64_t time_us, std::span<const uint8_t> frame)
{
    Packet p = decode_packet(link, time_us, frame);
    if (p.kind != Packet::tcp)
        return std::nullopt;
    return std::move(p.segment);
}

}  // namespace wire
