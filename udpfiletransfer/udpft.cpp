// SPDX-License-Identifier: MIT
#include "udpft.hpp"

namespace udpft {

namespace {

void put16(std::string &s, std::uint16_t v)
{
    s += static_cast<char>(v >> 8);
    s += static_cast<char>(v & 0xff);
}

void put32(std::string &s, std::uint32_t v)
{
    for (int shift = 24; shift >= 0; shift -= 8)
        s += static_cast<char>((v >> shift) & 0xff);
}

std::uint16_t get16(const unsigned char *p) { return static_cast<std::uint16_t>(p[0] << 8 | p[1]); }

std::uint32_t get32(const unsigned char *p)
{
    return static_cast<std::uint32_t>(p[0]) << 24 | static_cast<std::uint32_t>(p[1]) << 16 |
           static_cast<std::uint32_t>(p[2]) << 8 | p[3];
}

std::string header(Type type, std::uint32_t tid)
{
    std::string s(1, static_cast<char>(type));
    put32(s, tid);
    return s;
}

std::optional<Packet> refuse(Malformed *why, std::string reason)
{
    if (why)
        why->reason = std::move(reason);
    return std::nullopt;
}

}  // namespace

std::optional<Packet> decode(std::span<const unsigned char> d, Malformed *why)
{
    if (d.size() < 5)
        return refuse(why, "too short (" + std::to_string(d.size()) + " bytes)");
    Packet p;
    p.type = static_cast<Type>(d[0]);
    p.tid = get32(&d[1]);
    auto body = [&](std::size_t at, std::size_t len) -> bool {
        if (d.size() != at + len)
            return false;
        p.body = std::string_view(reinterpret_cast<const char *>(d.data()) + at, len);
        return true;
    };
    switch (p.type) {
    case kRrq:
    case kWrq:
        if (d.size() < 12)
            return refuse(why, "request too short");
        p.window = get16(&d[5]);
        p.block = get16(&d[7]);
        p.flags = d[9];
        if (!body(12, get16(&d[10])))
            return refuse(why, "request: the path length disagrees with the datagram");
        return p;
    case kData:
        if (d.size() < kDataHeader)
            return refuse(why, "DATA too short");
        p.seq = get32(&d[5]);
        p.flags = d[9];
        if (get16(&d[10]) > kMaxBlock || !body(kDataHeader, get16(&d[10])))
            return refuse(why, "DATA: bad length");
        return p;
    case kAck:
        if (d.size() != 13)
            return refuse(why, "ACK of the wrong size");
        p.seq = get32(&d[5]);
        p.sack = get32(&d[9]);
        return p;
    case kError:
        if (d.size() < 8)
            return refuse(why, "ERROR too short");
        p.code = d[5];
        if (!body(8, get16(&d[6])))
            return refuse(why, "ERROR: the text length disagrees with the datagram");
        return p;
    }
    return refuse(why, "unknown type " + std::to_string(d[0]));
}

std::string encode_request(Type type, std::uint32_t tid, std::uint16_t window, std::uint16_t block,
                           std::uint8_t flags, std::string_view path)
{
    std::string s = header(type, tid);
    put16(s, window);
    put16(s, block);
    s += static_cast<char>(flags);
    put16(s, static_cast<std::uint16_t>(path.size()));
    s += path;
    return s;
}

void put_data_header(unsigned char *p, std::uint32_t tid, std::uint32_t seq, std::uint8_t flags, std::uint16_t len)
{
    p[0] = kData;
    for (int i = 0; i < 4; i++) {
        p[1 + i] = static_cast<unsigned char>(tid >> (24 - 8 * i));
        p[5 + i] = static_cast<unsigned char>(seq >> (24 - 8 * i));
    }
    p[9] = flags;
    p[10] = static_cast<unsigned char>(len >> 8);
    p[11] = static_cast<unsigned char>(len & 0xff);
}

std::string encode_data(std::uint32_t tid, std::uint32_t seq, std::uint8_t flags, std::span<const unsigned char> bytes)
{
    std::string s(kDataHeader, '\0');
    put_data_header(reinterpret_cast<unsigned char *>(s.data()), tid, seq, flags, static_cast<std::uint16_t>(bytes.size()));
    s.append(reinterpret_cast<const char *>(bytes.data()), bytes.size());
    return s;
}

std::string encode_ack(std::uint32_t tid, std::uint32_t seq, std::uint32_t sack)
{
    std::string s = header(kAck, tid);
    put32(s, seq);
    put32(s, sack);
    return s;
}

std::string encode_error(std::uint32_t tid, Code code, std::string_view text)
{
    std::string s = header(kError, tid);
    s += static_cast<char>(code);
    text = text.substr(0, kMaxText);
    put16(s, static_cast<std::uint16_t>(text.size()));
    s += text;
    return s;
}

}  // namespace udpft
