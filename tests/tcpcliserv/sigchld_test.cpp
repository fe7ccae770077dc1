// SPDX-License-Identifier: MIT
// The SIGCHLD progression: tcpserv02 (wait once, accept not restarted),
// tcpserv03 (wait once, accept restarted) and tcpserv04 (waitpid loop),
// with tcpcli04's five connections ending together.
//
// "Together" is made exact: the test stops the server (SIGSTOP) while the
// five children end, so their five SIGCHLDs collapse into one pending
// signal, then lets it go on (SIGCONT).  One delivery, five children: what
// happens next depends only on the handler.
#include "helpers.hpp"

#include <gmock/gmock.h>

using namespace socklab::test;
using ::testing::HasSubstr;

namespace {

const std::regex kChildTerminated(R"(^child [0-9]+ terminated$)");

// Starts tcpcli04 against the server and waits for its five children.
Process connect_five(Server &s)
{
    Process client = Process::run("tcpcli04", {"127.0.0.1", std::to_string(s.port)});
    EXPECT_TRUE(eventually([&] { return s.proc.children().size() == 5; }))
        << "children: " << s.proc.children().size() << "; client: " << client.stderr_text();
    return client;
}

// Ends tcpcli04 while the server is stopped: all five children exit and
// wait as zombies, and the server has one SIGCHLD pending.  Then resumes it.
void end_five_together(Server &s, Process &client)
{
    s.proc.kill(SIGSTOP);
    ASSERT_TRUE(eventually([&] { return proc_state(s.proc.pid()) == 'T'; }));
    client.close_stdin();  // str_cli returns, exit() closes all five sockets
    EXPECT_EQ(client.wait().describe(), "exit 0");
    ASSERT_TRUE(eventually([&] { return s.proc.zombie_children() == 5; }))
        << "zombies: " << s.proc.zombie_children();
    s.proc.kill(SIGCONT);
}

// Waits for a server's parent to block in accept(), so that the next
// SIGCHLD interrupts accept() rather than arriving between two calls.
bool blocked_in_accept(Server &s)
{
    return eventually([&] { return socklab::test::blocked_in_accept(s.proc.pid()); });
}

}  // namespace

TEST(Sigchld, Tcpserv02EndsWithInterruptedAccept)
{
    Server s = start_server("tcpserv02");
    ASSERT_NE(s.port, 0);
    {
        Client c(s.port);
        ASSERT_TRUE(c.send("hello\n"));
        ASSERT_EQ(c.recv_line(), "hello");
        ASSERT_TRUE(blocked_in_accept(s));
    }  // the client closes, the child exits, SIGCHLD interrupts accept()
    EXPECT_TRUE(s.proc.wait_for_line(kChildTerminated)) << "the handler ran first";
    auto status = s.proc.wait();
    EXPECT_TRUE(status.exited && status.code == 1) << status.describe();
    EXPECT_THAT(s.proc.stderr_text(), HasSubstr("accept error: Interrupted system call"));
}

TEST(Sigchld, Tcpserv03RestartsAcceptAndReapsOneChild)
{
    Server s = start_server("tcpserv03");
    ASSERT_NE(s.port, 0);
    for (int i = 0; i < 2; i++) {
        {
            Client c(s.port);
            ASSERT_TRUE(c.send("hello\n"));
            ASSERT_EQ(c.recv_line(), "hello");
            ASSERT_TRUE(blocked_in_accept(s));
        }
        EXPECT_TRUE(s.proc.wait_for_line(kChildTerminated));
        EXPECT_EQ(s.proc.zombie_children(), 0);
    }
    EXPECT_TRUE(s.proc.running()) << s.proc.stderr_text();
    Client after(s.port);
    ASSERT_TRUE(after.send("still serving\n"));
    EXPECT_EQ(after.recv_line(), "still serving");
}

TEST(Sigchld, FiveChildrenEndingTogetherLeaveFourZombiesBehindTcpserv03)
{
    Server s = start_server("tcpserv03");
    ASSERT_NE(s.port, 0);
    Process client = connect_five(s);
    end_five_together(s, client);

    // One signal, one wait(): one child reaped, four left.
    ASSERT_TRUE(s.proc.wait_for_line(kChildTerminated));
    EXPECT_EQ(s.proc.zombie_children(), 4);
    EXPECT_TRUE(s.proc.running()) << s.proc.stderr_text();
    EXPECT_EQ(s.proc.wait_for_line(kChildTerminated, 200ms), std::nullopt)
        << "no second SIGCHLD arrives for the other four";
    EXPECT_EQ(s.proc.zombie_children(), 4);
}

TEST(Sigchld, FiveChildrenEndingTogetherAllReapedByTcpserv04)
{
    Server s = start_server("tcpserv04");
    ASSERT_NE(s.port, 0);
    Process client = connect_five(s);
    end_five_together(s, client);

    // One signal, a waitpid() loop: all five reaped.
    for (int i = 0; i < 5; i++)
        EXPECT_TRUE(s.proc.wait_for_line(kChildTerminated)) << "line " << i + 1;
    EXPECT_EQ(s.proc.zombie_children(), 0);
    EXPECT_TRUE(s.proc.running()) << s.proc.stderr_text();
}

TEST(Sigchld, Tcpcli04AgainstTcpserv04LeavesNoZombie)
{
    // The experiment as a student runs it, without stopping the server:
    // however the five SIGCHLDs are delivered, the loop reaps every child.
    Server s = start_server("tcpserv04");
    ASSERT_NE(s.port, 0);
    Process client = connect_five(s);
    ASSERT_TRUE(client.write_stdin("one line\n"));
    EXPECT_EQ(client.read_line(), "one line");
    client.close_stdin();
    EXPECT_EQ(client.wait().describe(), "exit 0");

    for (int i = 0; i < 5; i++)
        EXPECT_TRUE(s.proc.wait_for_line(kChildTerminated)) << "line " << i + 1;
    EXPECT_TRUE(eventually([&] { return s.proc.children().empty(); }))
        << "zombies: " << s.proc.zombie_children();
    Client after(s.port);
    ASSERT_TRUE(after.send("still serving\n"));
    EXPECT_EQ(after.recv_line(), "still serving");
}
