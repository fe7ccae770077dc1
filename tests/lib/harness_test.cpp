// SPDX-License-Identifier: MIT
// The test harness itself: a harness that cannot see failure proves nothing.
#include "process.hpp"

#include <gtest/gtest.h>

using namespace socklab::test;

TEST(Harness, ReadsPortAndExitStatus)
{
    auto p = Process::start({"/bin/sh", "-c", "echo hello; echo 'listening on 0.0.0.0, port 4242'; exit 3"});
    EXPECT_EQ(p.read_line(), "hello");
    EXPECT_EQ(p.wait_for_port(), 4242);
    auto st = p.wait();
    EXPECT_TRUE(st.exited);
    EXPECT_EQ(st.code, 3);
    EXPECT_EQ(st.describe(), "exit 3");
}

TEST(Harness, ReportsSignalAndTimeout)
{
    auto p = Process::start({"/bin/sh", "-c", "kill -PIPE $$"});
    EXPECT_EQ(p.wait().describe(), "killed by SIGPIPE");
    auto sleeper = Process::start({"/bin/sleep", "30"});
    EXPECT_TRUE(sleeper.wait(50ms).timed_out);
}

TEST(Harness, CountsZombiesAndDescriptors)
{
    // The shell forks a child that exits at once and is never reaped while
    // the shell itself is blocked in exec'd sleep: one zombie.
    auto p = Process::start({"/bin/sh", "-c", "/bin/true & exec /bin/sleep 30"});
    EXPECT_TRUE(eventually([&] { return p.zombie_children() == 1; }));
    // sleep may still be starting (its locale set-up opens and closes
    // gconv-modules.cache: seen once in the sanitizer run), so wait for the
    // count to settle at its three.
    EXPECT_TRUE(eventually([&] { return p.open_fds() == 3; }, 5s)) << ::testing::PrintToString(p.fd_targets());
}

TEST(Harness, ClientTalksAndSeesClose)
{
    unp::Fd listener = unp::listen_tcp("127.0.0.1", "0");
    int port = unp::local_port(listener.get());
    Client c(port);
    ASSERT_TRUE(c.connected());
    unp::Fd conn(accept(listener.get(), nullptr, nullptr));
    unp::write_all(conn.get(), "one\ntwo");
    EXPECT_EQ(c.recv_line(), "one");
    EXPECT_FALSE(c.recv_line(50ms).has_value());  // "two" has no newline yet
    conn.reset();
    EXPECT_EQ(c.recv_all(), "two");
    EXPECT_TRUE(c.closed_by_peer());
}

TEST(Harness, RefusedConnectionReportsErrno)
{
    RefusingPort refusing;
    ASSERT_NE(refusing.port(), 0);
    int port = refusing.port();
    Client c(port);
    EXPECT_FALSE(c.connected());
    EXPECT_EQ(c.errno_value(), ECONNREFUSED);
}

TEST(Harness, AnEmptyProcessIsNoProcess)
{
    Process none;  // what a fixture holds before it starts its server
    EXPECT_EQ(none.pid(), -1);
    EXPECT_FALSE(none.running());
    EXPECT_FALSE(none.write_stdin("x"));
    EXPECT_EQ(none.read_line(10ms), std::nullopt);
    none = Process::start({"/bin/sh", "-c", "echo 'listening on ::, port 7'; exec sleep 30"});
    EXPECT_EQ(none.wait_for_port(), 7);
    EXPECT_TRUE(none.running());
}
