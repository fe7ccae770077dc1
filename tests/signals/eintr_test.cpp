// SPDX-License-Identifier: MIT
// eintr: SIGCHLD arrives while the server's parent is blocked in accept().
// Without SA_RESTART accept() returns -1/EINTR and the program calls it
// again; with SA_RESTART the kernel resumes it and the program sees nothing.
//
// Each test waits until the parent is inside accept() (from /proc) before
// it ends the client whose child then exits, so the signal always finds
// the parent there.
#include "process.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

using namespace socklab::test;
using ::testing::MatchesRegex;
using ::testing::Optional;
using ::testing::StartsWith;

namespace {

// Starts `eintr [flags] 0`; one client talks to a child, then, with the
// parent in accept(), closes, so the child exits and SIGCHLD comes.
// Returns the server, its port in *port, after its "child N terminated".
Process interrupt_accept(const std::vector<std::string> &flags, const std::string &installed, int *port)
{
    std::vector<std::string> args = flags;
    args.push_back("0");
    auto server = Process::run("eintr", args);
    *port = server.wait_for_port();
    EXPECT_EQ(server.read_line(), "SIGCHLD handler sig_chld_waitpid installed " + installed);
    Client c(*port);
    EXPECT_TRUE(c.connected());
    EXPECT_TRUE(c.send("ping\n"));
    EXPECT_EQ(c.recv_line(), "ping");  // a child is serving us
    EXPECT_TRUE(eventually([&] { return blocked_in_accept(server.pid()); }))
        << "the parent never went back to accept()";
    c.close();  // the child reads EOF and exits: SIGCHLD to the parent, in accept()
    EXPECT_TRUE(server.wait_for_line(std::regex("^child [0-9]+ terminated$")))
        << server.stdout_seen() << server.stderr_text();
    return server;
}

void expect_echo_server_still_serves(Process &server, int port)
{
    Client again(port);
    ASSERT_TRUE(again.connected());
    EXPECT_TRUE(again.send("still there?\n"));
    EXPECT_EQ(again.recv_line(), "still there?");
    EXPECT_THAT(server.read_line(), Optional(StartsWith("accepted 127.0.0.1:")));
    EXPECT_TRUE(server.running());
    again.close();  // that child ends too, and is reaped
    EXPECT_TRUE(server.wait_for_line(std::regex("^child [0-9]+ terminated$")));
    EXPECT_TRUE(eventually([&] { return server.children().empty(); }))
        << server.zombie_children() << " zombies";
}

}  // namespace

TEST(Eintr, WithoutSaRestartAcceptReturnsEintrAndTheServerCallsItAgain)
{
    int port = 0;
    auto server = interrupt_accept({}, "without SA_RESTART", &port);
    // The very next thing the parent says is what accept() returned.
    EXPECT_EQ(server.read_line(), "accept() returned -1, errno EINTR (Interrupted system call): calling accept() again");
    EXPECT_TRUE(eventually([&] { return blocked_in_accept(server.pid()); }));
    expect_echo_server_still_serves(server, port);
}

TEST(Eintr, WithSaRestartAcceptResumesAndReturnsOnlyTheNextConnection)
{
    int port = 0;
    auto server = interrupt_accept({"-r"}, "with SA_RESTART", &port);
    // The handler has run; the parent is still (again) in accept(), and the
    // next line it prints is the next connection, not an EINTR.
    EXPECT_TRUE(eventually([&] { return blocked_in_accept(server.pid()); }));
    expect_echo_server_still_serves(server, port);
    EXPECT_THAT(server.stdout_seen(), ::testing::Not(::testing::HasSubstr("EINTR")));
}
