// SPDX-License-Identifier: MIT
// The tracker and the viewer on conversations written segment by segment:
// relative numbers (also across the 2^32 wrap), the notes on handshake,
// data, ACK, FIN and RST, and the summary with the handout's table.
#include "frames.hpp"
#include "view.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sstream>

using namespace wire_test;
using ::testing::HasSubstr;
using ::testing::Not;
using C = Conversation;

namespace {

// Everything the viewer prints for a conversation: the lines, then the summary.
struct Shown {
    std::vector<std::string> lines;
    std::string summary;
    std::vector<wire::Connection> connections;
};

Shown show_with(const Conversation &conv, wire::ViewOptions options)
{
    std::ostringstream out;
    wire::Viewer v(out, options);
    for (const auto &f : conv.frames())
        EXPECT_TRUE(v.frame(wire::link_ethernet, f.time_us, f.bytes));
    std::string lines = out.str();
    v.summary();
    Shown s;
    std::istringstream in(lines);
    for (std::string l; std::getline(in, l);)
        s.lines.push_back(l);
    s.summary = out.str().substr(lines.size());
    s.connections.assign(v.tracker().connections().begin(), v.tracker().connections().end());
    return s;
}

Shown show(const Conversation &conv, int server_port = -1)
{
    wire::ViewOptions options;
    options.server_port = server_port;
    return show_with(conv, options);
}


}  // namespace

TEST(View, PrintsTheDaytimeExchangeInTcpdumpStyle)
{
    Shown s = show(daytime());
    ASSERT_EQ(s.lines.size(), 8u);
    EXPECT_EQ(s.lines[0],
              "  1 0.000000 127.0.0.1.52875 > 127.0.0.1.13: Flags [S], seq 0, win 512, options "
              "[mss 65495,sackOK,TS val 1000 ecr 0,nop,wscale 7], length 0  | handshake 1/3: SYN, "
              "the client's connect(); its sequence numbers start here (relative 0)");
    EXPECT_THAT(s.lines[1], HasSubstr("127.0.0.1.13 > 127.0.0.1.52875: Flags [S.], seq 0, ack 1, win 512"));
    EXPECT_THAT(s.lines[1], HasSubstr("| handshake 2/3: SYN+ACK"));
    EXPECT_THAT(s.lines[2], HasSubstr("Flags [.], ack 1, win 512, length 0  | handshake 3/3: connect() returns"));
    EXPECT_THAT(s.lines[2], HasSubstr("listen backlog, where accept() will find it"));
    EXPECT_THAT(s.lines[3], HasSubstr("0.000300 127.0.0.1.13 > 127.0.0.1.52875: Flags [P.], seq 1:27, ack 1, win 512, length 26"));
    EXPECT_THAT(s.lines[3], HasSubstr("| data: 26 bytes written by the server: \"Sat Nov 21 11:04:47 2026\\r\\n\""));
    EXPECT_THAT(s.lines[4], HasSubstr("ack 27, win 512, length 0  | ACK: the client has received the server's bytes 1-26"));
    EXPECT_THAT(s.lines[5], HasSubstr("Flags [F.], seq 27, ack 1"));
    EXPECT_THAT(s.lines[5], HasSubstr("FIN from the server: it closed first"));
    EXPECT_THAT(s.lines[6], HasSubstr("Flags [F.], seq 1, ack 28"));
    EXPECT_THAT(s.lines[6], HasSubstr("FIN from the client: it closes its side too, and acknowledges the server's FIN"));
    EXPECT_THAT(s.lines[7], HasSubstr("Flags [.], ack 2"));
    EXPECT_THAT(s.lines[7], HasSubstr("both directions are closed; the server, which closed first, waits in TIME_WAIT"));

    EXPECT_THAT(s.summary, HasSubstr("connection 1: client 127.0.0.1.52875, server 127.0.0.1.13\n"));
    EXPECT_THAT(s.summary, HasSubstr("opened:        by the client's connect() (SYN, frame 1, at 0.000000)"));
    EXPECT_THAT(s.summary, HasSubstr("closed first:  by the server (FIN, frame 6)"));
    EXPECT_THAT(s.summary, HasSubstr("ended:         orderly: FIN and ACK in both directions"));
    EXPECT_THAT(s.summary, HasSubstr("client > server: 0 bytes in 4 segments"));
    EXPECT_THAT(s.summary, HasSubstr("server > client: 26 bytes in 4 segments"));
    EXPECT_THAT(s.summary, HasSubstr("retransmissions: none"));
    EXPECT_THAT(s.summary, HasSubstr("SYN options:   client mss 65495, wscale 7, sackOK, timestamps; "
                                     "server mss 65495, wscale 7, sackOK, timestamps\n"));
    EXPECT_THAT(s.summary, HasSubstr("windows:       after the SYNs, win counts units of 128 bytes from "
                                     "the client, 128 from the server (wscale)"));
    ASSERT_EQ(s.connections.size(), 1u);
    EXPECT_TRUE(s.connections[0].finished());
}

