// SPDX-License-Identifier: MIT
// The student reports' experiments, end to end on loopback: what each
// program prints and what a peer sees (tcpview's tests look at the wire).
#include "process.hpp"

#include <linux/sockios.h>
#include <sys/ioctl.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

using namespace socklab::test;
using ::testing::HasSubstr;
using ::testing::MatchesRegex;

namespace {

int queued_in(int fd)
{
    int n = -1;
    return ioctl(fd, FIONREAD, &n) == 0 ? n : -1;
}

int queued_out(int fd)  // sent but not yet acknowledged by the peer
{
    int n = -1;
    return ioctl(fd, SIOCOUTQ, &n) == 0 ? n : -1;
}

std::string upper(std::string s)
{
    for (char &c : s)
        c = static_cast<char>(toupper(static_cast<unsigned char>(c)));
    return s;
}

}  // namespace

TEST(Experiments, WrongArgumentsPrintUsage)
{
    const std::vector<std::pair<std::string, std::vector<std::string>>> cases = {
        {"echoserv", {"--bogus", "1"}},      {"echoserv", {"--port"}},
        {"linecli", {"--addr"}},             {"upperserv", {"1", "2"}},
        {"chunkserv", {"1", "2"}},           {"floodserv", {"-n", "0"}},
        {"sleepserv", {"-s", "soon"}},       {"eofserv", {"1", "2"}},
        {"oneshotcli", {"127.0.0.1"}},       {"burstcli", {"127.0.0.1", "1", "9"}},
        {"halfclosecli", {"127.0.0.1", "1"}}};
    for (const auto &[name, args] : cases) {
        auto p = Process::run(name, args);
        EXPECT_EQ(p.wait().describe(), "exit 1") << name;
        EXPECT_THAT(p.stderr_text(), HasSubstr("usage: " + name)) << name;
    }
}

TEST(Experiments, LineClientEchoesEachLineOverOneConnection)
{
    auto server = Process::run("echoserv", {"--port", "0"});
    int port = server.wait_for_port();
    ASSERT_GT(port, 0);
    EXPECT_THAT(server.stdout_seen(), HasSubstr("listening on 127.0.0.1, port"));
    auto client = Process::run("linecli", {"--addr", "127.0.0.1", "--port", std::to_string(port)});
    client.write_stdin("abcdefg\n");
    EXPECT_EQ(client.read_line(), "abcdefg");
    client.write_stdin("ABCDEFG\n");
    EXPECT_EQ(client.read_line(), "ABCDEFG");
    client.close_stdin();  // Ctrl-D
    EXPECT_EQ(client.wait().describe(), "exit 0");
    EXPECT_TRUE(server.wait_for_line(std::regex("connection from 127\\.0\\.0\\.1:[0-9]+ closed")));
    // One connection for both lines.
    const std::string &seen = server.stdout_seen();
    size_t opened = 0;
    for (size_t at = seen.find("connection from"); at != std::string::npos; at = seen.find("connection from", at + 1))
        ++opened;
    EXPECT_EQ(opened, 2u) << seen;  // "connection from X" and "connection from X closed"
}

TEST(Experiments, BoundTo127001OnlyThatAddressConnects)
{
    auto server = Process::run("echoserv", {"--addr", "127.0.0.1", "--port", "0"});
    int port = server.wait_for_port();
    ASSERT_GT(port, 0);
    Client same(port, "127.0.0.1");
    EXPECT_TRUE(same.connected());
    // 127.0.0.2 is this machine too, but nothing listens on it: RST.
    Client other(port, "127.0.0.2");
    EXPECT_FALSE(other.connected());
    EXPECT_EQ(other.errno_value(), ECONNREFUSED);
}

TEST(Experiments, BoundTo0000EveryAddressConnects)
{
    auto server = Process::run("echoserv", {"--addr", "0.0.0.0", "--port", "0"});
    int port = server.wait_for_port();
    ASSERT_GT(port, 0);
    EXPECT_THAT(server.stdout_seen(), HasSubstr("listening on 0.0.0.0, port"));
    Client other(port, "127.0.0.2");
    ASSERT_TRUE(other.connected());
    other.send("via 127.0.0.2\n");
    EXPECT_EQ(other.recv_line(), "via 127.0.0.2");
}

