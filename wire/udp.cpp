// SPDX-License-Identifier: MIT
// udp.cpp - the lines of datagrams and ICMP messages.
#include "udp.hpp"

#include "conversation.hpp"

#include <netinet/in.h>

#include <cstdio>

namespace wire {

namespace {

std::string head(uint64_t number, const std::string &time)
{
    std::string n = num(number);
    return std::string(n.size() < 3 ? 3 - n.size() : 0, ' ') + n + " " + time + " ";
}

// The first bytes in hex: a binary protocol's opcode and block number
// (TFTP's 00 03 00 01 is DATA block 1, 00 04 00 01 its ACK).
std::string first_bytes(const Datagram &d)
{
    std::string out;
    for (size_t i = 0; i < d.payload.size() && i < 4; ++i) {
        char b[4];
        std::snprintf(b, sizeof b, "%02x", d.payload[i]);
        out += (out.empty() ? "" : " ") + std::string(b);
    }
    return out;
}

std::string icmp_name(const Icmp &m)
{
    if (m.port_unreachable())
        return "port unreachable";
    if (m.ipv6)
        return m.type == 1 ? "destination unreachable" : m.type == 128 ? "echo request"
             : m.type == 129 ? "echo reply" : "type " + num(m.type) + " code " + num(m.code);
    return m.type == 3 ? "destination unreachable" : m.type == 8 ? "echo request"
         : m.type == 0 ? "echo reply" : "type " + num(m.type) + " code " + num(m.code);
}

}  // namespace

std::string format_datagram(const Datagram &d, const std::string &time)
{
    std::string line = head(d.number, time) + d.src + "." + num(d.sport) + " > " + d.dst + "." +
                       num(d.dport) + ": UDP, length " + num(d.length) + "  | datagram: " +
                       num(d.length) + (d.length == 1 ? " byte" : " bytes") +
                       " sent by " + d.src + "." + num(d.sport) + " (sendto() or write())";
    if (d.length == 0)
        return line + ", empty: UDP sends it all the same";
    return line + ": " + preview(d.payload, d.length) + " (bytes " + first_bytes(d) + ")";
}

std::string format_icmp(const Icmp &m, const std::string &time)
{
    std::string line = head(m.number, time) + m.src + " > " + m.dst + ": ICMP" + (m.ipv6 ? "6" : "");
    if (!m.quotes)
        return line + " " + icmp_name(m) + "  | from the kernel, not an application";
    const char *proto = m.quoted_protocol == IPPROTO_UDP ? "udp" : m.quoted_protocol == IPPROTO_TCP ? "tcp" : "ip";
    line += " " + m.quoted_dst + " " + proto + " port " + num(m.quoted_dport) + " " + icmp_name(m);
    if (m.port_unreachable() && m.quoted_protocol == IPPROTO_UDP)
        return line + "  | port unreachable: nothing is bound to " + m.quoted_dst + " UDP port " +
               num(m.quoted_dport) + "; the kernel of " + m.quoted_src + " hands this to the socket of port " +
               num(m.quoted_sport) + ": a connected UDP socket gets ECONNREFUSED from its next "
               "recv()/read() (or write()), an unconnected one never hears of it";
    return line + "  | the kernel's answer to the packet it quotes (" + m.quoted_src + "." +
           num(m.quoted_sport) + " > " + m.quoted_dst + "." + num(m.quoted_dport) + ")";
}

}  // namespace wire
