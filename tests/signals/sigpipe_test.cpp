// SPDX-License-Identifier: MIT
// sigpipe: the second write to a connection the peer has reset.  Default
// action: the writer dies of SIGPIPE.  Caught or ignored: write returns
// EPIPE.  MSG_NOSIGNAL: EPIPE, and no signal even at the default action.
#include "process.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

using namespace socklab::test;
using ::testing::HasSubstr;
using ::testing::Not;

namespace {

// What every mode prints before the write that matters.
void expect_first_write_and_rst(const std::string &out)
{
    EXPECT_THAT(out, HasSubstr("peer closed: FIN received"));
    EXPECT_THAT(out, HasSubstr("write 1 returned 6: the peer's TCP answers with RST"));
    EXPECT_THAT(out, HasSubstr("RST received"));
}

}  // namespace

TEST(SigPipe, DefaultActionKillsTheWriter)
{
    auto p = Process::run("sigpipe", {"default"});
    p.read_rest();  // to EOF: the process has ended
    auto st = p.wait();
    EXPECT_EQ(st.describe(), "killed by SIGPIPE");
    expect_first_write_and_rst(p.stdout_seen());
    EXPECT_THAT(p.stdout_seen(), Not(HasSubstr("write 2 returned")));  // it never came back
}

TEST(SigPipe, CaughtSignalThenWriteReturnsEpipe)
{
    auto p = Process::run("sigpipe", {"catch"});
    p.read_rest();
    auto st = p.wait();
    EXPECT_EQ(st.describe(), "exit 1");
    expect_first_write_and_rst(p.stdout_seen());
    // The handler runs first, then write's -1 comes back.
    EXPECT_THAT(p.stdout_seen(), HasSubstr("SIGPIPE caught\nwrite 2 returned -1, errno EPIPE\n"));
    EXPECT_EQ(p.stderr_text(), "write error: Broken pipe\n");
}

TEST(SigPipe, IgnoredSignalThenWriteReturnsEpipe)
{
    auto p = Process::run("sigpipe", {"ignore"});
    p.read_rest();
    EXPECT_EQ(p.wait().describe(), "exit 1");
    expect_first_write_and_rst(p.stdout_seen());
    EXPECT_THAT(p.stdout_seen(), HasSubstr("write 2 returned -1, errno EPIPE\n"));
    EXPECT_EQ(p.stderr_text(), "write error: Broken pipe\n");
}

TEST(SigPipe, MsgNosignalGivesEpipeWithoutASignal)
{
    // SIGPIPE stays at its default action: had the kernel sent it, the
    // process would be killed instead of exiting with status 1.
    auto p = Process::run("sigpipe", {"nosignal"});
    p.read_rest();
    EXPECT_EQ(p.wait().describe(), "exit 1");
    expect_first_write_and_rst(p.stdout_seen());
    EXPECT_THAT(p.stdout_seen(), HasSubstr("send 2 returned -1, errno EPIPE, and no signal was sent\n"));
    EXPECT_THAT(p.stdout_seen(), Not(HasSubstr("SIGPIPE caught")));
    EXPECT_EQ(p.stderr_text(), "send error: Broken pipe\n");
}
