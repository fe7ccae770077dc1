// SPDX-License-Identifier: MIT
// udpserv01 and udpcli01: the echo comes back byte-exact, the server takes
// any datagram (empty, the largest, garbage, a flood) and keeps serving,
// and the client reports a reply its buffer cut (MSG_TRUNC).
#include "udp_socket.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <random>

using namespace socklab::test;
using ::testing::HasSubstr;

namespace {

struct Server {
    Process proc;
    int port;
};

Server start_udpserv01()
{
    Process p = Process::run("udpserv01", {"0"});
    int port = p.wait_for_port();
    return {std::move(p), port};
}

std::string random_bytes(std::size_t n, unsigned seed)
{
    std::mt19937 rng(seed);
    std::string s(n, '\0');
    for (auto &c : s)
        c = static_cast<char>(rng());
    return s;
}

// One datagram to the server and its echo, as the test's own client.
std::optional<std::string> echo_of(int port, const std::string &bytes)
{
    UdpSocket s;
    if (!s.send_to(bytes, port))
        return std::nullopt;
    auto d = s.recv(5s);
    return d ? std::optional<std::string>(d->bytes) : std::nullopt;
}

}  // namespace

TEST(UdpEcho, ServerPrintsItsPortAndClientLinesComeBackByteExact)
{
    Server s = start_udpserv01();
    ASSERT_NE(s.port, 0);
    Process client = Process::run("udpcli01", {"127.0.0.1", std::to_string(s.port)});
    std::string input = "hello\n\ntabs\tand  spaces\nnul \0 inside\n";
    input += std::string(5000, 'x') + "\n";  // longer than MAXLINE: sent in two datagrams
    ASSERT_TRUE(client.write_stdin(input));
    client.close_stdin();
    EXPECT_EQ(client.wait().describe(), "exit 0") << client.stderr_text();
    EXPECT_TRUE(client.read_rest() == input) << client.stdout_seen();
}

TEST(UdpEcho, ServerEchoesEmptyLargestAndGarbageDatagrams)
{
    Server s = start_udpserv01();
    ASSERT_NE(s.port, 0);
    EXPECT_EQ(echo_of(s.port, ""), std::string()) << "a 0-byte datagram is echoed as 0 bytes";
    std::string largest = random_bytes(65507, 1);  // the largest UDP payload over IPv4
    EXPECT_TRUE(echo_of(s.port, largest) == largest);
    std::string garbage = random_bytes(777, 2);
    EXPECT_TRUE(echo_of(s.port, garbage) == garbage);
    EXPECT_TRUE(s.proc.running());
}

TEST(UdpEcho, ServerSurvivesAFloodAndServesTheNextClient)
{
    Server s = start_udpserv01();
    ASSERT_NE(s.port, 0);
    {
        UdpSocket flood;  // never reads its echoes: they pile up and are dropped
        std::string junk = random_bytes(1400, 3);
        for (int i = 0; i < 20000; i++)
            flood.send_to(junk, s.port);
    }
    EXPECT_EQ(echo_of(s.port, "still there?"), "still there?");
    EXPECT_EQ(s.proc.open_fds(), 4) << "stdin, stdout, stderr and the one socket";
}

TEST(UdpEcho, ClientReportsAReplyItsBufferCut)
{
    UdpSocket fake_server;
    Process client = Process::run("udpcli01", {"127.0.0.1", std::to_string(fake_server.port())});
    ASSERT_TRUE(client.write_stdin("give me a lot\n"));
    auto request = fake_server.recv();
    ASSERT_TRUE(request);
    EXPECT_EQ(request->bytes, "give me a lot\n");
    ASSERT_TRUE(fake_server.reply(*request, std::string(65507, 'L')));
    client.close_stdin();
    EXPECT_EQ(client.wait().describe(), "exit 0");
    EXPECT_EQ(client.read_rest(), std::string(4096, 'L')) << "MAXLINE bytes of it";
    EXPECT_THAT(client.stderr_text(), HasSubstr("dg_cli: reply of 65507 bytes cut to 4096 (MSG_TRUNC)"));
}

TEST(UdpEcho, ServerAnswersTwoClientsAtOnce)
{
    Server s = start_udpserv01();
    ASSERT_NE(s.port, 0);
    Process a = Process::run("udpcli01", {"127.0.0.1", std::to_string(s.port)});
    Process b = Process::run("udpcli01", {"127.0.0.1", std::to_string(s.port)});
    for (int i = 0; i < 3; i++) {
        ASSERT_TRUE(a.write_stdin("a" + std::to_string(i) + "\n"));
        ASSERT_TRUE(b.write_stdin("b" + std::to_string(i) + "\n"));
        EXPECT_EQ(a.read_line(), "a" + std::to_string(i));
        EXPECT_EQ(b.read_line(), "b" + std::to_string(i));
    }
}

TEST(UdpEcho, ServerRefusesABusyPort)
{
    Server s = start_udpserv01();
    ASSERT_NE(s.port, 0);
    Process second = Process::run("udpserv01", {std::to_string(s.port)});
    EXPECT_EQ(second.wait().describe(), "exit 1");
    EXPECT_THAT(second.stderr_text(), HasSubstr("bind error: Address already in use"));
}

class UdpUsage : public ::testing::TestWithParam<const char *> {};

TEST_P(UdpUsage, HelpOnStdoutAndWrongArgumentsOnStderr)
{
    Process help = Process::run(GetParam(), {"--help"});
    EXPECT_EQ(help.wait().describe(), "exit 0");
    EXPECT_THAT(help.read_rest(), HasSubstr(std::string("usage: ") + GetParam()));
    Process wrong = Process::run(GetParam(), {"1", "2", "3", "4"});
    EXPECT_EQ(wrong.wait().describe(), "exit 1");
    EXPECT_THAT(wrong.stderr_text(), HasSubstr(std::string("usage: ") + GetParam()));
}

INSTANTIATE_TEST_SUITE_P(Programs, UdpUsage,
                         ::testing::Values("udpserv01", "udpcli01", "udpcliaddr", "udpcliconnect",
                                           "udpclitimeo_alarm", "udpclitimeo_select", "udpclitimeo_rcvtimeo",
                                           "udpcliloop", "udpservloop", "udpservselect01"));
