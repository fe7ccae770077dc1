// SPDX-License-Identifier: MIT
// tcpview, the program, on capture files the tests write: what a student
// sees with -r, the filter, the errors, and the one-line message without
// the privilege to capture (also checked where the tests run as root).
#include "frames.hpp"
#include "process.hpp"
#include "segment.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>

using namespace socklab::test;
using namespace wire_test;
using ::testing::HasSubstr;
using ::testing::Not;
using C = Conversation;

namespace {

std::vector<std::string> segment_lines(const std::string &out)
{
    std::vector<std::string> lines;
    std::istringstream in(out);
    for (std::string l; std::getline(in, l);)
        if (l.find(": Flags [") != std::string::npos)
            lines.push_back(l);
    return lines;
}

}  // namespace

TEST(Tcpview, ReadsASavedCaptureWithoutPrivilege)
{
    TempDir dir;
    daytime().write(dir.file("daytime.pcap"));
    auto p = Process::run("tcpview", {"-r", dir.file("daytime.pcap")});
    std::string out = p.read_rest();
    EXPECT_EQ(p.wait().describe(), "exit 0") << p.stderr_text();
    auto lines = segment_lines(out);
    ASSERT_EQ(lines.size(), 8u) << out;
    EXPECT_THAT(lines[0], ::testing::StartsWith(
        "  1 0.000000 127.0.0.1.52875 > 127.0.0.1.13: Flags [S], seq 0, win 512, options [mss 65495,"
        "sackOK,TS val 1000 ecr 0,nop,wscale 7], length 0  | handshake 1/3"));
    EXPECT_THAT(lines[3], HasSubstr("Flags [P.], seq 1:27, ack 1, win 512, length 26  | data: 26 bytes"));
    EXPECT_THAT(out, HasSubstr("closed first:  by the server (FIN, frame 6)"));
    EXPECT_THAT(out, HasSubstr("server > client: 26 bytes in 4 segments"));
}

TEST(Tcpview, FilterExpressionSelectsAConnection)
{
    TempDir dir;
    C a = daytime(3150304300u, 3968470670u, 13), b = daytime(3150304300u, 3968470670u, 9877);
    for (const auto &f : b.frames())
        a.frames().push_back(f);
    a.write(dir.file("two.pcap"));
    auto p = Process::run("tcpview", {"-r", dir.file("two.pcap"), "port", "9877"});
    std::string out = p.read_rest();
    EXPECT_EQ(p.wait().describe(), "exit 0");
    auto lines = segment_lines(out);
    EXPECT_EQ(lines.size(), 8u) << out;
    for (const auto &l : lines)
        EXPECT_THAT(l, Not(HasSubstr(".13:"))) << out;
    EXPECT_THAT(out, Not(HasSubstr("connection 2")));

    auto q = Process::run("tcpview", {"-c", "3", "-r", dir.file("two.pcap")});
    EXPECT_EQ(segment_lines(q.read_rest()).size(), 3u);
    EXPECT_EQ(q.wait().describe(), "exit 0");
}

TEST(Tcpview, ReadsCookedAndRawCaptures)
{
    TempDir dir;
    for (int link : {wire::link_linux_sll, wire::link_linux_sll2, wire::link_raw}) {
        SCOPED_TRACE(link);
        C c = daytime();
        std::vector<Frame> frames;
        for (const auto &spec : c.specs())
            frames.push_back({1700000000000000, frame(link, spec)});
        write_pcap(dir.file("cooked.pcap"), link, frames);
        auto p = Process::run("tcpview", {"-r", dir.file("cooked.pcap")});
        std::string out = p.read_rest();
        EXPECT_EQ(p.wait().describe(), "exit 0");
        EXPECT_EQ(segment_lines(out).size(), 8u) << out;
        EXPECT_THAT(out, HasSubstr("orderly: FIN and ACK in both directions"));
    }
}