TEST(View, RelativeNumbersSurviveThe32BitWrapAround)
{
    // Both initial sequence numbers a few bytes below 2^32.
    C c(0xfffffff0u, 0xfffffffeu, 40000, 9877);
    c.syn();
    c.syn_ack();
    c.ack(C::client);
    c.data(C::client, std::string(40, 'a'));  // crosses 2^32 on the client's side
    c.ack(C::server);
    c.data(C::server, std::string(40, 'A'));  // and on the server's
    c.ack(C::client);
    c.data(C::client, "more");
    Shown s = show(c);
    ASSERT_EQ(s.lines.size(), 8u);
    EXPECT_THAT(s.lines[3], HasSubstr("seq 1:41, ack 1,"));
    EXPECT_THAT(s.lines[4], HasSubstr("ack 41,"));
    EXPECT_THAT(s.lines[4], HasSubstr("the client's bytes 1-40"));
    EXPECT_THAT(s.lines[5], HasSubstr("seq 1:41, ack 41,"));
    EXPECT_THAT(s.lines[6], HasSubstr("ack 41,"));
    EXPECT_THAT(s.lines[7], HasSubstr("seq 41:45, ack 41,"));
    for (const auto &l : s.lines)
        EXPECT_THAT(l, Not(HasSubstr("retransmission")));
    EXPECT_THAT(s.summary, HasSubstr("client > server: 44 bytes"));
    EXPECT_THAT(s.summary, HasSubstr("server > client: 40 bytes"));
}

TEST(View, TheHandoutsSeqAckTable)
{
    // The Lottery request/answer of the handout: 4 bytes, then 23.
    C c(1000, 5000, 59538, 1235);
    c.syn();
    c.syn_ack();
    c.ack(C::client);
    c.data(C::client, "0000");
    c.ack(C::server);
    c.data(C::server, "New number generated: 8");
    c.ack(C::client);
    Shown s = show(c);
    EXPECT_THAT(s.summary, HasSubstr("      #  from    flags  length | client seq        ack | server seq        ack\n"));
    // Before the server's SYN+ACK, the server has sent nothing: "-", not 0.
    EXPECT_THAT(s.summary, HasSubstr("      1  client  S          0 |          1          - |          -          -\n"));
    // After segment 4 (data "0"): the client will send byte 5 next.
    EXPECT_THAT(s.summary, HasSubstr("      4  client  P.         4 |          5          1 |          1          1\n"));
    EXPECT_THAT(s.summary, HasSubstr("      5  server  .          0 |          5          1 |          1          5\n"));
    EXPECT_THAT(s.summary, HasSubstr("      6  server  P.        23 |          5          1 |         24          5\n"));
    EXPECT_THAT(s.summary, HasSubstr("      7  client  .          0 |          5         24 |         24          5\n"));
    EXPECT_THAT(s.summary, HasSubstr("ack: the last acknowledgement that side sent, the next byte it expects"));
}

