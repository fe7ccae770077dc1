// SPDX-License-Identifier: MIT
// segment.cpp - link layer, IPv4/IPv6 and TCP headers, by hand, so a
// student can read what each byte of a capture means.
#include "segment.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>

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

// The IP packet inside a frame, and which version the link layer says it is
// (0: look at the packet's first nibble).
struct Network {
    std::span<const uint8_t> packet;
    bool ok = false;
};

Network strip_link(int link, std::span<const uint8_t> f)
{
    auto from = [&](size_t off) {
        return off <= f.size() ? Network{f.subspan(off), true} : Network{};
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
                return {};
            return from(off + 2);
        }
        return {};
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
            return {};
        return from(16);
    case link_linux_sll2:
        if (f.size() < 20)
            return {};
        if (be16(&f[0]) != ethertype_ipv4 && be16(&f[0]) != ethertype_ipv6)
            return {};
        return from(20);
    default:
        return {};
    }
}

}  // namespace

std::optional<uint16_t> Segment::mss() const
{
    for (const auto &o : options)
        if (o.kind == 2 && !o.values.empty())
            return static_cast<uint16_t>(o.values[0]);
    return std::nullopt;
}

std::optional<uint8_t> Segment::wscale() const
{
    for (const auto &o : options)
        if (o.kind == 3 && !o.values.empty())
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

    // Options: kind, length, value; NOP and EOL are a single byte.
    s.options.clear();
    size_t i = 20;
    while (i < header_len) {
        TcpOption o;
        o.kind = t[i];
        if (o.kind == 0 || o.kind == 1) {
            s.options.push_back(o);
            ++i;
            if (o.kind == 0)
                break;
            continue;
        }
        if (i + 1 >= header_len)
            break;
        o.length = t[i + 1];
        if (o.length < 2 || i + o.length > header_len)
            break;  // malformed: stop, keep what was read
        const uint8_t *v = &t[i + 2];
        switch (o.kind) {
        case 2:
            if (o.length == 4)
                o.values.push_back(be16(v));
            break;
        case 3:
            if (o.length == 3)
                o.values.push_back(v[0]);
            break;
        case 5:
            for (size_t k = 0; k + 8 <= static_cast<size_t>(o.length - 2); k += 8) {
                o.values.push_back(be32(v + k));
                o.values.push_back(be32(v + k + 4));
            }
            break;
        case 8:
            if (o.length == 10) {
                o.values.push_back(be32(v));
                o.values.push_back(be32(v + 4));
            }
            break;
        default:
            break;
        }
        s.options.push_back(o);
        i += o.length;
    }

    s.length = ip_payload_len - static_cast<uint32_t>(header_len);
    size_t captured = t.size() - header_len;
    if (captured > s.length)
        captured = s.length;  // Ethernet padding after a short packet
    s.payload.assign(t.begin() + static_cast<std::ptrdiff_t>(header_len),
                     t.begin() + static_cast<std::ptrdiff_t>(header_len + captured));
    return true;
}

std::optional<Segment> decode_frame(int link, int64_t time_us, std::span<const uint8_t> frame)
{
    Network net = strip_link(link, frame);
    if (!net.ok || net.packet.empty())
        return std::nullopt;
    auto p = net.packet;
    Segment s;
    s.time_us = time_us;
    int version = p[0] >> 4;
    if (version == 4) {
        if (p.size() < 20)
            return std::nullopt;
        size_t ihl = static_cast<size_t>(p[0] & 0x0f) * 4;
        uint16_t total = be16(&p[2]);
        uint16_t frag = be16(&p[6]);
        if (ihl < 20 || p.size() < ihl || total < ihl || p[9] != IPPROTO_TCP)
            return std::nullopt;
        if ((frag & 0x1fff) != 0 || (frag & 0x2000) != 0)
            return std::nullopt;  // fragments: TCP on loopback never needs them
        s.src = addr_text(AF_INET, &p[12]);
        s.dst = addr_text(AF_INET, &p[16]);
        size_t end = total < p.size() ? total : p.size();
        if (!decode_tcp(p.subspan(ihl, end - ihl), total - static_cast<uint32_t>(ihl), s))
            return std::nullopt;
        return s;
    }
    if (version == 6) {
        if (p.size() < 40)
            return std::nullopt;
        s.ipv6 = true;
        uint32_t remaining = be16(&p[4]);  // payload length, extension headers included
        uint8_t next = p[6];
        s.src = addr_text(AF_INET6, &p[8]);
        s.dst = addr_text(AF_INET6, &p[24]);
        size_t off = 40;
        // Walk hop-by-hop, routing and destination options headers.
        while (next == 0 || next == 43 || next == 60) {
            if (off + 2 > p.size())
                return std::nullopt;
            size_t len = (static_cast<size_t>(p[off + 1]) + 1) * 8;
            if (len > remaining)
                return std::nullopt;
            next = p[off];
            off += len;
            remaining -= static_cast<uint32_t>(len);
        }
        if (next != IPPROTO_TCP || off > p.size())
            return std::nullopt;
        size_t end = off + remaining < p.size() ? off + remaining : p.size();
        if (!decode_tcp(p.subspan(off, end - off), remaining, s))
            return std::nullopt;
        return s;
    }
    return std::nullopt;
}

}  // namespace wire