TEST(Tcpview, EmptyCaptureSaysSo)
{
    TempDir dir;
    write_pcap(dir.file("empty.pcap"), wire::link_ethernet, {});
    auto p = Process::run("tcpview", {"-r", dir.file("empty.pcap")});
    EXPECT_THAT(p.read_rest(), HasSubstr("no TCP segments captured"));
    EXPECT_EQ(p.wait().describe(), "exit 0");
}

TEST(Tcpview, ErrorsNameTheProblem)
{
    TempDir dir;
    auto missing = Process::run("tcpview", {"-r", dir.file("missing.pcap")});
    EXPECT_EQ(missing.wait().describe(), "exit 1");
    EXPECT_THAT(missing.stderr_text(), HasSubstr("tcpview: cannot read " + dir.file("missing.pcap")));

    daytime().write(dir.file("d.pcap"));
    auto filter = Process::run("tcpview", {"-r", dir.file("d.pcap"), "port", "nonsense"});
    EXPECT_EQ(filter.wait().describe(), "exit 1");
    EXPECT_THAT(filter.stderr_text(), HasSubstr("bad filter \"port nonsense\""));

    for (std::vector<std::string> args : {std::vector<std::string>{"-x"},
                                          {"--run", "only-a-server"},
                                          {"-r", "a", "-w", "b"},
                                          {"-c", "zero"}}) {
        auto p = Process::run("tcpview", args);
        EXPECT_EQ(p.wait().describe(), "exit 1");
        EXPECT_THAT(p.stderr_text(), HasSubstr("usage: tcpview [-i interface]"));
    }
}

TEST(Tcpview, WithoutPrivilegeOneLineAndNonZeroExit)
{
    TempDir dir;
    daytime().write(dir.file("d.pcap"));
    const std::string tcpview = program_path("tcpview");
    for (std::vector<std::string> args :
         {std::vector<std::string>{}, {"port", "9877"},
          {"--run", "echo listening on 0.0.0.0, port 1; sleep 5", "--run", "true"}}) {
        std::vector<std::string> argv = {program_path("dropcaps"), tcpview};
        argv.insert(argv.end(), args.begin(), args.end());
        auto p = Process::start(argv);
        std::string out = p.read_rest();
        auto st = p.wait();
        if (st.exited && st.code == 125)
            GTEST_SKIP() << "cannot drop capabilities here: " << p.stderr_text();
        EXPECT_TRUE(st.exited && st.code != 0) << st.describe();
        std::string err = p.stderr_text();
        EXPECT_EQ(std::count(err.begin(), err.end(), '\n'), 1) << err;
        EXPECT_THAT(err, HasSubstr("tcpview: capturing on lo needs root or the capabilities "
                                   "CAP_NET_RAW and CAP_NET_ADMIN"));
        EXPECT_THAT(err, HasSubstr("sudo setcap cap_net_raw,cap_net_admin=eip " + tcpview));
        EXPECT_THAT(err, HasSubstr("tcpview -r FILE"));
        EXPECT_EQ(out, "");  // nothing was started
    }
    // Reading a file needs no privilege.
    auto r = Process::start({program_path("dropcaps"), tcpview, "-r", dir.file("d.pcap")});
    EXPECT_EQ(segment_lines(r.read_rest()).size(), 8u);
    EXPECT_EQ(r.wait().describe(), "exit 0") << r.stderr_text();
}

TEST(Tcpview, ATruncatedCaptureIsReportedAfterWhatWasRead)
{
    TempDir dir;
    const std::string path = dir.file("cut.pcap");
    daytime().write(path);
    // Cut the file in the middle of the fifth frame's record.
    auto size = std::filesystem::file_size(path);
    std::filesystem::resize_file(path, size - 3 * 66 - 20);
    auto p = Process::run("tcpview", {"-r", path});
    std::string out = p.read_rest();
    EXPECT_EQ(p.wait().describe(), "exit 1");
    EXPECT_EQ(segment_lines(out).size(), 4u) << out;
    EXPECT_THAT(out, HasSubstr("connection 1: client 127.0.0.1.52875"));  // the summary
    EXPECT_THAT(p.stderr_text(), HasSubstr("tcpview: capture truncated after frame 4"));

    // A record header cut short is the same.
    std::filesystem::resize_file(path, 24 + 16 + 74 + 8);
    auto q = Process::run("tcpview", {"-r", path});
    std::string out2 = q.read_rest();
    EXPECT_EQ(q.wait().describe(), "exit 1");
    EXPECT_EQ(segment_lines(out2).size(), 1u) << out2;
    EXPECT_THAT(q.stderr_text(), HasSubstr("tcpview: capture truncated after frame 1"));
}