TEST(View, AFinThatKeepsReadingIsShutdown)
{
    C c(100, 200, 40000, 9877);
    c.syn();
    c.syn_ack();
    c.ack(C::client);
    c.data(C::client, "World! Hello, World!");
    c.fin(C::client);              // shutdown(SHUT_WR)
    c.ack(C::server);
    c.data(C::server, "WORLD");    // answers after the client's FIN ...
    c.ack(C::client);              // ... and the client takes them
    c.fin(C::server);
    c.ack(C::client);
    Shown s = show(c);
    EXPECT_THAT(s.lines[4], HasSubstr("FIN from the client: it closed first"));
    EXPECT_THAT(s.lines[6], HasSubstr("after the client's FIN: it reads this only if it used shutdown(SHUT_WR)"));
    EXPECT_THAT(s.lines[7], HasSubstr("that FIN was shutdown(SHUT_WR), not close(), and the client still reads"));
    EXPECT_THAT(s.summary, HasSubstr("closed first:  by the client (FIN, frame 5): shutdown(SHUT_WR): it kept reading after its FIN"));
    EXPECT_THAT(s.summary, HasSubstr("ended:         orderly"));
}

TEST(View, DataAfterCloseIsAnsweredWithRst)
{
    // upperserv: read, answer, close(); the client sends again.
    C c(100, 200, 40000, 9877);
    c.syn();
    c.syn_ack();
    c.ack(C::client);
    c.data(C::client, "hello");
    c.data(C::server, "HELLO");
    c.fin(C::server);
    c.ack(C::client);
    c.data(C::client, "again");
    c.rst(C::server, false);
    Shown s = show(c);
    EXPECT_THAT(s.lines[8], HasSubstr("Flags [R], seq 7, win 512, length 0  | RST from the server: data arrived after the server's close()"));
    EXPECT_THAT(s.summary, HasSubstr("closed first:  by the server (FIN, frame 6): close(): data sent to it afterwards was answered with RST"));
    EXPECT_THAT(s.summary, HasSubstr("ended:         reset by the server: data arrived after the server's close()"));
    EXPECT_TRUE(s.connections[0].finished());
}

TEST(View, UnreadDataAtCloseSendsRstInsteadOfFin)
{
    // floodserv and a client that reads 1 KiB of 13000 bytes, then closes.
    C c(100, 200, 40000, 9877);
    c.syn();
    c.syn_ack();
    c.ack(C::client);
    c.data(C::client, "Hello, World!");
    c.ack(C::server);
    c.data(C::server, std::string(13000, 'H'));
    c.ack(C::client);
    c.rst(C::client);
    Shown s = show(c);
    EXPECT_THAT(s.lines[7], HasSubstr("Flags [R.], seq 14, ack 13001"));
    EXPECT_THAT(s.lines[7], HasSubstr("RST from the client: the client called close() with unread data in its receive buffer"));
    EXPECT_THAT(s.summary, HasSubstr("closed first:  nobody sent FIN"));
    EXPECT_THAT(s.summary, HasSubstr("reset by the client"));
}

TEST(View, RstWithNothingUnreadIsAnAbortiveClose)
{
    C c(100, 200, 40000, 9877);
    c.syn();
    c.syn_ack();
    c.ack(C::client);
    c.data(C::server, "welcome\n");
    c.ack(C::client);
    c.data(C::client, "bye\n");
    c.rst(C::client);  // SO_LINGER {1, 0}: the client read everything, then reset
    Shown s = show(c);
    EXPECT_THAT(s.lines.back(), HasSubstr("abortive close by the client: SO_LINGER {1, 0}"));
}