TEST(Experiments, TwoServersOnOnePortTheSecondFails)
{
    auto first = Process::run("echoserv", {"--addr", "0.0.0.0", "--port", "0"});
    int port = first.wait_for_port();
    ASSERT_GT(port, 0);
    for (const char *addr : {"0.0.0.0", "127.0.0.1"}) {
        auto second = Process::run("echoserv", {"--addr", addr, "--port", std::to_string(port)});
        EXPECT_EQ(second.wait().describe(), "exit 1") << addr;
        EXPECT_THAT(second.stderr_text(), HasSubstr("bind error: Address already in use")) << addr;
    }
    // On another port, a second server is fine.
    auto other = Process::run("echoserv", {"--port", "0"});
    EXPECT_GT(other.wait_for_port(), 0);
}

TEST(Experiments, IterativeEchoServerMakesTheSecondClientWait)
{
    auto server = Process::run("echoserv", {"--port", "0"});
    int port = server.wait_for_port();
    ASSERT_GT(port, 0);
    Client first(port);
    ASSERT_TRUE(first.send("one\n"));
    EXPECT_EQ(first.recv_line(), "one");
    Client second(port);  // connects: the kernel completes the handshake
    ASSERT_TRUE(second.connected());
    ASSERT_TRUE(second.send("two\n"));
    EXPECT_FALSE(second.recv_line(300ms).has_value()) << "an iterative server serves one client at a time";
    first.close();
    EXPECT_EQ(second.recv_line(), "two");
}

TEST(Experiments, UpperservReadsOnceAnswersAndCloses)
{
    auto server = Process::run("upperserv", {"0"});
    int port = server.wait_for_port();
    ASSERT_GT(port, 0);
    Client c(port);
    ASSERT_TRUE(c.send("hello"));
    EXPECT_EQ(c.recv_all(), "HELLO");
    EXPECT_TRUE(c.closed_by_peer());
    EXPECT_TRUE(server.wait_for_line(std::regex("read 5 bytes: hello")));
    // Sending after the server closed: the first write is accepted by our
    // kernel, the server's kernel answers RST, and writing fails from then on.
    EXPECT_TRUE(eventually([&] { return !c.send("again"); }));

    Client next(port);  // the server goes on serving
    ASSERT_TRUE(next.send("next"));
    EXPECT_EQ(next.recv_all(), "NEXT");
}

TEST(Experiments, OneshotClientSendsLateAfterTheServerClosed)
{
    auto server = Process::run("upperserv", {"0"});
    int port = server.wait_for_port();
    ASSERT_GT(port, 0);
    auto client = Process::run("oneshotcli", {"127.0.0.1", std::to_string(port), "hello", "again"});
    EXPECT_EQ(client.read_line(), "read 5 bytes: HELLO");
    EXPECT_EQ(client.read_line(), "wrote 5 more bytes");
    EXPECT_EQ(client.wait().describe(), "exit 0");
}

TEST(Experiments, ChunkservReadsFiveBytesAtATime)
{
    auto server = Process::run("chunkserv", {"0"});
    int port = server.wait_for_port();
    ASSERT_GT(port, 0);
    Client c(port);
    ASSERT_TRUE(c.send("World! Hello, World!"));
    c.shutdown_write();
    EXPECT_EQ(c.recv_all(), "WORLD! HELLO, WORLD!");
    EXPECT_EQ(server.read_line(), "read 5 bytes: World");
    EXPECT_EQ(server.read_line(), "read 5 bytes: ! Hel");
    EXPECT_EQ(server.read_line(), "read 5 bytes: lo, W");
    EXPECT_EQ(server.read_line(), "read 5 bytes: orld!");
}

TEST(Experiments, FloodservAnswersAThousandTimesOver)
{
    auto server = Process::run("floodserv", {"0"});
    int port = server.wait_for_port();
    ASSERT_GT(port, 0);
    Client c(port);
    ASSERT_TRUE(c.send("Hello"));
    std::string expected;
    for (int i = 0; i < 1000; i++)
        expected += "HELLO";
    EXPECT_EQ(c.recv_exact(expected.size()), expected);
    EXPECT_TRUE(server.wait_for_line(std::regex("read 5 bytes, writing 5000")));

    auto small = Process::run("floodserv", {"-n", "3", "0"});
    Client d(small.wait_for_port());
    ASSERT_TRUE(d.send("abc"));
    EXPECT_EQ(d.recv_exact(9), "ABCABCABC");
}

