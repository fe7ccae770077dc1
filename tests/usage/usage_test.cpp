// SPDX-License-Identifier: MIT
// The usage line of every program the build makes, table-driven: the table
// is the list socklab_program() collects (tests/usage/CMakeLists.txt), so a
// new program is checked without anyone adding it here.
//   --help, -h       the usage line on stdout, exit 0, nothing on stderr
//   wrong arguments  the usage line on stderr, a non-zero exit
#include "process.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

extern const char *const socklab_programs;  // "name=path|..." (socklab_test)

namespace socklab::test {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;

std::vector<std::string> program_names()
{
    std::vector<std::string> names;
    std::string_view all = socklab_programs;
    while (!all.empty()) {
        size_t bar = all.find('|');
        std::string_view entry = all.substr(0, bar);
        names.emplace_back(entry.substr(0, entry.find('=')));
        all.remove_prefix(bar == std::string_view::npos ? all.size() : bar + 1);
    }
    return names;
}

// Arguments no program accepts: more words than any takes.  Where extra
// words are accepted (a capture filter, a command to run), an unknown option.
std::vector<std::string> wrong_arguments(const std::string &name)
{
    static const std::map<std::string, std::vector<std::string>> special = {
        {"tcpview", {"-Q"}},
    };
    auto it = special.find(name);
    if (it != special.end())
        return it->second;
    return {"x1", "x2", "x3", "x4", "x5", "x6", "x7", "x8", "x9"};
}

class Usage : public ::testing::TestWithParam<std::string> {};

TEST_P(Usage, HelpAndDashHPrintTheUsageOnStdoutAndExitZero)
{
    for (const char *flag : {"--help", "-h"}) {
        SCOPED_TRACE(flag);
        Process p = Process::run(GetParam(), {flag});
        ExitStatus st = p.wait(5s);
        EXPECT_TRUE(st.exited && st.code == 0) << st.describe();
        EXPECT_THAT(p.read_rest(1s), HasSubstr("usage: " + GetParam()));
        EXPECT_THAT(p.stderr_text(), IsEmpty());
    }
}

TEST_P(Usage, WrongArgumentsPrintTheUsageOnStderrAndFail)
{
    Process p = Process::run(GetParam(), wrong_arguments(GetParam()));
    ExitStatus st = p.wait(5s);
    EXPECT_TRUE(st.exited && st.code != 0) << st.describe();
    EXPECT_THAT(p.stderr_text(), HasSubstr("usage: " + GetParam()));
    EXPECT_THAT(p.read_rest(1s), IsEmpty());
}

INSTANTIATE_TEST_SUITE_P(AllPrograms, Usage, ::testing::ValuesIn(program_names()),
                         [](const auto &info) { return info.param; });

}  // namespace
}  // namespace socklab::test