TEST(View, RstAnsweringASynMeansNothingListens)
{
    C c(100, 0, 40000, 9877);
    c.syn();
    c.rst_answering_syn();
    Shown s = show(c);
    EXPECT_THAT(s.lines[1], HasSubstr("Flags [R.], seq 0, ack 1"));
    EXPECT_THAT(s.lines[1], HasSubstr("nothing listens on 127.0.0.1.9877: the client's connect() fails with ECONNREFUSED"));
    EXPECT_THAT(s.summary, HasSubstr("(SYN, frame 1, at 0.000000), refused"));
    EXPECT_THAT(s.summary, HasSubstr("server (no SYN captured)"));
    EXPECT_THAT(s.summary, HasSubstr("windows:       scale unknown"));
}

TEST(View, CountsRetransmissions)
{
    C c(100, 200, 40000, 9877);
    c.syn();
    c.resend_last();  // the SYN again
    c.syn_ack();
    c.ack(C::client);
    c.data(C::client, "hello");
    c.resend_last();
    c.ack(C::server);
    Shown s = show(c);
    EXPECT_THAT(s.lines[1], HasSubstr("SYN sent again: no answer yet"));
    EXPECT_THAT(s.lines[5], HasSubstr("data: 5 bytes written by the client, sent again (retransmission)"));
    EXPECT_THAT(s.summary, HasSubstr("retransmissions: 2 by the client, 0 by the server"));
    EXPECT_THAT(s.summary, HasSubstr("client > server: 5 bytes in 5 segments"));
}

TEST(View, WindowZeroAndWindowUpdate)
{
    C c(100, 200, 40000, 9877);
    c.syn();
    c.syn_ack();
    c.ack(C::client);
    c.data(C::server, std::string(1000, 'x'));
    c.window(C::client, 0);
    c.ack(C::client);
    c.window(C::client, 512);
    c.ack(C::client);
    Shown s = show(c);
    EXPECT_THAT(s.lines[4], HasSubstr("window 0: the client's receive buffer is full"));
    EXPECT_THAT(s.lines[5], HasSubstr("window update: the client's application read from its buffer"));
}

TEST(View, WithoutTheHandshakeRolesComeFromThePorts)
{
    C c(100, 200, 40000, 9877);
    c.data(C::server, "late");  // the capture starts mid-connection
    c.ack(C::client);
    Shown s = show(c);
    EXPECT_THAT(s.lines[0], HasSubstr("seq 1:5, ack 1,"));
    EXPECT_THAT(s.summary, HasSubstr("client 127.0.0.1.40000, server 127.0.0.1.9877 (no SYN captured: roles guessed from the ports)"));
    EXPECT_THAT(s.summary, HasSubstr("opened:        before the capture started"));
    EXPECT_THAT(s.summary, HasSubstr("still open when the capture ended"));

    // tcpview --run knows the server's port, even when it is the higher one.
    C d(100, 200, 8000, 50000);
    d.data(C::client, "hi");
    Shown t = show(d, 50000);
    EXPECT_THAT(t.summary, HasSubstr("client 127.0.0.1.8000, server 127.0.0.1.50000\n"));
}

TEST(View, APortUsedAgainIsANewConnection)
{
    C first = daytime(1000, 2000);
    C second = daytime(90000, 70000);
    for (const auto &f : second.frames())
        first.frames().push_back({f.time_us + 1000000, f.bytes});
    Shown s = show(first);
    ASSERT_EQ(s.connections.size(), 2u);
    EXPECT_THAT(s.lines[8], HasSubstr("seq 0, win 512"));  // relative to the new SYN
    EXPECT_THAT(s.summary, HasSubstr("connection 2: client 127.0.0.1.52875, server 127.0.0.1.13"));
}

TEST(View, AbsoluteTimeOfDay)
{
    C c = daytime();
    std::ostringstream out;
    wire::ViewOptions options;
    options.absolute_time = true;
    wire::Viewer v(out, options);
    v.frame(wire::link_ethernet, c.frames()[0].time_us, c.frames()[0].bytes);
    EXPECT_THAT(out.str(), ::testing::MatchesRegex("  1 [0-9][0-9]:[0-9][0-9]:[0-9][0-9]\\.000100 127.*\n"));
}

