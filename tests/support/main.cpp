// SPDX-License-Identifier: MIT
// main() for every test: as gtest_main, plus two things end-to-end tests need.
#include <gtest/gtest.h>

#include <csignal>

int main(int argc, char **argv)
{
    // A program under test that dies or resets its connection must show up
    // as EPIPE on our write, not kill the test with SIGPIPE.
    std::signal(SIGPIPE, SIG_IGN);
    // Death tests re-execute the test binary: safe with threads around.
    GTEST_FLAG_SET(death_test_style, "threadsafe");
    testing::InitGoogleTest(&argc, argv);
    return RUN_ALL_TESTS();
}
