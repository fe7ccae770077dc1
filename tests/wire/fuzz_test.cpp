// SPDX-License-Identifier: MIT
// Mutated captures: the decoder tests' own conversations with bytes
// changed, frames cut, repeated and swapped, through the viewer; and
// mutated capture files through libpcap and the viewer, as tcpview -r reads
// them.  Seeded and bounded, so a failure repeats; run under ASan+UBSan in
// CI, where an overrun or an undefined shift ends the test.
#include "capture.hpp"
#include "frames.hpp"
#include "view.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <random>
#include <sstream>

using namespace wire_test;
using C = Conversation;

namespace {

// The conversations of the decoder's tests, each a different path through
// the tracker: handshake options, shutdown, resets, retransmission, IPv6.
std::vector<Conversation> captures()
{
    std::vector<Conversation> v;
    v.push_back(daytime());
    C half(100, 200, 40000, 9877);
    half.syn();
    half.syn_ack();
    half.ack(C::client);
    half.data(C::client, "World! Hello, World!");
    half.fin(C::client);
    half.ack(C::server);
    half.data(C::server, "WORLD");
    half.ack(C::client);
    half.fin(C::server);
    half.ack(C::client);
    v.push_back(half);
    C reset(100, 200, 40000, 9877);
    reset.syn();
    reset.resend_last();
    reset.syn_ack();
    reset.ack(C::client);
    reset.data(C::server, std::string(300, 'H'));
    reset.window(C::client, 0);
    reset.ack(C::client);
    reset.rst(C::client);
    v.push_back(reset);
    C six(0xfffffff0u, 0xfffffffeu, 40000, 13);
    six.addresses("::1", "::1");
    six.syn();
    six.syn_ack();
    six.data(C::client, std::string(40, 'a'));
    six.fin(C::server);
    v.push_back(six);
    return v;
}

// One mutation of a capture's frames: mostly a byte of the IP or TCP
// header (where the decoder's decisions are), sometimes anywhere, a frame
// cut short, repeated, or two frames swapped.
void mutate(std::vector<Frame> &frames, std::mt19937 &rng)
{
    auto &f = frames[rng() % frames.size()].bytes;
    switch (rng() % 8) {
    case 0:
        f.resize(rng() % (f.size() + 1));
        break;
    case 1:
        frames.push_back(frames[rng() % frames.size()]);
        break;
    case 2:
        std::swap(frames[rng() % frames.size()], frames[rng() % frames.size()]);
        break;
    case 3:
        if (!f.empty())
            f[rng() % f.size()] = static_cast<uint8_t>(rng());
        break;
    default: {
        size_t headers = std::min<size_t>(f.size(), 14 + 40 + 60);
        if (headers > 14)
            f[14 + rng() % (headers - 14)] = static_cast<uint8_t>(rng());
        break;
    }
    }
}

}  // namespace

TEST(Fuzz, MutatedConversationsThroughTheViewer)
{
    std::mt19937 rng(20261201);
    const auto bases = captures();
    size_t lines = 0;
    for (int round = 0; round < 1500; ++round) {
        std::vector<Frame> frames = bases[round % bases.size()].frames();
        for (int k = 1 + static_cast<int>(rng() % 4); k > 0; --k)
            mutate(frames, rng);
        std::ostringstream out;
        wire::Viewer viewer(out, {});
        for (const auto &f : frames)
            viewer.frame(wire::link_ethernet, f.time_us, f.bytes);
        viewer.summary();
        const std::string text = out.str();
        lines += static_cast<size_t>(std::count(text.begin(), text.end(), '\n'));
    }
    EXPECT_GT(lines, 1500u * 10);  // mutated conversations still mostly decode
}

TEST(Fuzz, MutatedCaptureFilesThroughLibpcap)
{
    // Whole files with bytes changed (record headers included) and cut:
    // whatever libpcap hands over, the viewer must take.
    TempDir dir;
    const std::string path = dir.file("mutated.pcap");
    std::mt19937 rng(7323);
    const auto bases = captures();
    for (int round = 0; round < 150; ++round) {
        bases[round % bases.size()].write(path);
        std::string bytes;
        {
            std::ifstream in(path, std::ios::binary);
            bytes.assign(std::istreambuf_iterator<char>(in), {});
        }
        for (int k = 1 + static_cast<int>(rng() % 6); k > 0; --k)
            bytes[24 + rng() % (bytes.size() - 24)] = static_cast<char>(rng());
        if (rng() % 3 == 0)
            bytes.resize(24 + rng() % (bytes.size() - 24));
        std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;

        wire::Capture cap = wire::Capture::file(path);
        ASSERT_TRUE(cap.open()) << cap.error();
        std::ostringstream out;
        wire::Viewer viewer(out, {});
        wire::Feed feed(cap, viewer);
        const auto handler = feed.handler();
        while (cap.dispatch(handler) > 0)
            ;
        viewer.summary();
    }
}
