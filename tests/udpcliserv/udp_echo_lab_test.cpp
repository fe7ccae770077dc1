// SPDX-License-Identifier: MIT
// UdpEchoLab: the checks the exercises grader runs on a student's
// udpserv01 and udpcli01 (exercises/labs/udp-echo.exercise).  Each program
// is checked against the test's own UDP socket, never against the other
// program, so a failure names the program at fault; the messages say what
// a typical mistake looks like from outside (a port with its bytes
// swapped, a server that was never bound, a reply sent to the wrong peer).
#include "port_note.hpp"
#include "udp_socket.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

using namespace socklab::test;
using ::testing::HasSubstr;

namespace {

// A UDP port free right now that swaps to another: a program that forgets
// htons() goes visibly to the wrong one.
int free_port() { return socket_whose_port_swaps_to_another().port(); }

struct Server {
    Process proc;
    int port;
};

Server start_server()
{
    Process p = Process::run("udpserv01", {"0"});
    int port = p.wait_for_port();
    return {std::move(p), port};
}

Server start_server_whose_port_swaps_to_another()
{
    return with_port_that_swaps_to_another(start_server, [](const Server &s) { return s.port; });
}

}  // namespace

TEST(UdpEchoLab, ServerPrintsThePortItIsBoundTo)
{
    Server s = start_server();
    EXPECT_NE(s.port, 0) << port_note(1, s.port) << "\nstdout: " << s.proc.stdout_seen();
}

TEST(UdpEchoLab, ServerBindsThePortItIsGiven)
{
    int port = free_port();
    ASSERT_NE(port, 0);
    Process p = Process::run("udpserv01", {std::to_string(port)});
    int got = p.wait_for_port();
    EXPECT_EQ(got, port) << port_note(port, got);
    UdpSocket c;
    ASSERT_TRUE(c.send_to("ping", port));
    auto reply = c.recv(3s);
    EXPECT_TRUE(reply && reply->bytes == "ping") << "no echo from port " << port;
}

TEST(UdpEchoLab, ServerEchoesADatagramByteExactToItsSender)
{
    Server s = start_server();
    ASSERT_NE(s.port, 0) << port_note(1, s.port);
    UdpSocket c;
    std::string bytes("binary\0and\ttext\n", 16);
    ASSERT_TRUE(c.send_to(bytes, s.port));
    auto reply = c.recv(3s);
    ASSERT_TRUE(reply) << "no echo came back to the sender (sendto() to the address recvfrom() gave?)";
    EXPECT_EQ(reply->bytes, bytes);
    EXPECT_EQ(reply->port(), s.port) << "the echo must come from the server's own port";
}

TEST(UdpEchoLab, ServerEchoesEmptyAndLargestDatagrams)
{
    Server s = start_server();
    ASSERT_NE(s.port, 0) << port_note(1, s.port);
    UdpSocket c;
    ASSERT_TRUE(c.send_to("", s.port));
    auto empty = c.recv(3s);
    EXPECT_TRUE(empty && empty->bytes.empty()) << "a 0-byte datagram is echoed as 0 bytes";
    std::string largest(65507, 'x');  // the largest UDP payload over IPv4
    for (std::size_t i = 0; i < largest.size(); i++)
        largest[i] = static_cast<char>('a' + i % 26);
    ASSERT_TRUE(c.send_to(largest, s.port));
    auto big = c.recv(3s);
    ASSERT_TRUE(big) << "no echo of a 65507-byte datagram";
    EXPECT_EQ(big->bytes.size(), largest.size()) << "cut short: the receive buffer is smaller than the datagram";
    EXPECT_TRUE(big->bytes == largest);
}

TEST(UdpEchoLab, ServerAnswersEachOfTwoClientsWithItsOwnDatagram)
{
    Server s = start_server();
    ASSERT_NE(s.port, 0) << port_note(1, s.port);
    UdpSocket a, b;
    for (int i = 0; i < 3; i++) {
        ASSERT_TRUE(a.send_to("from a " + std::to_string(i), s.port));
        ASSERT_TRUE(b.send_to("from b " + std::to_string(i), s.port));
        auto ra = a.recv(3s);
        auto rb = b.recv(3s);
        EXPECT_EQ(ra ? ra->bytes : "nothing", "from a " + std::to_string(i));
        EXPECT_EQ(rb ? rb->bytes : "nothing", "from b " + std::to_string(i));
    }
    EXPECT_TRUE(s.proc.running());
}

TEST(UdpEchoLab, SecondServerOnTheSamePortFailsInBind)
{
    Server s = start_server_whose_port_swaps_to_another();
    ASSERT_NE(s.port, 0) << port_note(1, s.port);
    Process second = Process::run("udpserv01", {std::to_string(s.port)});
    EXPECT_EQ(second.wait().describe(), "exit 1");
    EXPECT_THAT(second.stderr_text(), HasSubstr("bind error: Address already in use"));
}

TEST(UdpEchoLab, ClientSendsEachLineAsOneDatagramToThePortGiven)
{
    UdpSocket server = socket_whose_port_swaps_to_another();  // the test plays the server
    Process client = Process::run("udpcli01", {"127.0.0.1", std::to_string(server.port())});
    ASSERT_TRUE(client.write_stdin("first line\n"));
    auto d = server.recv(3s);
    ASSERT_TRUE(d) << "nothing arrived on port " << server.port() << " (sent to port "
                   << swapped_port(server.port()) << ", its bytes swapped: htons() missing?)";
    EXPECT_EQ(d->bytes, "first line\n");
    ASSERT_TRUE(server.reply(*d, "first line\n"));
    EXPECT_EQ(client.read_line(), "first line");
    ASSERT_TRUE(client.write_stdin("second\n"));
    auto d2 = server.recv(3s);
    ASSERT_TRUE(d2);
    EXPECT_EQ(d2->bytes, "second\n");
}

TEST(UdpEchoLab, ClientPrintsTheReplyNotItsOwnLine)
{
    UdpSocket server = socket_whose_port_swaps_to_another();
    Process client = Process::run("udpcli01", {"127.0.0.1", std::to_string(server.port())});
    ASSERT_TRUE(client.write_stdin("hello\n"));
    auto d = server.recv(3s);
    ASSERT_TRUE(d) << "nothing arrived on port " << server.port();
    ASSERT_TRUE(server.reply(*d, "HELLO, FROM THE SERVER\n"));
    EXPECT_EQ(client.read_line(), "HELLO, FROM THE SERVER");
}

TEST(UdpEchoLab, ClientEndsAtTheEndOfItsInput)
{
    UdpSocket server = socket_whose_port_swaps_to_another();
    Process client = Process::run("udpcli01", {"127.0.0.1", std::to_string(server.port())});
    ASSERT_TRUE(client.write_stdin("one\n"));
    auto d = server.recv(3s);
    ASSERT_TRUE(d);
    ASSERT_TRUE(server.reply(*d, d->bytes));
    EXPECT_EQ(client.read_line(), "one");
    client.close_stdin();
    EXPECT_EQ(client.wait().describe(), "exit 0");
}

TEST(UdpEchoLab, WrongArgumentsPrintUsage)
{
    for (const char *name : {"udpserv01", "udpcli01"}) {
        Process wrong = Process::run(name, {"1", "2", "3", "4"});
        EXPECT_EQ(wrong.wait().describe(), "exit 1") << name;
        EXPECT_THAT(wrong.stderr_text(), HasSubstr(std::string("usage: ") + name));
    }
}
