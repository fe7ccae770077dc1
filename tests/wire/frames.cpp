// SPDX-License-Identifier: MIT
#include "frames.hpp"

#include "segment.hpp"

#include <arpa/inet.h>
#include <pcap/pcap.h>

#include <cstdio>
#include <filesystem>
#include <stdexcept>

namespace wire_test {

namespace {

void put16(std::vector<uint8_t> &v, uint16_t x)
{
    v.push_back(static_cast<uint8_t>(x >> 8));
    v.push_back(static_cast<uint8_t>(x));
}

void put32(std::vector<uint8_t> &v, uint32_t x)
{
    put16(v, static_cast<uint16_t>(x >> 16));
    put16(v, static_cast<uint16_t>(x));
}

std::vector<uint8_t> tcp_bytes(const TcpSpec &t)
{
    std::vector<uint8_t> opts = t.options;
    while (opts.size() % 4)
        opts.push_back(1);  // nop padding
    std::vector<uint8_t> v;
    put16(v, t.sport);
    put16(v, t.dport);
    put32(v, t.seq);
    put32(v, t.ack);
    v.push_back(static_cast<uint8_t>(((20 + opts.size()) / 4) << 4));
    v.push_back(t.flags);
    put16(v, t.window);
    put16(v, 0);  // checksum: left to the "hardware", as on loopback
    put16(v, 0);  // urgent pointer
    v.insert(v.end(), opts.begin(), opts.end());
    v.insert(v.end(), t.payload.begin(), t.payload.end());
    return v;
}

}  // namespace

std::vector<uint8_t> syn_options(uint16_t mss, uint32_t ts_val, uint32_t ts_ecr, uint8_t wscale)
{
    std::vector<uint8_t> v = {2, 4};
    put16(v, mss);
    v.insert(v.end(), {4, 2, 8, 10});
    put32(v, ts_val);
    put32(v, ts_ecr);
    v.insert(v.end(), {1, 3, 3, wscale});
    return v;
}

std::vector<uint8_t> ip_packet(const TcpSpec &t)
{
    std::vector<uint8_t> tcp = tcp_bytes(t);
    std::vector<uint8_t> v;
    if (t.src.find(':') == std::string::npos) {
        v = {0x45, 0};
        put16(v, static_cast<uint16_t>(20 + tcp.size()));
        put16(v, 0x1234);  // identification
        put16(v, 0x4000);  // don't fragment
        v.insert(v.end(), {64, 6, 0, 0});
        in_addr a{}, b{};
        inet_pton(AF_INET, t.src.c_str(), &a);
        inet_pton(AF_INET, t.dst.c_str(), &b);
        auto *pa = reinterpret_cast<uint8_t *>(&a), *pb = reinterpret_cast<uint8_t *>(&b);
        v.insert(v.end(), pa, pa + 4);
        v.insert(v.end(), pb, pb + 4);
    } else {
        v = {0x60, 0, 0, 0};
        put16(v, static_cast<uint16_t>(tcp.size()));
        v.insert(v.end(), {6, 64});
        in6_addr a{}, b{};
        inet_pton(AF_INET6, t.src.c_str(), &a);
        inet_pton(AF_INET6, t.dst.c_str(), &b);
        auto *pa = reinterpret_cast<uint8_t *>(&a), *pb = reinterpret_cast<uint8_t *>(&b);
        v.insert(v.end(), pa, pa + 16);
        v.insert(v.end(), pb, pb + 16);
    }
    v.insert(v.end(), tcp.begin(), tcp.end());
    return v;
}

std::vector<uint8_t> with_destination_options(std::vector<uint8_t> ip)
{
    std::vector<uint8_t> ext = {ip[6], 0, 1, 4, 0, 0, 0, 0};  // next header, length 8, PadN
    ip[6] = 60;
    uint16_t plen = static_cast<uint16_t>((ip[4] << 8 | ip[5]) + 8);
    ip[4] = static_cast<uint8_t>(plen >> 8);
    ip[5] = static_cast<uint8_t>(plen);
    ip.insert(ip.begin() + 40, ext.begin(), ext.end());
    return ip;
}

std::vector<uint8_t> frame(int link, const TcpSpec &t) { return link_frame(link, ip_packet(t)); }

std::vector<uint8_t> link_frame(int link, std::vector<uint8_t> ip)
{
    bool v6 = (ip[0] >> 4) == 6;
    uint16_t type = v6 ? 0x86dd : 0x0800;
    std::vector<uint8_t> v;
    switch (link) {
    case wire::link_ethernet:
        v.assign(12, 0);  // lo: both MAC addresses zero
        put16(v, type);
        break;
    case wire::link_null:
        v = {static_cast<uint8_t>(v6 ? 30 : 2), 0, 0, 0};  // AF_INET(6), little-endian host
        break;
    case wire::link_linux_sll:
        put16(v, 0);        // packet type: to us
        put16(v, 772);      // ARPHRD_LOOPBACK
        put16(v, 6);
        v.insert(v.end(), 8, 0);
        put16(v, type);
        break;
    case wire::link_linux_sll2:
        put16(v, type);
        put16(v, 0);
        put32(v, 1);        // interface index
        put16(v, 772);
        v.push_back(0);
        v.push_back(6);
        v.insert(v.end(), 8, 0);
        break;
    case wire::link_raw:
        break;
    default:
        throw std::invalid_argument("frame: unsupported link type");
    }
    v.insert(v.end(), ip.begin(), ip.end());
    return v;
}

void write_pcap(const std::string &path, int link, const std::vector<Frame> &frames)
{
    pcap_t *dead = pcap_open_dead(link, 262144);
    pcap_dumper_t *d = pcap_dump_open(dead, path.c_str());
    if (!d) {
        pcap_close(dead);
        throw std::runtime_error("cannot write " + path);
    }
    for (const auto &f : frames) {
        struct pcap_pkthdr h {};
        h.ts.tv_sec = static_cast<time_t>(f.time_us / 1000000);
        h.ts.tv_usec = static_cast<suseconds_t>(f.time_us % 1000000);
        h.caplen = h.len = static_cast<bpf_u_int32>(f.bytes.size());
        pcap_dump(reinterpret_cast<u_char *>(d), &h, f.bytes.data());
    }
    pcap_dump_close(d);
    pcap_close(dead);
}

std::vector<uint8_t> udp_packet(const std::string &src, const std::string &dst, uint16_t sport,
                                uint16_t dport, const std::string &payload)
{
    std::vector<uint8_t> v = {0x45, 0};
    put16(v, static_cast<uint16_t>(28 + payload.size()));
    put16(v, 0x4321);
    put16(v, 0x4000);
    v.insert(v.end(), {64, 17, 0, 0});
    in_addr a{}, b{};
    inet_pton(AF_INET, src.c_str(), &a);
    inet_pton(AF_INET, dst.c_str(), &b);
    auto *pa = reinterpret_cast<uint8_t *>(&a), *pb = reinterpret_cast<uint8_t *>(&b);
    v.insert(v.end(), pa, pa + 4);
    v.insert(v.end(), pb, pb + 4);
    put16(v, sport);
    put16(v, dport);
    put16(v, static_cast<uint16_t>(8 + payload.size()));
    put16(v, 0);
    v.insert(v.end(), payload.begin(), payload.end());
    return v;
}

std::vector<uint8_t> icmp_port_unreachable(const std::vector<uint8_t> &udp)
{
    // From the datagram's destination back to its source, quoting its IP
    // header and 8 bytes after it.
    std::vector<uint8_t> v = {0x45, 0};
    put16(v, static_cast<uint16_t>(20 + 8 + 28));
    put16(v, 0x1111);
    put16(v, 0);
    v.insert(v.end(), {64, 1, 0, 0});
    v.insert(v.end(), udp.begin() + 16, udp.begin() + 20);
    v.insert(v.end(), udp.begin() + 12, udp.begin() + 16);
    v.insert(v.end(), {3, 3, 0, 0, 0, 0, 0, 0});
    v.insert(v.end(), udp.begin(), udp.begin() + 28);
    return v;
}

std::vector<uint8_t> arp_frame()
{
    std::vector<uint8_t> v(12, 0xff);
    put16(v, 0x0806);
    v.insert(v.end(), {0, 1, 8, 0, 6, 4, 0, 1});
    v.insert(v.end(), 20, 0);
    return v;
}

namespace {

void put_le32(std::string &out, uint32_t x)
{
    for (int i = 0; i < 4; ++i)
        out += static_cast<char>(x >> (8 * i));
}

// One pcapng block: type, total length, body (padded to 4), total length.
std::string block(uint32_t type, std::string body)
{
    while (body.size() % 4)
        body += '\0';
    std::string out;
    put_le32(out, type);
    put_le32(out, static_cast<uint32_t>(body.size() + 12));
    out += body;
    put_le32(out, static_cast<uint32_t>(body.size() + 12));
    return out;
}

}  // namespace

void write_pcapng(const std::string &path, int link, const std::vector<Frame> &frames)
{
    std::string shb, idb;
    put_le32(shb, 0x1a2b3c4d);      // byte-order magic
    put_le32(shb, 1);               // version 1.0
    shb += std::string(8, '\xff');  // section length: not given
    put_le32(idb, static_cast<uint32_t>(link));  // link type, reserved 0
    put_le32(idb, 262144);          // snaplen
    std::string file = block(0x0a0d0d0a, shb) + block(1, idb);
    for (const auto &f : frames) {
        std::string epb;
        uint64_t t = static_cast<uint64_t>(f.time_us);  // default resolution: microseconds
        put_le32(epb, 0);           // interface 0
        put_le32(epb, static_cast<uint32_t>(t >> 32));
        put_le32(epb, static_cast<uint32_t>(t));
        put_le32(epb, static_cast<uint32_t>(f.bytes.size()));
        put_le32(epb, static_cast<uint32_t>(f.bytes.size()));
        epb.append(f.bytes.begin(), f.bytes.end());
        file += block(6, epb);
    }
    FILE *out = fopen(path.c_str(), "wb");
    if (!out || fwrite(file.data(), 1, file.size(), out) != file.size())
        throw std::runtime_error("cannot write " + path);
    fclose(out);
}

Conversation::Conversation(uint32_t client_isn, uint32_t server_isn, uint16_t client_port,
                           uint16_t server_port)
{
    side_[client].port = client_port;
    side_[client].next = client_isn;
    side_[client].received = 0;
    side_[server].port = server_port;
    side_[server].next = server_isn;
    side_[server].received = 0;
}

void Conversation::emit(Who who, uint8_t flags, const std::string &payload, std::vector<uint8_t> options)
{
    Side &s = side_[who], &p = side_[1 - who];
    TcpSpec t;
    t.src = s.addr;
    t.dst = p.addr;
    t.sport = s.port;
    t.dport = p.port;
    t.seq = s.next;
    t.ack = (flags & wire::flag_ack) ? s.received : 0;
    t.flags = flags;
    t.window = s.window;
    t.options = std::move(options);
    t.payload = payload;
    uint32_t space = static_cast<uint32_t>(payload.size()) + ((flags & wire::flag_syn) ? 1 : 0) +
                     ((flags & wire::flag_fin) ? 1 : 0);
    s.next += space;
    if (!(flags & wire::flag_rst))
        p.received = s.next;  // the peer's kernel takes it all
    time_us_ += 100;
    frames_.push_back({time_us_, frame(wire::link_ethernet, t)});
    specs_.push_back(t);
}

void Conversation::syn(uint8_t wscale)
{
    emit(client, wire::flag_syn, "", syn_options(65495, 1000, 0, wscale));
}

void Conversation::syn_ack(uint8_t wscale)
{
    emit(server, wire::flag_syn | wire::flag_ack, "", syn_options(65495, 2000, 1000, wscale));
}

void Conversation::ack(Who who) { emit(who, wire::flag_ack, ""); }

void Conversation::data(Who who, const std::string &bytes, bool push)
{
    emit(who, static_cast<uint8_t>(wire::flag_ack | (push ? wire::flag_psh : 0)), bytes);
}

void Conversation::fin(Who who) { emit(who, wire::flag_fin | wire::flag_ack, ""); }

void Conversation::rst(Who who, bool with_ack)
{
    emit(who, static_cast<uint8_t>(wire::flag_rst | (with_ack ? wire::flag_ack : 0)), "");
}

void Conversation::rst_answering_syn()
{
    side_[server].next = 0;
    emit(server, wire::flag_rst | wire::flag_ack, "");
}

void Conversation::fins_cross()
{
    const uint32_t server_had = side_[server].received;
    fin(client);
    side_[server].received = server_had;  // the client's FIN is still on its way
    fin(server);
}

void Conversation::resend_last()
{
    Frame f = frames_.back();
    TcpSpec t = specs_.back();
    time_us_ += 200000;  // the retransmission timer: 200 ms
    f.time_us = time_us_;
    frames_.push_back(f);
    specs_.push_back(t);
}

Conversation daytime(uint32_t client_isn, uint32_t server_isn, uint16_t server_port)
{
    Conversation c(client_isn, server_isn, 52875, server_port);
    c.syn();
    c.syn_ack();
    c.ack(Conversation::client);
    c.data(Conversation::server, "Sat Nov 21 11:04:47 2026\r\n");
    c.ack(Conversation::client);
    c.fin(Conversation::server);
    c.fin(Conversation::client);
    c.ack(Conversation::server);
    return c;
}

TempDir::TempDir()
{
    std::string tmpl = (std::filesystem::temp_directory_path() / "tcpview-test-XXXXXX").string();
    path_ = mkdtemp(tmpl.data()) ? tmpl : "";
}

TempDir::~TempDir()
{
    if (!path_.empty())
        std::filesystem::remove_all(path_);
}

}  // namespace wire_test
