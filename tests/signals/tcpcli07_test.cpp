// SPDX-License-Identifier: MIT
// Practice 2: tcpcli07's timer ends it while connected; the fork server's
// child then ends, the parent reaps it from its SIGCHLD handler, says so,
// and keeps accepting.  Also the book's tcpserv04 with tcpcli04: five
// connections end at once and no zombie remains.
#include "process.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

using namespace socklab::test;
using ::testing::HasSubstr;

namespace {

// Runs tcpcli07 with a 2 s timer against server (already listening on
// port) and checks that the timer, not EOF, ended it.  The echo must come
// back before the timer fires: it takes some 10 ms, 50 ms on a loaded
// machine under ASan, and 2 s leaves room for a far slower one.
void timer_ends_client_while_connected(Process &server, int port)
{
    auto start = std::chrono::steady_clock::now();
    auto cli = Process::run("tcpcli07", {"-t", "2", "127.0.0.1", std::to_string(port)});
    ASSERT_TRUE(cli.write_stdin("hello\n"));
    EXPECT_EQ(cli.read_line(), "hello");  // connected, and the echo works
    // stdin stays open, so only the timer can end the client.
    auto st = cli.wait(15s);
    auto lived = std::chrono::steady_clock::now() - start;
    EXPECT_EQ(st.describe(), "exit 0");
    EXPECT_GE(lived, 2s) << "tcpcli07 ended before its timer";
    EXPECT_EQ(cli.stderr_text(), "tcpcli07: SIGALRM after 2.000 s: exiting while connected\n");

    // The server's child read EOF and exited; the parent's handler said so.
    EXPECT_TRUE(server.wait_for_line(std::regex("^child [0-9]+ terminated$")))
        << server.stdout_seen() << server.stderr_text();
    EXPECT_TRUE(eventually([&] { return server.children().empty(); })) << "a child was never reaped";

    // And the server stays up.
    Client next(port);
    ASSERT_TRUE(next.connected());
    EXPECT_TRUE(next.send("next\n"));
    EXPECT_EQ(next.recv_line(), "next");
    EXPECT_TRUE(server.running());
}

}  // namespace

TEST(Tcpcli07, TimerEndsTheClientAndEintrServerLogsTheChildsEnd)
{
    // eintr without -r: the same SIGCHLD also interrupts the parent's
    // accept(), which it then calls again.
    auto server = Process::run("eintr", {"0"});
    int port = server.wait_for_port();
    ASSERT_NE(port, 0);
    timer_ends_client_while_connected(server, port);
}

TEST(Tcpcli07, RejectsABadTimer)
{
    auto cli = Process::run("tcpcli07", {"-t", "soon", "127.0.0.1"});
    EXPECT_EQ(cli.wait().describe(), "exit 1");
    EXPECT_THAT(cli.stderr_text(), HasSubstr("-t wants seconds"));
}

TEST(Tcpserv04, Tcpcli07TimerEndsTheClientAndTheServerLogsTheChildsEnd)
{
    auto server = Process::run("tcpserv04", {"0"});
    int port = server.wait_for_port();
    ASSERT_NE(port, 0);
    timer_ends_client_while_connected(server, port);
}

TEST(Tcpserv04, FiveConnectionsOfTcpcli04EndTogetherAndNoZombieRemains)
{
    auto server = Process::run("tcpserv04", {"0"});
    int port = server.wait_for_port();
    ASSERT_NE(port, 0);
    auto cli = Process::run("tcpcli04", {"127.0.0.1", std::to_string(port)});
    ASSERT_TRUE(cli.write_stdin("hello\n"));
    EXPECT_EQ(cli.read_line(), "hello");
    EXPECT_TRUE(eventually([&] { return server.children().size() == 5; })) << "one child per connection";
    cli.close_stdin();  // the client exits: its five sockets close at once
    EXPECT_EQ(cli.wait().describe(), "exit 0");

    for (int i = 0; i < 5; i++)
        EXPECT_TRUE(server.wait_for_line(std::regex("child [0-9]+ terminated")))
            << "child report " << i + 1 << " of 5; stdout:\n" << server.stdout_seen();
    EXPECT_TRUE(eventually([&] { return server.children().empty(); }))
        << server.zombie_children() << " zombies left";
    EXPECT_EQ(server.zombie_children(), 0);

    // Its accept() was interrupted (or restarted) and it still serves.
    EXPECT_TRUE(eventually([&] { return blocked_in_accept(server.pid()); }));
    Client next(port);
    ASSERT_TRUE(next.connected());
    EXPECT_TRUE(next.send("after\n"));
    EXPECT_EQ(next.recv_line(), "after");
    EXPECT_TRUE(server.running());
}
