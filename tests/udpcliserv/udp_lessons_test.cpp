// SPDX-License-Identifier: MIT
// The lessons of the book's chapter 8 and 14 on UDP: lost datagrams and
// the three timeout clients, the reply from the wrong peer, connected UDP
// and ECONNREFUSED, TCP and UDP on one port, no flow control.
#include "udp_relay.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <regex>

using namespace socklab::test;
using ::testing::HasSubstr;

namespace {

bool stderr_has(Process &p, const std::string &text, Millis timeout = 10s)
{
    return eventually([&] { return p.stderr_text().find(text) != std::string::npos; }, timeout);
}

}  // namespace

class UdpTimeout : public ::testing::TestWithParam<const char *> {};

// A relay that drops everything stands for the lost datagram; once it
// forwards again, the same client gets its echo: it was never stuck.
TEST_P(UdpTimeout, ClientTimesOutWhileEverythingIsLostAndRecoversAfter)
{
    Process server = Process::run("udpserv01", {"0"});
    int port = server.wait_for_port();
    ASSERT_NE(port, 0);
    UdpRelay relay(port, {});
    relay.blackhole(true);
    Process client = Process::run(GetParam(), {"127.0.0.1", std::to_string(relay.port())});
    ASSERT_TRUE(client.write_stdin("lost\n"));
    EXPECT_TRUE(stderr_has(client, "timeout: no reply in 2 s")) << client.stderr_text();
    EXPECT_GT(relay.to_server().dropped.load(), 0);
    relay.blackhole(false);
    ASSERT_TRUE(client.write_stdin("found\n"));
    EXPECT_EQ(client.read_line(), "found");
    client.close_stdin();
    EXPECT_EQ(client.wait().describe(), "exit 0") << client.stderr_text();
}

INSTANTIATE_TEST_SUITE_P(ThreeWays, UdpTimeout,
                         ::testing::Values("udpclitimeo_alarm", "udpclitimeo_select", "udpclitimeo_rcvtimeo"));

TEST(UdpWrongPeer, CheckingClientIgnoresAReplyFromAnotherAddress)
{
    UdpSocket server, stranger;
    Process client = Process::run("udpcliaddr", {"127.0.0.1", std::to_string(server.port())});
    ASSERT_TRUE(client.write_stdin("who answers?\n"));
    auto request = server.recv();
    ASSERT_TRUE(request);
    ASSERT_TRUE(stranger.reply(*request, "not me\n"));
    EXPECT_TRUE(stderr_has(client, "reply from 127.0.0.1:" + std::to_string(stranger.port()) + " (ignored)"))
        << client.stderr_text();
    ASSERT_TRUE(server.reply(*request, "who answers?\n"));
    EXPECT_EQ(client.read_line(), "who answers?");
    client.close_stdin();
    EXPECT_EQ(client.wait().describe(), "exit 0");
    EXPECT_EQ(client.read_rest(), "") << "the stranger's datagram never reached stdout";
}

TEST(UdpWrongPeer, BookClientTakesWhateverArrivesFirst)
{
    UdpSocket server, stranger;
    Process client = Process::run("udpcli01", {"127.0.0.1", std::to_string(server.port())});
    ASSERT_TRUE(client.write_stdin("who answers?\n"));
    auto request = server.recv();
    ASSERT_TRUE(request);
    ASSERT_TRUE(stranger.reply(*request, "not me\n"));
    EXPECT_EQ(client.read_line(), "not me") << "dg_cli passes NULL to recvfrom: it cannot tell";
}

TEST(UdpConnected, ClientGetsConnectionRefusedFromAClosedPort)
{
    RefusingUdpPort closed;
    ASSERT_NE(closed.port(), 0);
    Process client = Process::run("udpcliconnect", {"127.0.0.1", std::to_string(closed.port())});
    ASSERT_TRUE(client.write_stdin("anyone?\n"));
    EXPECT_EQ(client.wait().describe(), "exit 1");
    EXPECT_THAT(client.stderr_text(), HasSubstr("read error: Connection refused"));
}

