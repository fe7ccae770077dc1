// SPDX-License-Identifier: MIT
// Connections that end badly: tcpcli11 writing to a connection the server
// has reset (SIGPIPE), and tcpcli10 ending its own with RST.
#include "helpers.hpp"

#include <gmock/gmock.h>

using namespace socklab::test;
using ::testing::HasSubstr;

TEST(Rst, Tcpcli11GetsSigpipeAfterTheServerChildIsKilled)
{
    Server s = start_server("tcpserv04");
    ASSERT_NE(s.port, 0);
    Process client = Process::run("tcpcli11", {"127.0.0.1", std::to_string(s.port)});
    ASSERT_TRUE(eventually([&] { return s.proc.children().size() == 1; })) << client.stderr_text();

    // The child dies (its TCP sends FIN); the parent reaps it.
    ::kill(s.proc.children()[0], SIGKILL);
    ASSERT_TRUE(s.proc.wait_for_line(std::regex("^child [0-9]+ terminated$")));
    // The client's TCP has the FIN (CLOSE_WAIT): the RST that its first byte
    // draws then finds the connection closing (EPIPE, so SIGPIPE), not open
    // (ECONNRESET, which the second write would just return).
    ASSERT_TRUE(eventually([&] { return client_end_got_fin(s.port); }));

    // One byte goes out and draws an RST; the rest, a second later, SIGPIPE.
    ASSERT_TRUE(client.write_stdin("hello\n"));
    EXPECT_EQ(client.wait().describe(), "killed by SIGPIPE") << client.stderr_text();
    EXPECT_EQ(client.stdout_seen(), "");
    EXPECT_TRUE(s.proc.running());
}

TEST(Rst, Tcpcli10ResetsAndTheServerKeepsServing)
{
    Server s = start_server("tcpserv04");
    ASSERT_NE(s.port, 0);
    Process client = Process::run("tcpcli10", {"127.0.0.1", std::to_string(s.port)});
    ASSERT_TRUE(client.write_stdin("hello\n"));
    ASSERT_EQ(client.read_line(), "hello");
    client.close_stdin();
    EXPECT_EQ(client.wait().describe(), "exit 0") << client.stderr_text();

    // The child's read() saw the RST, not an EOF: it reports it and exits.
    EXPECT_TRUE(eventually([&] {
        return s.proc.stderr_text().find("Connection reset by peer") != std::string::npos;
    })) << s.proc.stderr_text();
    EXPECT_TRUE(s.proc.wait_for_line(std::regex("^child [0-9]+ terminated$")));
    EXPECT_TRUE(eventually([&] { return s.proc.children().empty(); }));

    Client after(s.port);
    ASSERT_TRUE(after.send("next\n"));
    EXPECT_EQ(after.recv_line(), "next");
}