TEST(View, HexDumpAsTcpdumpXShowsIt)
{
    wire::Segment s;
    std::string text = "Sat Nov 21 11:14:34 2026\r\n";
    s.payload.assign(text.begin(), text.end());
    s.length = static_cast<uint32_t>(text.size());
    EXPECT_EQ(wire::hex_dump(s),
              "\t0x0000:  5361 7420 4e6f 7620 3231 2031 313a 3134  Sat Nov 21 11:14\n"
              "\t0x0010:  3a33 3420 3230 3236 0d0a                 :34 2026..\n");
    s.payload.clear();
    EXPECT_EQ(wire::hex_dump(s), "");

    // tcpview -X: the dump follows its segment's line.
    C c = daytime();
    std::ostringstream out;
    wire::ViewOptions options;
    options.hex = true;
    wire::Viewer v(out, options);
    for (const auto &f : c.frames())
        v.frame(wire::link_ethernet, f.time_us, f.bytes);
    EXPECT_THAT(out.str(), HasSubstr("length 26  | data: 26 bytes written by the server: \"Sat Nov 21 11:04:47 2026\\r\\n\"\n"
                                     "\t0x0000:  5361 7420 4e6f 7620 3231 2031 313a 3034  Sat Nov 21 11:04\n"));
}

TEST(View, IPv6ConversationsReadTheSame)
{
    C c(100, 200, 40000, 13);
    c.addresses("::1", "::1");
    c.syn();
    c.syn_ack();
    c.ack(C::client);
    c.data(C::server, "time\r\n");
    Shown s = show(c);
    ASSERT_EQ(s.lines.size(), 4u);
    EXPECT_THAT(s.lines[0], HasSubstr(" ::1.40000 > ::1.13: Flags [S], seq 0,"));
    EXPECT_THAT(s.lines[3], HasSubstr("seq 1:7, ack 1,"));
    EXPECT_THAT(s.summary, HasSubstr("connection 1: client ::1.40000, server ::1.13\n"));
}

TEST(View, AWindowScaleAbove14IsTakenAs14)
{
    // RFC 7323 caps the shift at 14; a mutated or hostile SYN may say 32 or
    // more, where 1 << shift is undefined in C++.
    C c(100, 200, 40000, 13);
    c.syn(32);
    c.syn_ack(255);
    c.ack(C::client);
    Shown s = show(c);
    EXPECT_THAT(s.lines[0], HasSubstr("wscale 32]"));  // the option as sent
    EXPECT_THAT(s.lines[0], HasSubstr("wscale 32 is more than RFC 7323's maximum of 14: taken as 14"));
    EXPECT_THAT(s.lines[1], HasSubstr("wscale 255 is more than RFC 7323's maximum of 14: taken as 14"));
    EXPECT_THAT(s.summary, HasSubstr("units of 16384 bytes from the client, 16384 from the server"));
}


TEST(View, ASimultaneousCloseHasNoFirstCloser)
{
    C c(100, 200, 40000, 9877);
    c.syn();
    c.syn_ack();
    c.ack(C::client);
    c.fins_cross();     // each FIN's ack leaves out the other FIN
    c.ack(C::client);
    c.ack(C::server);
    Shown s = show(c);
    EXPECT_THAT(s.lines[3], HasSubstr("Flags [F.], seq 1, ack 1,"));
    EXPECT_THAT(s.lines[4], HasSubstr("Flags [F.], seq 1, ack 1,"));
    EXPECT_THAT(s.lines[4], HasSubstr("FIN from the server before the client's FIN arrived (its ack 1 "
                                      "does not cover that FIN, 1): a simultaneous close, neither closed first"));
    EXPECT_THAT(s.lines[5], HasSubstr("after a simultaneous close both sides wait in TIME_WAIT"));
    EXPECT_THAT(s.summary, HasSubstr("closed first:  neither: a simultaneous close (FINs in frames 4 and 5;"));
    EXPECT_THAT(s.summary, Not(HasSubstr("by the client (FIN")));
    EXPECT_THAT(s.summary, HasSubstr("ended:         orderly"));
    EXPECT_EQ(s.connections[0].close, wire::CloseKind::simultaneous);
}

