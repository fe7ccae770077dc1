// SPDX-License-Identifier: MIT
// TinyinetdLab: the checks the exercises grader runs on a student's
// tinyinetd (exercises/labs/tinyinetd.exercise): the select loop serves
// every service, and per connection accept, fork, dup2 onto 0, 1 and 2,
// exec; the parent closes the connection, the child the other sockets,
// SIGCHLD reaps.  External servers are the kit's daytimeinetd and
// echoinetd.  The messages say what a typical mistake looks like.
#include "inetd_support.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <csignal>
#include <regex>

using namespace socklab::test;
using ::testing::HasSubstr;

namespace {

std::string line(const std::string &rest) { return "127.0.0.1:0 " + rest + "\n"; }
std::string echo_line() { return line("stream tcp nowait " + me() + " " + server("echoinetd") + " echoinetd"); }
std::string daytime_line()
{
    return line("stream tcp nowait " + me() + " " + server("daytimeinetd") + " daytimeinetd");
}

// tinyinetd on conf, its log received, each of its `services` listening.
struct Running {
    Running(const std::string &conf, std::size_t services) : inetd(conf, log), port(inetd.wait_for_services(services)) {}
    SyslogReceiver log;
    Tinyinetd inetd;
    std::map<int, int> port;  // by CONF line
};

}  // namespace

TEST(TinyinetdLab, AnnouncesThePortOfEachService)
{
    Running r(echo_line() + daytime_line(), 2);
    EXPECT_EQ(r.port.size(), 2u);
}

TEST(TinyinetdLab, TheServerItExecsReadsAndWritesTheConnection)
{
    Running r(echo_line(), 1);
    ASSERT_EQ(r.port.size(), 1u);
    Client c(r.port[1]);
    ASSERT_TRUE(c.connected());
    ASSERT_TRUE(c.send("line one\nline two\n"));
    EXPECT_EQ(c.recv_line(3s), "line one") << "echoinetd reads descriptor 0 and writes 1: dup2() the connection onto them";
    EXPECT_EQ(c.recv_line(3s), "line two");
}

TEST(TinyinetdLab, AnExternalDaytimeServerAnswersOnStdout)
{
    Running r(daytime_line(), 1);
    ASSERT_EQ(r.port.size(), 1u);
    Client c(r.port[1]);
    std::string got = c.recv_all(3s);
    EXPECT_TRUE(std::regex_match(got, std::regex(kDaytimeLine))) << "got " << testing::PrintToString(got);
}

TEST(TinyinetdLab, TheClientSeesTheEndWhenTheServerExits)
{
    Running r(echo_line(), 1);
    ASSERT_EQ(r.port.size(), 1u);
    Client c(r.port[1]);
    ASSERT_TRUE(c.send("bye\n"));
    EXPECT_EQ(c.recv_line(3s), "bye");
    c.shutdown_write();  // echoinetd exits at its EOF
    EXPECT_TRUE(c.closed_by_peer(3s))
        << "echoinetd has exited, yet no FIN came: tinyinetd (the parent) keeps its copy of connfd";
}

TEST(TinyinetdLab, TwoClientsAreServedAtOnce)
{
    Running r(echo_line(), 1);
    ASSERT_EQ(r.port.size(), 1u);
    Client a(r.port[1]), b(r.port[1]);
    ASSERT_TRUE(a.send("from a\n"));
    ASSERT_TRUE(b.send("from b\n"));
    EXPECT_EQ(b.recv_line(3s), "from b") << "the second client waited for the first: a process per connection";
    EXPECT_EQ(a.recv_line(3s), "from a");
}

TEST(TinyinetdLab, TheSelectLoopServesEveryService)
{
    Running r(daytime_line() + echo_line() + line("stream tcp nowait nobody internal daytime"), 3);
    ASSERT_EQ(r.port.size(), 3u);
    for (int round = 0; round < 2; round++)
        for (int l : {3, 1, 2}) {  // not in the order the sockets were opened
            Client c(r.port[l]);
            ASSERT_TRUE(c.connected());
            if (l == 2) {
                ASSERT_TRUE(c.send("echo?\n"));
                EXPECT_EQ(c.recv_line(3s), "echo?") << "line " << l << " was not served";
            } else {
                EXPECT_TRUE(std::regex_match(c.recv_all(3s), std::regex(kDaytimeLine))) << "line " << l
                                                                                        << " was not served";
            }
        }
}

TEST(TinyinetdLab, EndedServersAreReapedNoZombies)
{
    Running r(daytime_line(), 1);
    ASSERT_EQ(r.port.size(), 1u);
    for (int i = 0; i < 5; i++) {
        Client c(r.port[1]);
        EXPECT_FALSE(c.recv_all(3s).empty());
    }
    int zombies = 0;
    EXPECT_TRUE(eventually([&] { return (zombies = r.inetd.process().zombie_children()) == 0; }, 3s))
        << zombies << " zombie children after 5 clients: no SIGCHLD handler reaps them?";
}

TEST(TinyinetdLab, AForkedChildDoesNotKeepTheListeningSockets)
{
    // The built-in echo forks and serves in the child, with no exec: only
    // an explicit close() keeps the other sockets from the child.
    Running r(line("stream tcp nowait nobody internal echo") + line("stream tcp nowait nobody internal daytime"), 2);
    ASSERT_EQ(r.port.size(), 2u);
    Client held(r.port[1]);
    ASSERT_TRUE(held.send("x\n"));
    ASSERT_EQ(held.recv_line(3s), "x");  // its child is serving it now
    r.inetd.process().kill(SIGKILL);     // tinyinetd only, not the child
    r.inetd.process().wait(3s);
    for (int l : {1, 2}) {
        Client late(r.port[l], "127.0.0.1", 2s);
        EXPECT_FALSE(late.connected()) << "tinyinetd is gone, yet line " << l
                                       << "'s port still takes connections: the child holds the listening socket";
    }
}

TEST(TinyinetdLab, WrongArgumentsPrintUsage)
{
    Process wrong = Process::run("tinyinetd", {"-x"});
    EXPECT_EQ(wrong.wait().describe(), "exit 1");
    EXPECT_THAT(wrong.stderr_text(), HasSubstr("usage: tinyinetd"));
}
