// SPDX-License-Identifier: MIT
// selecttimeo and polltimeo, three ways: forever wakes only for a client,
// N seconds wakes with "timeout" when idle, 0 never sleeps and burns CPU.
// Every test runs against both servers.
#include "nonblock_support.hpp"

#include <gmock/gmock.h>

#include <signal.h>

using namespace socklab::test;
using namespace std::chrono_literals;

namespace {

class Timeo : public ::testing::TestWithParam<const char *> {
protected:
    Process start(const std::string &wait, int &port)
    {
        Process p = Process::run(GetParam(), {wait, "0"});
        port = p.wait_for_port();
        return p;
    }
};

// A client echoes through the server, which says "ready: 1" for it.
void expect_echo(Process &server, int port)
{
    Client c(port);
    ASSERT_TRUE(c.connected());
    EXPECT_TRUE(server.wait_for_line(std::regex("ready: 1"))) << "the connection did not wake it";
    ASSERT_TRUE(c.send("through the server\n"));
    EXPECT_EQ(c.recv_line(), "through the server");
    EXPECT_TRUE(server.wait_for_line(std::regex("ready: 1"))) << "the line did not wake it";
}

// SIGTERM: the server prints its CPU time and exits 0.
std::string stop_and_read_cpu(Process &server)
{
    server.kill(SIGTERM);
    auto line = server.wait_for_line(std::regex("cpu: .* s user, .* s system in .* s"));
    EXPECT_TRUE(line);
    ExitStatus st = server.wait();
    EXPECT_TRUE(st.exited && st.code == 0) << st.describe();
    return line.value_or("");
}

}  // namespace

TEST_P(Timeo, ForeverWakesOnlyForClients)
{
    int port;
    Process s = start("forever", port);
    ASSERT_NE(port, 0);
    expect_echo(s, port);
    stop_and_read_cpu(s);
    EXPECT_THAT(s.stdout_seen(), ::testing::Not(::testing::HasSubstr("timeout")));
}

TEST_P(Timeo, SecondsWaitSaysTimeoutWhenIdle)
{
    int port;
    auto t0 = std::chrono::steady_clock::now();
    Process s = start("1", port);
    ASSERT_NE(port, 0);
    ASSERT_TRUE(s.wait_for_line(std::regex("timeout"), 5s));
    EXPECT_GE(std::chrono::steady_clock::now() - t0, 900ms) << "timed out before its second";
    expect_echo(s, port);
    ASSERT_TRUE(s.wait_for_line(std::regex("timeout"), 5s)) << "idle again, yet no timeout";
    stop_and_read_cpu(s);
}

TEST_P(Timeo, ZeroWaitSpinsAndBurnsCpuTheBlockingOneDoesNot)
{
    int zport, fport;
    Process zero = start("0", zport);
    Process forever = start("forever", fport);
    ASSERT_NE(zport, 0);
    ASSERT_NE(fport, 0);
    ASSERT_TRUE(zero.wait_for_line(std::regex("timeout")));

    // Same wall time for both: the spinning one piles up CPU time, the
    // sleeping one next to none.  Only the order is asserted, loosely.
    ASSERT_TRUE(eventually([&] { return cpu_seconds(zero.pid()) >= 0.3; }, 20s))
        << "zero-timeout server used only " << cpu_seconds(zero.pid()) << " s of CPU";
    EXPECT_LT(cpu_seconds(forever.pid()), cpu_seconds(zero.pid()) / 3);

    expect_echo(zero, zport);  // it still serves, and counts the timeouts it saw
    EXPECT_THAT(zero.stdout_seen(), ::testing::ContainsRegex("\\([0-9]+ timeouts in a row\\)"));
    stop_and_read_cpu(zero);
    stop_and_read_cpu(forever);
}

TEST_P(Timeo, UsageAndBadWait)
{
    for (auto args : {std::vector<std::string>{}, {"-1"}, {"soon"}, {"5", "0", "x"}}) {
        Process p = Process::run(GetParam(), args);
        ExitStatus st = p.wait();
        EXPECT_TRUE(st.exited && st.code == 1) << st.describe();
        EXPECT_THAT(p.stderr_text(), ::testing::HasSubstr("usage: "));
    }
}

INSTANTIATE_TEST_SUITE_P(Servers, Timeo, ::testing::Values("selecttimeo", "polltimeo"));
