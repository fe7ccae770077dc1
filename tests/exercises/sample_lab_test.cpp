// SPDX-License-Identifier: MIT
// SampleLab: the checks of the exercises' sample lab (sample/), written the
// way the labs write theirs, so the grader's tests exercise the same path a
// lab's <Exercise>Lab suite takes: programs by program_path(), port 0,
// strings compared with EXPECT_EQ so a failure says what came back.
#include "process.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

using namespace socklab::test;

namespace {

Process start_server() { return Process::run("exsample_server", {"0"}); }

}  // namespace

TEST(SampleLab, ServerPrintsThePortItListensOn)
{
    auto server = start_server();
    EXPECT_GT(server.wait_for_port(), 0);
}

TEST(SampleLab, ServerEchoesBytesExactly)
{
    auto server = start_server();
    int port = server.wait_for_port();
    ASSERT_GT(port, 0);
    Client c(port);
    ASSERT_TRUE(c.connected());
    std::string bytes("hello\0world\n", 12);
    ASSERT_TRUE(c.send(bytes));
    EXPECT_EQ(c.recv_exact(bytes.size()), bytes);
}

TEST(SampleLab, ClientPrintsEachEchoedLine)
{
    auto server = start_server();
    int port = server.wait_for_port();
    ASSERT_GT(port, 0);
    auto client = Process::run("exsample_client", {"127.0.0.1", std::to_string(port)});
    client.write_stdin("first line\n");
    EXPECT_EQ(client.read_line(), "first line");
    client.write_stdin("second\n");
    EXPECT_EQ(client.read_line(), "second");
    client.close_stdin();
    EXPECT_EQ(client.wait().describe(), "exit 0");
}

TEST(SampleLab, SecondServerOnTheSamePortFailsWithBindError)
{
    auto first = start_server();
    int port = first.wait_for_port();
    ASSERT_GT(port, 0);
    auto second = Process::run("exsample_server", {std::to_string(port)});
    EXPECT_EQ(second.wait().describe(), "exit 1");
    EXPECT_THAT(second.stderr_text(), testing::HasSubstr("bind error: Address already in use"));
}

TEST(SampleLab, ServerKeepsServingAfterAClientVanishes)
{
    auto server = start_server();
    int port = server.wait_for_port();
    ASSERT_GT(port, 0);
    {
        Client rude(port);
        ASSERT_TRUE(rude.connected());
        rude.send("half a line");
        rude.reset();
    }
    Client next(port);
    ASSERT_TRUE(next.connected());
    next.send("still there?\n");
    EXPECT_EQ(next.recv_line(), "still there?");
    EXPECT_TRUE(server.running());
}

TEST(SampleLab, ClientWithoutArgumentsPrintsUsage)
{
    auto client = Process::run("exsample_client");
    EXPECT_EQ(client.wait().describe(), "exit 1");
    EXPECT_THAT(client.stderr_text(), testing::HasSubstr("usage: exsample_client <IPaddress> [port]"));
}
