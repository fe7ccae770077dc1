// SPDX-License-Identifier: MIT
// Wrong arguments: a usage line on stderr and exit status 1.
#include "process.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

using namespace socklab::test;
using ::testing::HasSubstr;

namespace {

void expect_usage(const std::string &program, std::vector<std::string> args)
{
    auto p = Process::run(program, std::move(args));
    EXPECT_EQ(p.wait().describe(), "exit 1") << program;
    EXPECT_THAT(p.stderr_text(), HasSubstr("usage: " + program)) << program;
}

}  // namespace

TEST(Usage, EveryProgramPrintsUsageForWrongArguments)
{
    expect_usage("tcpcli07", {});
    expect_usage("tcpcli07", {"127.0.0.1", "9877", "extra"});
    expect_usage("zombies", {});
    expect_usage("zombies", {"reap-them-all"});
    expect_usage("eintr", {"-x"});
    expect_usage("eintr", {"1", "2"});
    expect_usage("sigpipe", {});
    expect_usage("sigpipe", {"loudly"});
}