TEST(View, TheTableHasEveryRowOnRequest)
{
    C c(100, 200, 40000, 9877);
    c.syn();
    c.syn_ack();
    c.ack(C::client);
    for (int i = 0; i < 57; ++i) {
        if (i % 2 == 0)
            c.data(C::client, "line " + std::to_string(i) + "\n");
        else
            c.ack(C::server);
    }
    Shown handout = show(c);
    EXPECT_THAT(handout.summary, HasSubstr("     30  client"));
    EXPECT_THAT(handout.summary, Not(HasSubstr("     31  ")));
    EXPECT_THAT(handout.summary, HasSubstr("    ... 30 more rows (tcpview --rows all prints every row)\n"));
    wire::ViewOptions all;
    all.table_rows = 0;
    Shown full = show_with(c, all);
    EXPECT_THAT(full.summary, HasSubstr("     60  client  P.         8 |        228          1 |          1        220\n"));
    EXPECT_THAT(full.summary, Not(HasSubstr("more rows")));
}

TEST(View, AWindowUpdateBeforeAnyDataIsNotARead)
{
    C c(100, 200, 40000, 9877);
    c.syn();
    c.syn_ack();
    c.ack(C::client);
    c.window(C::server, 700);
    c.ack(C::server);  // the server's kernel grows its window: nothing was read
    Shown s = show(c);
    EXPECT_THAT(s.lines[3], HasSubstr("window update: the server's kernel offers a new window (no data was read"));
    EXPECT_THAT(s.lines[3], Not(HasSubstr("application read")));
}

TEST(View, AbsoluteSequenceNumbersAsTcpdumpS)
{
    wire::ViewOptions options;
    options.absolute_seq = true;
    Shown s = show_with(daytime(), options);
    EXPECT_THAT(s.lines[0], HasSubstr("Flags [S], seq 3150304300, win 512"));
    EXPECT_THAT(s.lines[1], HasSubstr("Flags [S.], seq 3968470670, ack 3150304301,"));
    EXPECT_THAT(s.lines[3], HasSubstr("Flags [P.], seq 3968470671:3968470697, ack 3150304301,"));
    EXPECT_THAT(s.summary, HasSubstr("seq/ack after each segment (absolute;"));
    EXPECT_THAT(s.summary, HasSubstr("      4  server  P.        26 | 3150304301 3968470671 | 3968470697 3150304301\n"));
}

TEST(View, CompactLayoutFitsAnEightyColumnTerminal)
{
    wire::ViewOptions options;
    options.width = 80;
    Shown s = show_with(daytime(), options);
    ASSERT_GT(s.lines.size(), 8u);
    for (const auto &l : s.lines)
        EXPECT_LE(l.size(), 80u) << l;
    EXPECT_THAT(s.lines[0], ::testing::StartsWith("  1 0.000000 127.0.0.1.52875 > 127.0.0.1.13 [S] seq 0 win 512 len 0"));
    EXPECT_THAT(s.lines[1], ::testing::StartsWith("      handshake 1/3: SYN, the client's connect();"));
}

