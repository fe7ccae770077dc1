// SPDX-License-Identifier: MIT
// Where a line reader's buffer ends and the client's data ends: every
// line-based server of the kit, fed a last line without its newline whose
// length sits on either side of readline's limit (MAXLINE - 1 = 4095 bytes)
// and of its multiples, followed by the client's FIN.
//
// readline hands a line longer than its buffer back in pieces of exactly
// 4095 bytes; when such a piece is the end of the data, the next call
// returns 0.  A server that waits for the rest of a long line must still
// answer it at EOF: tcpserv08 once forgot, and 4095 or 8190 bytes then got
// no answer at all.  The echo servers must give back every byte.
#include "helpers.hpp"

#include <gmock/gmock.h>

using namespace socklab::test;

namespace {

// Lengths around each multiple of the readline piece (4095) and of the
// kit's buffers (4096, 8192).
const size_t kLengths[] = {1, 4094, 4095, 4096, 8190, 8191, 8192, 12285, 12286};

// What the server sent back to `data` and a half-close, up to its own close.
struct Reply {
    std::string bytes;
    bool closed = false;
};

Reply send_last_line(int port, const std::string &data)
{
    Client c(port);
    EXPECT_TRUE(c.connected()) << strerror(c.errno_value());
    EXPECT_TRUE(c.send(data));
    c.shutdown_write();  // EOF right after the last, unterminated line
    Reply r;
    r.bytes = c.recv_all();
    r.closed = c.closed_by_peer(0ms);
    return r;
}

// A last line of n bytes without '\n': 'x' bytes, or `text` padded with
// blanks to n bytes.
std::string unterminated(size_t n, const std::string &text = "")
{
    std::string s = text;
    s.resize(n, text.empty() ? 'x' : ' ');
    return s;
}

}  // namespace

class EchoServerAtLineLimit : public ::testing::TestWithParam<std::string> {};

TEST_P(EchoServerAtLineLimit, EchoesAnUnterminatedLastLineWhole)
{
    for (size_t n : kLengths) {
        // A server each time: tcpserv02 dies at its first SIGCHLD (the
        // book's interrupted accept), after echoing, as its lesson says.
        Server s = start_server(GetParam());
        ASSERT_NE(s.port, 0);
        std::string data = "first line\n" + unterminated(n);
        Reply r = send_last_line(s.port, data);
        EXPECT_TRUE(r.bytes == data) << GetParam() << ", last line of " << n
                                     << " bytes: " << first_difference(r.bytes, data);
        EXPECT_TRUE(r.closed) << GetParam() << " did not close after " << n << " bytes";
    }
}

INSTANTIATE_TEST_SUITE_P(EveryEchoServer, EchoServerAtLineLimit,
                         ::testing::Values("tcpserv00", "tcpserv01", "tcpserv02", "tcpserv03", "tcpserv04",
                                           "tcpservselect01", "tcpservpoll01", "eintr"));

TEST(SumServerAtLineLimit, AnswersAnUnterminatedLastLineOfEveryLength)
{
    Server s = start_server("tcpserv08");
    ASSERT_NE(s.port, 0);
    for (size_t n : kLengths) {
        Reply r = send_last_line(s.port, "2 5\n" + unterminated(n));
        EXPECT_EQ(r.bytes, "7\ninput error\n") << "last line of " << n << " 'x' bytes";
        EXPECT_TRUE(r.closed) << n << " bytes";
    }
}

TEST(SumServerAtLineLimit, LongestLineThatFitsIsSummed)
{
    // 4094 bytes and its newline fill readline's 4096-byte buffer: summed.
    // One byte more, terminated or not, is a line too long: one error.
    Server s = start_server("tcpserv08");
    ASSERT_NE(s.port, 0);
    EXPECT_EQ(send_last_line(s.port, unterminated(4094, "2 5") + "\n").bytes, "7\n");
    EXPECT_EQ(send_last_line(s.port, unterminated(4094, "2 5")).bytes, "7\n");
    EXPECT_EQ(send_last_line(s.port, unterminated(4095, "2 5") + "\n").bytes, "input error\n");
    EXPECT_EQ(send_last_line(s.port, unterminated(4095, "2 5")).bytes, "input error\n");
    EXPECT_EQ(send_last_line(s.port, unterminated(8190, "2 5") + "\n1 1\n").bytes, "input error\n2\n");
    EXPECT_TRUE(eventually([&] { return s.proc.zombie_children() == 0; }));
}