TEST(Tcpview, ReadsIPv6TcpBehindExtensionHeaders)
{
    TempDir dir;
    C c(100, 200, 40000, 13);
    c.addresses("::1", "::1");
    c.syn();
    c.syn_ack();
    c.ack(C::client);
    c.data(C::server, "time\r\n");
    std::vector<Frame> frames;
    for (const auto &spec : c.specs())
        frames.push_back({1700000000000000, link_frame(wire::link_ethernet,
                                                       with_destination_options(ip_packet(spec)))});
    write_pcap(dir.file("ext.pcap"), wire::link_ethernet, frames);
    for (std::vector<std::string> filter : {std::vector<std::string>{}, {"ip6"}}) {
        std::vector<std::string> args = {"-r", dir.file("ext.pcap")};
        args.insert(args.end(), filter.begin(), filter.end());
        auto p = Process::run("tcpview", args);
        std::string out = p.read_rest();
        EXPECT_EQ(p.wait().describe(), "exit 0") << p.stderr_text();
        auto lines = segment_lines(out);
        ASSERT_EQ(lines.size(), 4u) << out;
        EXPECT_THAT(lines[3], HasSubstr("::1.13 > ::1.40000: Flags [P.], seq 1:7, ack 1"));
    }
}

TEST(Tcpview, NumbersFramesAsTheCaptureDoesAndSaysWhatItSkipped)
{
    // mDNS, ARP and an ICMP error among the daytime segments, as on a lab
    // machine: lines carry the capture's frame numbers and its time origin.
    TempDir dir;
    C c = daytime();
    const int64_t t0 = c.frames()[0].time_us - 50000;  // the capture began 50 ms before the SYN
    auto mdns = udp_packet("127.0.0.1", "127.0.0.1", 5353, 5353, "mdns query");
    auto udp = udp_packet("127.0.0.1", "127.0.0.1", 40001, 9, "x");
    std::vector<Frame> frames = {{t0, link_frame(wire::link_ethernet, mdns)},
                                 {t0 + 1, arp_frame()},
                                 {t0 + 2, link_frame(wire::link_ethernet, mdns)}};
    for (size_t i = 0; i < c.frames().size(); ++i) {
        frames.push_back(c.frames()[i]);
        if (i == 3) {
            frames.push_back({c.frames()[i].time_us + 1, link_frame(wire::link_ethernet, udp)});
            frames.push_back({c.frames()[i].time_us + 2,
                              link_frame(wire::link_ethernet, icmp_port_unreachable(udp))});
        }
    }
    write_pcap(dir.file("mixed.pcap"), wire::link_ethernet, frames);
    auto p = Process::run("tcpview", {"-r", dir.file("mixed.pcap")});
    std::string out = p.read_rest();
    EXPECT_EQ(p.wait().describe(), "exit 0") << p.stderr_text();
    auto lines = segment_lines(out);
    ASSERT_EQ(lines.size(), 8u) << out;
    EXPECT_THAT(lines[0], ::testing::StartsWith("  4 0.050000 127.0.0.1.52875 > 127.0.0.1.13: Flags [S]"));
    EXPECT_THAT(lines[3], ::testing::StartsWith("  7 0.050300 "));
    EXPECT_THAT(lines[4], ::testing::StartsWith(" 10 0.050400 "));
    EXPECT_THAT(out, HasSubstr("  1 0.000000 127.0.0.1.5353 > 127.0.0.1.5353: UDP, length 10"));
    EXPECT_THAT(out, HasSubstr("  9 0.050302 127.0.0.1 > 127.0.0.1: ICMP 127.0.0.1 udp port 9 port unreachable"));
    EXPECT_THAT(out, HasSubstr("skipped 1 frame: 1 ARP\n"));
    EXPECT_THAT(out, HasSubstr("UDP: 3 datagrams; ICMP: 1 message (1 port unreachable)\n"));
    EXPECT_THAT(out, HasSubstr("closed first:  by the server (FIN, frame 11)"));
    EXPECT_THAT(out, HasSubstr("     11  server  F. "));

    // With a filter, the numbers are still the file's.
    auto q = Process::run("tcpview", {"-r", dir.file("mixed.pcap"), "tcp"});
    std::string filtered = q.read_rest();
    EXPECT_EQ(q.wait().describe(), "exit 0");
    EXPECT_THAT(segment_lines(filtered)[0], ::testing::StartsWith("  4 0.050000 "));
    EXPECT_THAT(filtered, HasSubstr("skipped 5 frames: 5 not matching the filter\n"));
}