TEST(View, UdpDatagramsAndThePortUnreachableThatAnswersThem)
{
    // A TFTP-like block to a port where nothing listens, and the kernel's answer.
    std::string block("\x00\x03\x00\x01hello", 9);
    auto udp = udp_packet("127.0.0.1", "127.0.0.1", 40001, 9, block);
    std::ostringstream out;
    wire::Viewer v(out, {});
    EXPECT_TRUE(v.frame(wire::link_ethernet, 1000, link_frame(wire::link_ethernet, udp)));
    EXPECT_TRUE(v.frame(wire::link_ethernet, 1100, link_frame(wire::link_ethernet, icmp_port_unreachable(udp))));
    v.summary();
    std::string text = out.str();
    EXPECT_THAT(text, HasSubstr("  1 0.000000 127.0.0.1.40001 > 127.0.0.1.9: UDP, length 9  | datagram: 9 bytes "
                                "sent by 127.0.0.1.40001 (sendto() or write()): \"....hello\" (bytes 00 03 00 01)\n"));
    EXPECT_THAT(text, HasSubstr("  2 0.000100 127.0.0.1 > 127.0.0.1: ICMP 127.0.0.1 udp port 9 port unreachable  | "
                                "port unreachable: nothing is bound to 127.0.0.1 UDP port 9"));
    EXPECT_THAT(text, HasSubstr("a connected UDP socket gets ECONNREFUSED"));
    EXPECT_THAT(text, HasSubstr("UDP: 1 datagram; ICMP: 1 message (1 port unreachable)\n"));
    EXPECT_THAT(text, Not(HasSubstr("skipped")));
}

namespace {

// follow_text undone: \\ and \xNN back to bytes.
std::string unescape(const std::string &text)
{
    std::string out;
    for (size_t i = 0; i < text.size(); ++i) {
        if (text[i] != '\\') {
            out += text[i];
        } else if (text[i + 1] == '\\') {
            out += '\\';
            ++i;
        } else {
            out += static_cast<char>(std::stoi(text.substr(i + 2, 2), nullptr, 16));
            i += 3;
        }
    }
    return out;
}

}  // namespace

TEST(View, FollowGivesBackExactlyTheBytesEachSideSent)
{
    // An echo session, a retransmission in the middle, binary bytes too.
    const std::string one = "hello\n", two = std::string("bin\x01\x02\\\xff\n", 8);
    C c(100, 200, 40000, 9877);
    c.syn();
    c.syn_ack();
    c.ack(C::client);
    c.data(C::client, one);
    c.resend_last();
    c.data(C::server, one);
    c.data(C::client, two);
    c.data(C::server, two);
    c.fin(C::client);
    c.fin(C::server);
    c.ack(C::client);
    wire::ViewOptions options;
    options.follow = true;
    Shown s = show_with(c, options);
    const std::string head_c = "connection 1, client > server (127.0.0.1.40000 > 127.0.0.1.9877), 14 bytes:\n";
    const std::string head_s = "connection 1, server > client (127.0.0.1.9877 > 127.0.0.1.40000), 14 bytes:\n";
    size_t at_c = s.summary.find(head_c), at_s = s.summary.find(head_s);
    ASSERT_NE(at_c, std::string::npos) << s.summary;
    ASSERT_NE(at_s, std::string::npos) << s.summary;
    std::string client_text = s.summary.substr(at_c + head_c.size(), at_s - at_c - head_c.size() - 1);
    std::string server_text = s.summary.substr(at_s + head_s.size());
    server_text.pop_back();  // the blank line after it
    EXPECT_EQ(client_text, "hello\nbin\\x01\\x02\\\\\\xff\n");
    EXPECT_EQ(unescape(client_text), one + two);
    EXPECT_EQ(unescape(server_text), one + two);
}

TEST(View, HttpRequestAndStatusLinesInTheNotes)
{
    C c(100, 200, 40000, 8080);
    c.syn();
    c.syn_ack();
    c.ack(C::client);
    c.data(C::client, "GET /index.html HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    c.data(C::server, "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello");
    c.data(C::client, "hello again");  // not HTTP: no such note
    Shown s = show(c);
    EXPECT_THAT(s.lines[3], HasSubstr("| HTTP request: GET /index.html HTTP/1.1; data: 45 bytes written by the client"));
    EXPECT_THAT(s.lines[4], HasSubstr("| HTTP response: HTTP/1.1 200 OK; data: "));
    EXPECT_THAT(s.lines[5], Not(HasSubstr("HTTP")));
}
