// SPDX-License-Identifier: MIT
// zombies: N children exit while SIGCHLD is blocked, so exactly one SIGCHLD
// is pending when it is unblocked.  The wait handler then reaps one child
// and leaves N-1 zombies; the waitpid handler leaves none.  Zombies are
// counted from /proc while the program waits for Enter.
#include "process.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <tuple>

using namespace socklab::test;
using ::testing::HasSubstr;

namespace {

const std::regex kBeforeUnblock("^press Enter to unblock SIGCHLD");
const std::regex kBeforeExit("^press Enter to reap the rest");

struct Counts {
    int before = -1;  // zombies while SIGCHLD is still blocked
    int after = -1;   // zombies once the handler has run
};

// Runs `zombies -b -n N handler`, counting its zombie children at both stops.
Counts run_blocked(int n, const std::string &handler)
{
    Counts counts;
    auto p = Process::run("zombies", {"-b", "-n", std::to_string(n), handler});
    if (!p.wait_for_line(kBeforeUnblock)) {
        ADD_FAILURE() << "no prompt before unblocking; stdout:\n" << p.stdout_seen() << "\nstderr:\n" << p.stderr_text();
        return counts;
    }
    counts.before = p.zombie_children();
    p.write_stdin("\n");
    if (!p.wait_for_line(kBeforeExit)) {
        ADD_FAILURE() << "no prompt after unblocking; stdout:\n" << p.stdout_seen() << "\nstderr:\n" << p.stderr_text();
        return counts;
    }
    counts.after = p.zombie_children();
    EXPECT_THAT(p.stdout_seen(), HasSubstr("zombies left: " + std::to_string(counts.after) + " "));
    p.write_stdin("\n");
    p.read_rest();  // to EOF
    auto st = p.wait();
    EXPECT_EQ(st.describe(), "exit 0") << p.stderr_text();
    EXPECT_THAT(p.stdout_seen(), HasSubstr("no zombie left"));
    return counts;
}

class BlockedSigchld : public ::testing::TestWithParam<std::tuple<std::string, int>> {};

}  // namespace

TEST_P(BlockedSigchld, OnePendingSignalReapsOneChildWithWaitAndAllWithWaitpid)
{
    auto [handler, n] = GetParam();
    Counts counts = run_blocked(n, handler);
    EXPECT_EQ(counts.before, n) << "every child ended and none was reaped while SIGCHLD was blocked";
    int expected = handler == "wait" ? n - 1 : 0;
    EXPECT_EQ(counts.after, expected) << handler << " handler after one SIGCHLD for " << n << " children";
}

INSTANTIATE_TEST_SUITE_P(Zombies, BlockedSigchld,
                         ::testing::Combine(::testing::Values("wait", "waitpid"), ::testing::Values(5, 20)),
                         [](const auto &info) {
                             return std::get<0>(info.param) + "_" + std::to_string(std::get<1>(info.param));
                         });

TEST(Zombies, WithoutAHandlerEveryChildStaysAZombie)
{
    Counts counts = run_blocked(5, "none");
    EXPECT_EQ(counts.before, 5);
    EXPECT_EQ(counts.after, 5);
}

TEST(Zombies, IgnoredSigchldLeavesNoZombieAtAll)
{
    Counts counts = run_blocked(5, "ignore");
    EXPECT_EQ(counts.before, 0);
    EXPECT_EQ(counts.after, 0);
}

TEST(Zombies, BlockedSigchldIsPendingOnceForManyChildren)
{
    auto p = Process::run("zombies", {"-b", "-n", "5", "wait"});
    ASSERT_TRUE(p.wait_for_line(kBeforeUnblock));
    EXPECT_THAT(p.stdout_seen(), HasSubstr("5 children ended, and SIGCHLD is pending: one bit"));
    p.close_stdin();  // EOF goes on like Enter
    p.read_rest();
    EXPECT_EQ(p.wait().describe(), "exit 0");
    // The handler's own report, written with write(2): exactly one child.
    std::string out = p.stdout_seen();
    size_t reports = 0;
    for (size_t at = out.find(" terminated\n"); at != std::string::npos; at = out.find(" terminated\n", at + 1))
        reports++;
    EXPECT_EQ(reports, 1u) << out;
}

TEST(Zombies, WaitpidHandlerReapsEveryChildWithoutBlocking)
{
    // Not blocked: the N signals overlap as they may, but every child has
    // ended before the last SIGCHLD is handled, and that one call's loop
    // reaps whatever is left.
    auto p = Process::run("zombies", {"-n", "20", "waitpid"});
    ASSERT_TRUE(p.wait_for_line(kBeforeExit)) << p.stderr_text();
    EXPECT_EQ(p.zombie_children(), 0);
    EXPECT_TRUE(p.children().empty());
    p.close_stdin();
    EXPECT_EQ(p.wait().describe(), "exit 0");
}
