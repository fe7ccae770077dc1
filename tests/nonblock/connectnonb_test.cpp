// SPDX-License-Identifier: MIT
// connectnonb: connected, refused at once, or given up after its timeout
// against a port that never answers (a listener whose accept queue is
// full: Linux drops the SYN, as a blackhole would).
#include "nonblock_support.hpp"

#include <gmock/gmock.h>

#include <fcntl.h>
#include <poll.h>

using namespace socklab::test;
using namespace std::chrono_literals;

namespace {

struct Outcome {
    ExitStatus status;
    std::string out, err;
    double seconds;
};

Outcome run_connect(int port, const std::string &timeout)
{
    auto t0 = std::chrono::steady_clock::now();
    Process p = Process::run("connectnonb", {"127.0.0.1", std::to_string(port), timeout});
    std::string out = p.read_rest(20s);
    ExitStatus st = p.wait(20s);
    std::chrono::duration<double> d = std::chrono::steady_clock::now() - t0;
    return {st, out, p.stderr_text(), d.count()};
}

}  // namespace

TEST(Connectnonb, ConnectsToAListener)
{
    Listener l;
    ASSERT_NE(l.port, 0);
    Outcome r = run_connect(l.port, "5");
    EXPECT_TRUE(r.status.exited && r.status.code == 0) << r.status.describe() << r.err;
    EXPECT_THAT(r.out, ::testing::HasSubstr("connected to 127.0.0.1, port " + std::to_string(l.port)));
}

TEST(Connectnonb, RefusedAtOnce)
{
    RefusingPort refusing;
    ASSERT_NE(refusing.port(), 0);
    Outcome r = run_connect(refusing.port(), "5");
    EXPECT_TRUE(r.status.exited && r.status.code == 1) << r.status.describe();
    EXPECT_THAT(r.err, ::testing::MatchesRegex("connect error after 0\\.[0-9]+ s: Connection refused\n"));
    EXPECT_LT(r.seconds, 4.0) << "refused, yet it waited (almost) the whole timeout";
}

TEST(Connectnonb, NoAnswerEndsAfterTheTimeout)
{
    Listener l(0);  // backlog 0: one connection fills the accept queue
    ASSERT_NE(l.port, 0);
    unp::Fd filler(socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0));
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = htons(static_cast<uint16_t>(l.port));
    connect(filler.get(), reinterpret_cast<sockaddr *>(&a), sizeof a);
    ASSERT_TRUE(wait_fd(filler.get(), POLLOUT, 5s)) << "the filler never connected";

    Outcome r = run_connect(l.port, "2");
    EXPECT_TRUE(r.status.exited && r.status.code == 1) << r.status.describe() << r.out;
    EXPECT_THAT(r.err, ::testing::MatchesRegex("connect error after 2\\.[0-9]+ s: Connection timed out\n"));
    EXPECT_GE(r.seconds, 1.9);
    EXPECT_LT(r.seconds, 8.0) << "far past its 2 s timeout";
}

TEST(Connectnonb, UsageAndBadTimeout)
{
    for (auto args : {std::vector<std::string>{}, {"127.0.0.1"}, {"127.0.0.1", "80", "0"}, {"127.0.0.1", "80", "x"}}) {
        Process p = Process::run("connectnonb", args);
        ExitStatus st = p.wait();
        EXPECT_TRUE(st.exited && st.code == 1) << st.describe();
        EXPECT_THAT(p.stderr_text(), ::testing::HasSubstr("connectnonb"));
    }
    Process help = Process::run("connectnonb", {"-h"});
    EXPECT_THAT(help.read_rest(), ::testing::HasSubstr("usage: connectnonb"));
    EXPECT_EQ(help.wait().code, 0);
}