TEST(Experiments, FloodservSurvivesAClientThatResets)
{
    auto server = Process::run("floodserv", {"0"});
    int port = server.wait_for_port();
    ASSERT_GT(port, 0);
    {
        Client c(port);
        ASSERT_TRUE(c.send("x"));
        EXPECT_EQ(c.recv_exact(1000), std::string(1000, 'X'));
        c.reset();
    }
    EXPECT_TRUE(eventually([&] { return server.stderr_text().find("Connection reset by peer") != std::string::npos; }));
    Client next(port);
    ASSERT_TRUE(next.send("y"));
    EXPECT_EQ(next.recv_exact(1000), std::string(1000, 'Y'));
    EXPECT_TRUE(server.running());
}

TEST(Experiments, OneshotClientReadsOnlyOneKibibyteOfTheFlood)
{
    auto server = Process::run("floodserv", {"0"});
    int port = server.wait_for_port();
    ASSERT_GT(port, 0);
    auto client = Process::run("oneshotcli", {"127.0.0.1", std::to_string(port), "Hello,World!"});
    auto line = client.read_line();
    ASSERT_TRUE(line.has_value());
    EXPECT_THAT(*line, MatchesRegex("read [0-9]+ bytes: HELLO,WORLD!.*"));
    int n = std::stoi(line->substr(5));
    EXPECT_GT(n, 0);
    EXPECT_LE(n, 1024);
    EXPECT_EQ(client.wait().describe(), "exit 0");
}

TEST(Experiments, SleepingServerReadsTheClientsWritesAtOnce)
{
    // -w: the server reads when told (a line on its stdin), so the test
    // needs no sleep: it waits until all four writes sit in the server's
    // receive buffer (acknowledged), then lets it read.
    auto server = Process::run("sleepserv", {"-w", "0"});
    int port = server.wait_for_port();
    ASSERT_GT(port, 0);
    Client c(port);
    ASSERT_TRUE(server.wait_for_line(std::regex("press Enter to read")));
    std::string message;
    for (int i = 0; i < 10; i++)
        message += "Hello, World!";
    for (int i = 0; i < 4; i++)
        ASSERT_TRUE(c.send(message));
    ASSERT_TRUE(eventually([&] { return queued_out(c.fd()) == 0; }));
    server.write_stdin("\n");
    EXPECT_TRUE(server.wait_for_line(std::regex("read 520 bytes in one read\\(\\)")));
    EXPECT_EQ(c.recv_exact(520), upper(message + message + message + message));
}

TEST(Experiments, SleepingServerWithAShortSleepStillAnswers)
{
    auto server = Process::run("sleepserv", {"-s", "10", "0"});
    int port = server.wait_for_port();
    ASSERT_GT(port, 0);
    Client c(port);
    ASSERT_TRUE(c.send("abc"));
    EXPECT_EQ(c.recv_exact(3), "ABC");
    c.shutdown_write();
    EXPECT_TRUE(c.closed_by_peer());
}

TEST(Experiments, BurstClientWritesFourTimesThenReadsOnce)
{
    unp::Fd listener = unp::listen_tcp("127.0.0.1", "0");
    int port = unp::local_port(listener.get());
    auto client = Process::run("burstcli", {"127.0.0.1", std::to_string(port)});
    unp::Fd conn(accept(listener.get(), nullptr, nullptr));
    ASSERT_TRUE(conn);
    // All four writes arrive before we answer: 520 bytes waiting.
    ASSERT_TRUE(eventually([&] { return queued_in(conn.get()) == 520; }));
    unp::write_all(conn.get(), std::string(520, 'A'));
    for (int i = 0; i < 4; i++)
        EXPECT_EQ(client.read_line(), "wrote 130 bytes");
    EXPECT_EQ(client.read_line(), "read 520 bytes in one read()");
    EXPECT_EQ(client.wait().describe(), "exit 0");
}

TEST(Experiments, HalfCloseClientReadsTheAnswerAfterItsFin)
{
    auto server = Process::run("eofserv", {"0"});
    int port = server.wait_for_port();
    ASSERT_GT(port, 0);
    auto client = Process::run("halfclosecli", {"127.0.0.1", std::to_string(port), "hello"});
    EXPECT_EQ(client.read_line(), "read 5 bytes: HELLO");
    EXPECT_EQ(client.read_line(), "end of file after 5 bytes");
    EXPECT_EQ(client.wait().describe(), "exit 0");
    EXPECT_TRUE(server.wait_for_line(std::regex("end of file after 5 bytes; answering")));

    // A peer that closes instead of shutting down never reads the answer;
    // the server does not care and serves the next one.
    {
        Client c(port);
        ASSERT_TRUE(c.send("gone"));
    }
    Client again(port);
    ASSERT_TRUE(again.send("still here"));
    again.shutdown_write();
    EXPECT_EQ(again.recv_all(), "STILL HERE");
}
