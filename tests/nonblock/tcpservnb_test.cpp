// SPDX-License-Identifier: MIT
// tcpservnb: every accept loop ends in EWOULDBLOCK, and a client that
// resets before accept() (the window -p holds open) costs the server
// nothing: it goes back to select() and serves the next one.
#include "nonblock_support.hpp"

#include <gmock/gmock.h>

using namespace socklab::test;
using namespace std::chrono_literals;

TEST(Tcpservnb, EveryAcceptLoopEndsInEwouldblock)
{
    Process s = Process::run("tcpservnb", {"0"});
    int port = s.wait_for_port();
    ASSERT_NE(port, 0);
    for (int round = 0; round < 2; round++) {
        Client c(port);
        ASSERT_TRUE(c.connected());
        ASSERT_TRUE(s.wait_for_line(std::regex("select: listening socket readable")));
        ASSERT_TRUE(s.wait_for_line(std::regex("accepted connection from 127\\.0\\.0\\.1:[0-9]+")));
        EXPECT_TRUE(s.wait_for_line(std::regex("accept: EWOULDBLOCK, no connection waiting")));
        ASSERT_TRUE(c.send("echo me\n"));
        EXPECT_EQ(c.recv_line(), "echo me");
    }
    EXPECT_TRUE(eventually([&] { return s.zombie_children() == 0; }));
}

TEST(Tcpservnb, TwoWaitingClientsAreTakenInOneLoop)
{
    Process s = Process::run("tcpservnb", {"-p", "0"});
    int port = s.wait_for_port();
    ASSERT_NE(port, 0);
    Client a(port), b(port);
    ASSERT_TRUE(a.connected() && b.connected());
    ASSERT_TRUE(s.wait_for_line(std::regex("paused: .*")));
    ASSERT_TRUE(s.write_stdin("\n"));
    ASSERT_TRUE(s.wait_for_line(std::regex("accepted connection from .*")));
    ASSERT_TRUE(s.wait_for_line(std::regex("accepted connection from .*")));
    EXPECT_TRUE(s.wait_for_line(std::regex("accept: EWOULDBLOCK, no connection waiting")));
}

TEST(Tcpservnb, ResetBeforeAcceptLeavesTheServerServing)
{
    Process s = Process::run("tcpservnb", {"-p", "0"});
    int port = s.wait_for_port();
    ASSERT_NE(port, 0);

    Client early(port);
    ASSERT_TRUE(early.connected());
    ASSERT_TRUE(s.wait_for_line(std::regex("paused: .*")));  // select() saw it
    early.reset();                                           // RST before accept()
    ASSERT_TRUE(s.write_stdin("\n"));
    // Linux hands over the reset connection; its child finds the reset.
    ASSERT_TRUE(s.wait_for_line(std::regex("accepted connection from .*")));
    EXPECT_TRUE(s.wait_for_line(std::regex("accept: EWOULDBLOCK, no connection waiting")));
    EXPECT_TRUE(eventually([&] { return s.stderr_text().find("Connection reset by peer") != std::string::npos; }))
        << s.stderr_text();

    Client next(port);  // and the server is back in select(), serving
    ASSERT_TRUE(next.connected());
    ASSERT_TRUE(s.wait_for_line(std::regex("paused: .*")));
    ASSERT_TRUE(s.write_stdin("\n"));
    ASSERT_TRUE(next.send("still here\n"));
    EXPECT_EQ(next.recv_line(), "still here");
    EXPECT_TRUE(eventually([&] { return s.zombie_children() == 0; }));
}

TEST(Tcpservnb, Usage)
{
    Process p = Process::run("tcpservnb", {"-p", "1", "2"});
    EXPECT_EQ(p.wait().code, 1);
    EXPECT_THAT(p.stderr_text(), ::testing::HasSubstr("usage: tcpservnb"));
}
