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
    EXPECT_THAT(out, HasSubstr("closed first:  by the server (FIN, segment 6)"));
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