TEST(Tcpview, ReadsBsdLoopbackAndPcapng)
{
    // A macOS lab machine's loopback capture (DLT_NULL), and what Wireshark
    // saves by default (pcapng).
    TempDir dir;
    C c = daytime();
    std::vector<Frame> null_frames;
    for (size_t i = 0; i < c.specs().size(); ++i)
        null_frames.push_back({c.frames()[i].time_us, frame(wire::link_null, c.specs()[i])});
    write_pcap(dir.file("bsd.pcap"), wire::link_null, null_frames);
    write_pcapng(dir.file("wireshark.pcapng"), wire::link_ethernet, c.frames());
    write_pcapng(dir.file("bsd.pcapng"), wire::link_null, null_frames);
    for (const char *name : {"bsd.pcap", "wireshark.pcapng", "bsd.pcapng"}) {
        SCOPED_TRACE(name);
        auto p = Process::run("tcpview", {"-r", dir.file(name)});
        std::string out = p.read_rest();
        EXPECT_EQ(p.wait().describe(), "exit 0") << p.stderr_text();
        auto lines = segment_lines(out);
        ASSERT_EQ(lines.size(), 8u) << out;
        EXPECT_THAT(lines[3], HasSubstr(" 0.000300 127.0.0.1.13 > 127.0.0.1.52875: Flags [P.], seq 1:27, ack 1"));
        EXPECT_THAT(out, HasSubstr("ended:         orderly"));
        EXPECT_THAT(out, Not(HasSubstr("skipped")));
    }
}

TEST(Tcpview, OptionsForTheWholeTableAbsoluteNumbersAndWidth)
{
    TempDir dir;
    daytime().write(dir.file("d.pcap"));
    auto p = Process::run("tcpview", {"-S", "--rows", "2", "--width", "80", "-r", dir.file("d.pcap")});
    std::string out = p.read_rest();
    EXPECT_EQ(p.wait().describe(), "exit 0") << p.stderr_text();
    EXPECT_THAT(out, HasSubstr("  1 0.000000 127.0.0.1.52875 > 127.0.0.1.13 [S] seq 3150304300 win 512 len 0\n"
                               "      handshake 1/3"));
    EXPECT_THAT(out, HasSubstr("    ... 6 more rows (tcpview --rows all prints every row)"));
    auto all = Process::run("tcpview", {"--rows", "all", "-r", dir.file("d.pcap")});
    EXPECT_THAT(all.read_rest(), HasSubstr("      8  server  .  "));
    EXPECT_EQ(all.wait().describe(), "exit 0");
    auto bad = Process::run("tcpview", {"--rows", "none", "-r", dir.file("d.pcap")});
    EXPECT_EQ(bad.wait().describe(), "exit 1");
    EXPECT_THAT(bad.stderr_text(), HasSubstr("usage: tcpview"));
}
