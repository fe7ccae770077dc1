// SPDX-License-Identifier: MIT
// The sum servers: tcpserv08/tcpcli08 (text) and tcpserv09/tcpcli09
// (binary, fixed-width integers in network byte order).
#include "helpers.hpp"

#include <gmock/gmock.h>

using namespace socklab::test;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

namespace {

// Each line of `input` through the client, and the lines it printed.
std::vector<std::string> run_client(const std::string &client, int port, const std::string &input)
{
    Process p = Process::run(client, {"127.0.0.1", std::to_string(port)});
    std::string out = pipe_through(p, input);
    EXPECT_EQ(p.wait().describe(), "exit 0") << client << ": " << p.stderr_text();
    std::vector<std::string> lines;
    std::istringstream in(out);
    for (std::string line; std::getline(in, line);)
        lines.push_back(line);
    return lines;
}

std::string hex(const std::string &bytes)
{
    std::string s;
    char two[4];
    for (unsigned char c : bytes) {
        snprintf(two, sizeof two, "%s%02x", s.empty() ? "" : " ", c);
        s += two;
    }
    return s;
}

}  // namespace

TEST(Sum, TextServerAnswersEachLine)
{
    Server s = start_server("tcpserv08");
    ASSERT_NE(s.port, 0);
    EXPECT_THAT(run_client("tcpcli08", s.port,
                           "2 5\n-3 3\na b\n 11   123 \n4\n1 2 3\n2 5x\n"
                           "9223372036854775807 0\n9223372036854775807 1\n"),
                ElementsAre("7", "0", "input error", "134", "input error", "input error",
                            "input error", "9223372036854775807", "input error"));
}

TEST(Sum, TextServerSurvivesLongLinesAndBinaryGarbage)
{
    Server s = start_server("tcpserv08");
    ASSERT_NE(s.port, 0);
    Client c(s.port);
    ASSERT_TRUE(c.connected());

    std::string garbage = test_bytes(64 * 1024);
    std::replace(garbage.begin(), garbage.end() - 1, '\n', '#');  // one 64 KiB line
    ASSERT_TRUE(c.send(garbage));
    EXPECT_EQ(c.recv_line(), "input error") << "one answer for the whole line";

    ASSERT_TRUE(c.send(std::string("2 5\0 junk\n", 10)));  // a NUL inside the line
    EXPECT_EQ(c.recv_line(), "input error");
    ASSERT_TRUE(c.send(std::string(64 * 1024, '1') + " 1\n"));  // digits, far too many
    EXPECT_EQ(c.recv_line(), "input error");

    ASSERT_TRUE(c.send("2 5\n"));  // the same child, still serving
    EXPECT_EQ(c.recv_line(), "7");
    EXPECT_EQ(s.proc.children().size(), 1u);
}

TEST(Sum, TextClientSendsALongLineWhole)
{
    Server s = start_server("tcpserv08");
    ASSERT_NE(s.port, 0);
    EXPECT_THAT(run_client("tcpcli08", s.port, std::string(64 * 1024, 'z') + "\n2 5\n"),
                ElementsAre("input error", "7"));
}

TEST(Sum, BinarySumIsRightForNegativeAndLargeValues)
{
    Server s = start_server("tcpserv09");
    ASSERT_NE(s.port, 0);
    EXPECT_THAT(run_client("tcpcli09", s.port,
                           "2 5\n-3 3\na b\n2147483647 2147483647\n-2147483648 -2147483648\n"
                           "2147483648 0\n-100000 -23\n"),
                ElementsAre("7", "0", "input error", "4294967294", "-4294967296", "input error",
                            "-100023"));
}

TEST(Sum, BinaryServerSpeaksNetworkByteOrder)
{
    Server s = start_server("tcpserv09");
    ASSERT_NE(s.port, 0);
    Client c(s.port);
    ASSERT_TRUE(c.send_u32(0x01020304) && c.send_u32(0x01000000));
    EXPECT_EQ(hex(c.recv_exact(8)), "00 00 00 00 02 02 03 04");
    ASSERT_TRUE(c.send_u32(static_cast<uint32_t>(-3)) && c.send_u32(1));
    EXPECT_EQ(hex(c.recv_exact(8)), "ff ff ff ff ff ff ff fe");
}

TEST(Sum, BinaryServerWaitsForAWholeRequest)
{
    Server s = start_server("tcpserv09");
    ASSERT_NE(s.port, 0);
    Client c(s.port);
    ASSERT_TRUE(c.send(std::string("\0\0\0", 3)));  // 3 of the 8 bytes
    EXPECT_EQ(c.recv_exact(8, 100ms), "") << "no answer to part of a request";
    ASSERT_TRUE(c.send(std::string("\x02\0\0\0\x05", 5)));
    EXPECT_EQ(hex(c.recv_exact(8)), "00 00 00 00 00 00 00 07");
}

TEST(Sum, SumbytesShowsWhyARawStructBreaks)
{
    Process p = Process::run("sumbytes", {"1", "2"});
    EXPECT_EQ(p.wait().describe(), "exit 0");
    std::string out = p.read_rest();
    EXPECT_THAT(out, HasSubstr("from x86-64 (little-endian, 8-byte long): "
                               "01 00 00 00 00 00 00 00 02 00 00 00 00 00 00 00 (16 bytes)"));
    EXPECT_THAT(out, HasSubstr("from SPARC (big-endian, 4-byte long):     00 00 00 01 00 00 00 02 (8 bytes)"));
    EXPECT_THAT(out, HasSubstr("on every host:            00 00 00 01 00 00 00 02 (8 bytes)"));
}
