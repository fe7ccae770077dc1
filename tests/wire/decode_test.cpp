// SPDX-License-Identifier: MIT
// The decoder on frames built byte by byte: link layers, IP versions,
// flags, options, lengths, and frames it must refuse.
#include "frames.hpp"
#include "segment.hpp"
#include "view.hpp"

#include <gtest/gtest.h>

#include <array>
#include <random>
#include <sstream>

using namespace wire_test;

namespace {

TcpSpec sample()
{
    TcpSpec t;
    t.sport = 40000;
    t.dport = 13;
    t.seq = 0x11223344;
    t.ack = 0x55667788;
    t.flags = wire::flag_psh | wire::flag_ack;
    t.window = 512;
    t.payload = "hello";
    return t;
}

wire::Segment decode(int link, const TcpSpec &t)
{
    auto bytes = frame(link, t);
    auto s = wire::decode_frame(link, 42, bytes);
    EXPECT_TRUE(s.has_value());
    return s.value_or(wire::Segment{});
}

}  // namespace

TEST(Decode, ReadsEveryFieldOfAnIPv4Segment)
{
    auto s = decode(wire::link_ethernet, sample());
    EXPECT_EQ(s.time_us, 42);
    EXPECT_FALSE(s.ipv6);
    EXPECT_EQ(s.src, "127.0.0.1");
    EXPECT_EQ(s.dst, "127.0.0.1");
    EXPECT_EQ(s.sport, 40000);
    EXPECT_EQ(s.dport, 13);
    EXPECT_EQ(s.seq, 0x11223344u);
    EXPECT_EQ(s.ack, 0x55667788u);
    EXPECT_EQ(s.window, 512);
    EXPECT_EQ(s.length, 5u);
    EXPECT_EQ(std::string(s.payload.begin(), s.payload.end()), "hello");
    EXPECT_EQ(wire::flags_text(s.flags), "P.");
}

TEST(Decode, EveryLinkLayerGivesTheSameSegment)
{
    for (int link : {wire::link_ethernet, wire::link_raw, wire::link_null, wire::link_linux_sll,
                     wire::link_linux_sll2}) {
        SCOPED_TRACE(link);
        auto s = decode(link, sample());
        EXPECT_EQ(s.sport, 40000);
        EXPECT_EQ(s.seq, 0x11223344u);
        EXPECT_EQ(s.length, 5u);
    }
}

TEST(Decode, ReadsIPv6AndSkipsExtensionHeaders)
{
    TcpSpec t = sample();
    t.src = "::1";
    t.dst = "::1";
    auto s = decode(wire::link_ethernet, t);
    EXPECT_TRUE(s.ipv6);
    EXPECT_EQ(s.src, "::1");
    EXPECT_EQ(s.length, 5u);

    // The same packet with an 8-byte destination-options header in front of TCP.
    auto ip = with_destination_options(ip_packet(t));
    auto s2 = wire::decode_frame(wire::link_raw, 0, ip);
    ASSERT_TRUE(s2.has_value());
    EXPECT_EQ(s2->sport, 40000);
    EXPECT_EQ(s2->length, 5u);
}

TEST(Decode, SkipsVlanTags)
{
    auto bytes = frame(wire::link_ethernet, sample());
    std::vector<uint8_t> tag = {0x81, 0x00, 0x00, 0x05};
    bytes.insert(bytes.begin() + 12, tag.begin(), tag.end());
    auto s = wire::decode_frame(wire::link_ethernet, 0, bytes);
    ASSERT_TRUE(s.has_value());
    EXPECT_EQ(s->dport, 13);
}

TEST(Decode, FlagsInTcpdumpOrder)
{
    using namespace wire;
    EXPECT_EQ(flags_text(flag_syn), "S");
    EXPECT_EQ(flags_text(flag_syn | flag_ack), "S.");
    EXPECT_EQ(flags_text(flag_ack), ".");
    EXPECT_EQ(flags_text(flag_psh | flag_ack), "P.");
    EXPECT_EQ(flags_text(flag_fin | flag_psh | flag_ack), "FP.");
    EXPECT_EQ(flags_text(flag_rst), "R");
    EXPECT_EQ(flags_text(flag_rst | flag_ack), "R.");
    EXPECT_EQ(flags_text(flag_syn | flag_ece | flag_cwr), "SEW");  // the handout's macOS SYN
    EXPECT_EQ(flags_text(flag_urg | flag_ack), ".U");
    EXPECT_EQ(flags_text(0), "none");
}

TEST(Decode, OptionsAsTcpdumpPrintsThem)
{
    TcpSpec t = sample();
    t.flags = wire::flag_syn;
    t.payload.clear();
    t.options = syn_options(65495, 123456, 0, 7);
    auto s = decode(wire::link_ethernet, t);
    EXPECT_EQ(s.mss(), 65495);
    EXPECT_EQ(s.wscale(), 7);
    EXPECT_EQ(wire::options_text(s, 0), "mss 65495,sackOK,TS val 123456 ecr 0,nop,wscale 7");

    // SACK blocks are shown relative to the peer's initial sequence number.
    t.options = {1, 1, 5, 10, 0, 0, 0x03, 0xe9, 0, 0, 0x07, 0xd1};  // sack {1001:2001}
    auto s2 = decode(wire::link_ethernet, t);
    EXPECT_EQ(wire::options_text(s2, 1000), "nop,nop,sack 1 {1:1001}");

    // An option whose length runs past the header stops the walk, nothing worse.
    t.options = {2, 40};
    auto s3 = decode(wire::link_ethernet, t);
    EXPECT_EQ(wire::options_text(s3, 0), "");
    // Unknown kinds are shown by number.
    t.options = {30, 4, 0, 0};
    auto s4 = decode(wire::link_ethernet, t);
    EXPECT_EQ(wire::options_text(s4, 0), "unknown-30 len 4");
}

