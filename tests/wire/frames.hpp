// SPDX-License-Identifier: MIT
// frames.hpp - TCP conversations made by hand for the decoder's tests:
// frames as a kernel would put them on the wire, and pcap files holding
// them (written with libpcap, so what tcpview -r reads is what tcpdump -w
// writes).
#ifndef WIRE_TEST_FRAMES_HPP
#define WIRE_TEST_FRAMES_HPP

#include <cstdint>
#include <string>
#include <vector>

namespace wire_test {

struct TcpSpec {
    std::string src = "127.0.0.1", dst = "127.0.0.1";  // IPv6 if they hold ':'
    uint16_t sport = 0, dport = 0;
    uint32_t seq = 0, ack = 0;
    uint8_t flags = 0;
    uint16_t window = 512;
    std::vector<uint8_t> options;  // raw option bytes, padded to 4 by the builder
    std::string payload;
};

// Option bytes as Linux sends them on a SYN: mss, sackOK, TS, nop, wscale.
std::vector<uint8_t> syn_options(uint16_t mss, uint32_t ts_val, uint32_t ts_ecr, uint8_t wscale);

// The IP packet (IPv4 or IPv6) holding the segment.
std::vector<uint8_t> ip_packet(const TcpSpec &t);
// An IPv6 packet with an 8-byte destination-options header put in front
// of what it carries (as IPsec or mobility setups send TCP).
std::vector<uint8_t> with_destination_options(std::vector<uint8_t> ipv6_packet);
// The packet behind a link-layer header of type link (a DLT_ value).
std::vector<uint8_t> link_frame(int link, std::vector<uint8_t> ip);
std::vector<uint8_t> frame(int link, const TcpSpec &t);

struct Frame {
    int64_t time_us;
    std::vector<uint8_t> bytes;
};

// Other frames a real capture holds: a UDP datagram (IPv4), the ICMP port
// unreachable that answers it, an ARP request (Ethernet).
std::vector<uint8_t> udp_packet(const std::string &src, const std::string &dst, uint16_t sport,
                                uint16_t dport, const std::string &payload);
std::vector<uint8_t> icmp_port_unreachable(const std::vector<uint8_t> &udp_packet);
std::vector<uint8_t> arp_frame();

// Writes frames to path as a pcap file of link type link.
void write_pcap(const std::string &path, int link, const std::vector<Frame> &frames);
// The same as pcapng (Wireshark's format): section header, one interface,
// an enhanced packet block per frame.
void write_pcapng(const std::string &path, int link, const std::vector<Frame> &frames);

// A conversation between a client and a server, one call per segment, with
// sequence numbers kept as the kernels would: each side's seq advances by
// what it sends, and its ack is what it has received of the other side.
class Conversation {
public:
    enum Who { client, server };
    Conversation(uint32_t client_isn, uint32_t server_isn, uint16_t client_port = 40000,
                 uint16_t server_port = 13);

    void syn(uint8_t wscale = 7);
    void syn_ack(uint8_t wscale = 7);
    void ack(Who who);                        // a pure ACK of everything received
    void data(Who who, const std::string &bytes, bool push = true);
    void fin(Who who);                        // FIN+ACK
    void rst(Who who, bool with_ack = true);
    void rst_answering_syn();                 // nothing listens: RST+ACK, seq 0
    void resend_last();                       // the previous segment again (a retransmission)
    void fins_cross();                        // both FINs sent before either arrives
    void window(Who who, uint16_t w) { side_[who].window = w; }
    void addresses(const std::string &client_addr, const std::string &server_addr)
    {
        side_[client].addr = client_addr;
        side_[server].addr = server_addr;
    }

    const std::vector<Frame> &frames() const { return frames_; }
    std::vector<Frame> &frames() { return frames_; }
    const std::vector<TcpSpec> &specs() const { return specs_; }
    void write(const std::string &path, int link = 1) const { write_pcap(path, link, frames_); }

private:
    struct Side {
        uint16_t port;
        uint32_t next;      // next sequence number to send
        uint32_t received;  // next sequence number expected from the peer
        uint16_t window = 512;
        std::string addr = "127.0.0.1";
    };
    void emit(Who who, uint8_t flags, const std::string &payload, std::vector<uint8_t> options = {});
    Side side_[2];
    int64_t time_us_ = 1700000000000000;
    std::vector<Frame> frames_;
    std::vector<TcpSpec> specs_;
};

// The daytime exchange as Linux does it on loopback: handshake, 26 bytes
// from the server, the server's FIN, the client's FIN, the last ACK.
Conversation daytime(uint32_t client_isn = 3150304300u, uint32_t server_isn = 3968470670u,
                     uint16_t server_port = 13);

// A TempDir of its own for each test, removed at the end.
class TempDir {
public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir &) = delete;
    TempDir &operator=(const TempDir &) = delete;
    std::string file(const std::string &name) const { return path_ + "/" + name; }

private:
    std::string path_;
};

}  // namespace wire_test

#endif  // WIRE_TEST_FRAMES_HPP
