// SPDX-License-Identifier: MIT
// The lessons loopback cannot show: an echo across two hosts as the
// reports' captures saw it (mss 1460, 1448-byte segments), and the bind
// address deciding who can connect (seed 000).
#include "labnet_support.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <csignal>

using namespace socklab::test;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

namespace {

// Printable text in lines of 4000 bytes: each of tcpcli01's writes is a
// line, long enough to leave as several full segments.
std::string long_lines(size_t n)
{
    std::string s = random_bytes(n, 3);
    for (size_t i = 0; i < n; ++i)
        s[i] = (i + 1) % 4000 == 0 ? '\n' : static_cast<char>('a' + static_cast<unsigned char>(s[i]) % 26);
    return s;
}

// linecli on h1 sends "hello" to addr:port; what it printed and how it ended.
Outcome hello_from_h1(const LabNet &net, const std::string &addr, int port)
{
    return net.sh_on("h1", "printf 'hello\\n' | " + prog("linecli") + " --addr " + addr +
                               " --port " + std::to_string(port));
}

}  // namespace

TEST(LabnetWire, EchoOfOneMiBAcrossHostsHasMss1460AndFullSizedSegments)
{
    REQUIRE_ROOT();
    LabNet net("echo", 2);
    ASSERT_TRUE(net.is_up()) << net.up().err;
    TempDir dir;
    const std::string data = long_lines(1 << 20);
    write_file(dir / "in", data);

    Process srv = net.start("h2", "tcpserv04", {"0"});
    int port = srv.wait_for_port();
    ASSERT_GT(port, 0);
    Capture cap(net, "h2", "port " + std::to_string(port));
    Outcome cli = net.sh_on("h1", prog("tcpcli01") + " 192.0.2.2 " + std::to_string(port) + " < " +
                                      quoted(dir / "in") + " > " + quoted(dir / "out"));
    EXPECT_EQ(cli.status.describe(), "exit 0") << cli.err;
    EXPECT_TRUE(read_file(dir / "out") == data) << "the echo differs from what was sent";

    std::string seen = cap.stop();
    // Both SYNs offer Ethernet's MSS: 1500 - 20 (IP) - 20 (TCP).
    EXPECT_THAT(seen, HasSubstr("SYN options:   client mss 1460, wscale"));
    EXPECT_THAT(seen, HasSubstr("server mss 1460, wscale"));
    // Full segments carry 1460 less 12 bytes of timestamps option, never more;
    // the frames tcpview saved, through the kit's decoder.
    auto segments = cap.segments();
    std::vector<uint32_t> lengths;
    std::vector<uint16_t> mss;
    for (const auto &seg : segments) {
        lengths.push_back(seg.length);
        if (auto m = seg.mss())
            mss.push_back(*m);
    }
    ASSERT_FALSE(lengths.empty()) << seen.substr(0, 4000);
    EXPECT_THAT(mss, ElementsAre(1460, 1460));  // the SYN and the SYN+ACK
    EXPECT_EQ(*std::max_element(lengths.begin(), lengths.end()), 1448u) << seen.substr(0, 4000);
    // 2 MiB cross h2's eth0, over 1400 full segments.  A capture slowed down
    // (by sanitizers, by load) shows fewer: the kernel drops the frames it
    // cannot keep up with (tcpview warns).  Never a larger one.
    EXPECT_GT(std::count(lengths.begin(), lengths.end(), 1448u), 20);
}

TEST(LabnetBinding, ServerBoundToLoopbackIsRefusedFromAnotherHost)
{
    REQUIRE_ROOT();
    LabNet net("lo", 2);
    ASSERT_TRUE(net.is_up()) << net.up().err;
    Process srv = net.start("h2", "echoserv", {"--addr", "127.0.0.1", "--port", "0"});
    int port = srv.wait_for_port();
    ASSERT_GT(port, 0);

    Outcome far = hello_from_h1(net, "192.0.2.2", port);
    EXPECT_EQ(far.status.describe(), "exit 1");
    EXPECT_THAT(far.err, HasSubstr("connect error: Connection refused"));
    // The server is there all the same, for its own host.
    Outcome near = net.sh_on("h2", "printf 'hello\\n' | " + prog("linecli") +
                                       " --addr 127.0.0.1 --port " + std::to_string(port));
    EXPECT_EQ(near.status.describe(), "exit 0") << near.err;
    EXPECT_EQ(near.out, "hello\n");
}

TEST(LabnetBinding, ServerBoundToAnyOrItsOwnAddressIsServed)
{
    REQUIRE_ROOT();
    LabNet net("any", 2);
    ASSERT_TRUE(net.is_up()) << net.up().err;
    for (const std::string addr : {"0.0.0.0", "192.0.2.2"}) {
        Process srv = net.start("h2", "echoserv", {"--addr", addr, "--port", "0"});
        int port = srv.wait_for_port();
        ASSERT_GT(port, 0);
        Outcome o = hello_from_h1(net, "192.0.2.2", port);
        EXPECT_EQ(o.status.describe(), "exit 0") << addr << ": " << o.err;
        EXPECT_EQ(o.out, "hello\n") << addr;
        EXPECT_THAT(srv.read_line().value_or(""), HasSubstr("connection from 192.0.2.1:")) << addr;
    }
}

TEST(LabnetBinding, OnePortOnTwoHostsServesTwoServers)
{
    REQUIRE_ROOT();
    LabNet net("port", 3);
    ASSERT_TRUE(net.is_up()) << net.up().err;
    Process on_h2 = net.start("h2", "echoserv", {"--addr", "0.0.0.0", "--port", "0"});
    int port = on_h2.wait_for_port();
    ASSERT_GT(port, 0);
    // The same port on h3 is free: another host, another kernel's ports.
    Process on_h3 = net.start("h3", "echoserv", {"--addr", "0.0.0.0", "--port", std::to_string(port)});
    EXPECT_EQ(on_h3.wait_for_port(), port) << on_h3.stderr_text();
    for (const std::string host : {"192.0.2.2", "192.0.2.3"}) {
        Outcome o = hello_from_h1(net, host, port);
        EXPECT_EQ(o.out, "hello\n") << host << ": " << o.err;
    }
    Outcome ss = net.sh_on("h3", "ss -ltn");
    EXPECT_THAT(ss.out, HasSubstr("0.0.0.0:" + std::to_string(port)));
}