TEST(Decode, LengthComesFromTheIpHeaderNotTheFrame)
{
    // Ethernet pads short frames to 60 bytes: the padding is not payload.
    TcpSpec t = sample();
    t.payload.clear();
    t.flags = wire::flag_ack;
    auto bytes = frame(wire::link_ethernet, t);
    bytes.resize(60, 0);
    auto s = wire::decode_frame(wire::link_ethernet, 0, bytes);
    ASSERT_TRUE(s.has_value());
    EXPECT_EQ(s->length, 0u);
    EXPECT_TRUE(s->payload.empty());

    // A capture cut short (small snapshot length) keeps the real length.
    t.payload = std::string(100, 'x');
    bytes = frame(wire::link_ethernet, t);
    bytes.resize(bytes.size() - 90);
    s = wire::decode_frame(wire::link_ethernet, 0, bytes);
    ASSERT_TRUE(s.has_value());
    EXPECT_EQ(s->length, 100u);
    EXPECT_EQ(s->payload.size(), 10u);
    EXPECT_EQ(wire::preview(*s), "\"xxxxxxxxxx\"...");
}

TEST(Decode, RefusesWhatIsNotAWholeTcpHeader)
{
    auto good = frame(wire::link_ethernet, sample());
    // UDP
    auto udp = good;
    udp[14 + 9] = 17;
    EXPECT_FALSE(wire::decode_frame(wire::link_ethernet, 0, udp));
    // ARP
    auto arp = good;
    arp[12] = 0x08;
    arp[13] = 0x06;
    EXPECT_FALSE(wire::decode_frame(wire::link_ethernet, 0, arp));
    // a later IP fragment
    auto frag = good;
    frag[14 + 6] = 0x00;
    frag[14 + 7] = 0x10;
    EXPECT_FALSE(wire::decode_frame(wire::link_ethernet, 0, frag));
    // a TCP data offset below 20 bytes
    auto offset = good;
    offset[14 + 20 + 12] = 0x40;
    EXPECT_FALSE(wire::decode_frame(wire::link_ethernet, 0, offset));
    // every truncation of the headers
    for (size_t n = 0; n < 14 + 20 + 20; ++n)
        EXPECT_FALSE(wire::decode_frame(wire::link_ethernet, 0, std::span(good.data(), n))) << n;
    // an unknown link type
    EXPECT_FALSE(wire::decode_frame(9999, 0, good));
}

TEST(Decode, PreviewShowsTextAndEscapesTheRest)
{
    TcpSpec t = sample();
    t.payload = std::string("Sat Nov 21 11:04:47 2026\r\n");
    EXPECT_EQ(wire::preview(decode(wire::link_ethernet, t)), "\"Sat Nov 21 11:04:47 2026\\r\\n\"");
    t.payload = std::string("a\0\x01\"\\\tb", 7);
    EXPECT_EQ(wire::preview(decode(wire::link_ethernet, t)), "\"a..\\\"\\\\\\tb\"");
    t.payload = std::string(40, 'z');
    EXPECT_EQ(wire::preview(decode(wire::link_ethernet, t), 8), "\"zzzzzzzz\"...");
}

TEST(Decode, GarbageNeverCrashesTheDecoderOrTheViewer)
{
    // Valid frames with random bytes changed, and random bytes outright,
    // through the decoder and the viewer (ASan in CI sees any overrun).
    std::mt19937 rng(12345);
    std::ostringstream sink;
    wire::Viewer viewer(sink, {});
    auto base = frame(wire::link_ethernet, sample());
    TcpSpec syn = sample();
    syn.flags = wire::flag_syn;
    syn.options = syn_options(1460, 1, 0, 7);
    auto base_syn = frame(wire::link_ethernet, syn);
    int decoded = 0;
    for (int i = 0; i < 20000; ++i) {
        std::vector<uint8_t> f = (i % 2) ? base : base_syn;
        if (i % 5 == 0) {
            f.resize(rng() % 120);
            for (auto &b : f)
                b = static_cast<uint8_t>(rng());
        } else {
            for (int k = 0; k < 3; ++k)
                f[rng() % f.size()] = static_cast<uint8_t>(rng());
            f.resize(f.size() - rng() % 8);
        }
        int link = std::array{wire::link_ethernet, wire::link_raw, wire::link_linux_sll2}[rng() % 3];
        decoded += viewer.frame(link, i, f) ? 1 : 0;
    }
    viewer.summary();
    EXPECT_GT(decoded, 1000);  // the mutated frames mostly still decode
}