TEST(UdpConnected, ClientEchoesThroughAConnectedSocket)
{
    Process server = Process::run("udpserv01", {"0"});
    int port = server.wait_for_port();
    ASSERT_NE(port, 0);
    Process client = Process::run("udpcliconnect", {"127.0.0.1", std::to_string(port)});
    ASSERT_TRUE(client.write_stdin("connected\n"));
    EXPECT_EQ(client.read_line(), "connected");
    client.close_stdin();
    EXPECT_EQ(client.wait().describe(), "exit 0");
    EXPECT_THAT(client.stderr_text(), HasSubstr("connected: local address 127.0.0.1:"));
}

TEST(UdpServSelect, TcpAndUdpEchoOnOnePort)
{
    Process server = Process::run("udpservselect01", {"0"});
    int port = server.wait_for_port();
    ASSERT_NE(port, 0);
    EXPECT_TRUE(server.wait_for_line(std::regex("udp on the same port: " + std::to_string(port))));
    Client tcp(port);
    ASSERT_TRUE(tcp.connected());
    UdpSocket udp;
    ASSERT_TRUE(udp.send_to("over udp", port));
    auto d = udp.recv();
    ASSERT_TRUE(d);
    EXPECT_EQ(d->bytes, "over udp");
    ASSERT_TRUE(tcp.send("over tcp\n"));
    EXPECT_EQ(tcp.recv_line(), "over tcp");
    tcp.close();
    EXPECT_TRUE(eventually([&] { return server.zombie_children() == 0 && server.children().empty(); }));
    ASSERT_TRUE(udp.send_to("after the child", port));
    d = udp.recv();
    ASSERT_TRUE(d);
    EXPECT_EQ(d->bytes, "after the child") << "SIGCHLD interrupted select(), and the loop went on";
}

TEST(UdpFlowControl, ServerCountsWhatArrivedAndReadsTheCounters)
{
    Process server = Process::run("udpservloop", {"0"});
    int port = server.wait_for_port();
    ASSERT_NE(port, 0);
    Process client = Process::run("udpcliloop", {"127.0.0.1", std::to_string(port)});
    EXPECT_EQ(client.read_line(), "sent 2000 datagrams of 1400 bytes");
    EXPECT_EQ(client.wait().describe(), "exit 0");
    static const std::regex counted(R"(received (\d+) datagrams; Udp RcvbufErrors (\d+) -> (\d+) \(\+(\d+)\))");
    auto line = server.wait_for_line(counted);
    ASSERT_TRUE(line) << server.stdout_seen();
    std::smatch m;
    std::regex_search(*line, m, counted);
    long received = std::stol(m[1]), before = std::stol(m[2]), after = std::stol(m[3]);
    EXPECT_GT(received, 0);
    EXPECT_LE(received, 2000) << "never more than was sent";
    EXPECT_GE(after, before) << "a counter only grows";
    server.kill(SIGINT);
    EXPECT_TRUE(server.wait_for_line(std::regex("received " + std::to_string(received) + " datagrams")));
    EXPECT_EQ(server.wait().describe(), "exit 0");
}

TEST(UdpFlowControl, LargerReceiveBufferIsAskedForAndShown)
{
    static const std::regex buffer(R"(receive buffer \(SO_RCVBUF\): (\d+) bytes)");
    auto shown = [](std::vector<std::string> args) {
        Process p = Process::run("udpservloop", std::move(args));
        auto line = p.wait_for_line(buffer);
        std::smatch m;
        return line && std::regex_search(*line, m, buffer) ? std::stol(m[1]) : 0L;
    };
    long normal = shown({"0"}), raised = shown({"-r", "1048576", "0"});
    ASSERT_GT(normal, 0);
    if (geteuid() == 0)
        EXPECT_GE(raised, 2 * 1048576) << "root: SO_RCVBUFFORCE, doubled by Linux";
    else
        EXPECT_GE(raised, normal) << "capped at net.core.rmem_max without root";
}
