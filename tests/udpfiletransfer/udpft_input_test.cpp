// SPDX-License-Identifier: MIT
// Bad input from the network: garbage, ACKs for blocks never sent,
// requests with zero or huge lengths, paths that lead out (.., absolute,
// symlinks), NUL bytes, 10 KiB names.  Each is answered with an ERROR or
// ignored, and the server goes on serving.
#include "udpft.hpp"
#include "udpft_support.hpp"

#include <gmock/gmock.h>

#include <random>

using namespace socklab::test;
using ::testing::HasSubstr;

namespace {

// The server's answer to one raw datagram: decoded, or nullopt if none came.
std::optional<udpft::Packet> answer(UdpSocket &sock, int port, const std::string &dgram, std::string &keep,
                                    Millis timeout = 2s)
{
    if (!sock.send_to(dgram, port))
        return std::nullopt;
    auto d = sock.recv(timeout);
    if (!d)
        return std::nullopt;
    keep = d->bytes;
    return udpft::decode({reinterpret_cast<const unsigned char *>(keep.data()), keep.size()});
}

std::string request(udpft::Type type, std::string_view path, std::uint32_t tid = 42)
{
    return udpft::encode_request(type, tid, 1, udpft::kBlock, 0, path);
}

// The server still serves a normal get afterwards.
void expect_still_serving(UdpftServer &s)
{
    write_file(s.srv / "ok", "still here");
    ClientRun r = run_client(s.cli.path(), {"-f", "127.0.0.1", std::to_string(s.port), "ok", "ok"});
    EXPECT_EQ(r.status.describe(), "exit 0") << r.err;
    EXPECT_EQ(read_file(s.cli / "ok"), "still here");
    EXPECT_TRUE(s.proc.running());
}

struct Refusal {
    const char *name;
    std::string path;
    udpft::Code code;
    const char *text;
};

std::ostream &operator<<(std::ostream &os, const Refusal &r) { return os << r.name; }

const Refusal kRefusals[] = {
    {"Missing", "nope", udpft::kNotFound, "no such file"},
    {"DotDot", "../../../etc/passwd", udpft::kOutside, "outside the served directory"},
    {"Absolute", "/etc/passwd", udpft::kOutside, "outside the served directory"},
    {"Empty", "", udpft::kBadRequest, "bad request: empty path"},
    {"Nul", std::string("ok\0/../x", 8), udpft::kBadRequest, "bad request: the path contains a NUL byte"},
    {"TenKiBName", std::string(10240, 'n'), udpft::kBadRequest, "path too long (10240 bytes; at most 4095)"},
    {"SymlinkOut", "out/passwd", udpft::kOutside, "outside the served directory"},
    {"Directory", "sub", udpft::kNotRegular, "not a regular file"},
};

class UdpftRefuses : public ::testing::TestWithParam<Refusal> {};

}  // namespace

TEST_P(UdpftRefuses, GetAnsweredWithTheReason)
{
    const Refusal &r = GetParam();
    UdpftServer s;
    ASSERT_NE(s.port, 0);
    symlink("/etc", (s.srv / "out").c_str());
    mkdir((s.srv / "sub").c_str(), 0755);
    UdpSocket sock;
    std::string keep;
    auto p = answer(sock, s.port, request(udpft::kRrq, r.path), keep);
    ASSERT_TRUE(p) << "no answer";
    EXPECT_EQ(p->type, udpft::kError);
    EXPECT_EQ(p->tid, 42u);
    EXPECT_EQ(p->code, r.code);
    EXPECT_EQ(p->body, r.text);
    expect_still_serving(s);
}

TEST_P(UdpftRefuses, PutAnsweredWithTheReason)
{
    const Refusal &r = GetParam();
    if (std::string(r.name) == "Missing" || std::string(r.name) == "Directory")
        GTEST_SKIP() << "a put creates a missing file; a directory is refused at the rename";
    UdpftServer s;
    ASSERT_NE(s.port, 0);
    symlink("/etc", (s.srv / "out").c_str());
    UdpSocket sock;
    std::string keep;
    auto p = answer(sock, s.port, request(udpft::kWrq, r.path), keep);
    ASSERT_TRUE(p) << "no answer";
    EXPECT_EQ(p->type, udpft::kError);
    EXPECT_EQ(p->code, r.code);
    EXPECT_EQ(p->body, r.text);
    EXPECT_EQ(s.srv.entries(), (std::vector<std::string>{"out"})) << "nothing created";
}

INSTANTIATE_TEST_SUITE_P(Paths, UdpftRefuses, ::testing::ValuesIn(kRefusals),
                         [](const auto &info) { return std::string(info.param.name); });

TEST(UdpftInput, ConfinementHoldsWithoutOpenat2Too)
{
    UdpftServer s({"FTSERVER_NO_OPENAT2=1"});
    ASSERT_NE(s.port, 0);
    symlink("/etc", (s.srv / "out").c_str());
    UdpSocket sock;
    std::string keep;
    for (auto type : {udpft::kRrq, udpft::kWrq}) {
        // The fallback walk refuses "../x" as outside before it looks, so
        // it never tells whether a path outside exists.
        for (std::string path : {"../x", "out/passwd", "/etc/passwd"}) {
            auto p = answer(sock, s.port, request(type, path), keep);
            ASSERT_TRUE(p) << path;
            EXPECT_EQ(p->type, udpft::kError) << path;
            EXPECT_EQ(p->code, udpft::kOutside)
                << path << ": " << p->body;
        }
    }
}

TEST(UdpftInput, GarbageIsIgnoredAndLogged)
{
    UdpftServer s;
    ASSERT_NE(s.port, 0);
    UdpSocket sock;
    std::mt19937 rng(1);
    for (int i = 0; i < 500; i++) {
        std::string junk(rng() % 2000, '\0');
        for (auto &c : junk)
            c = static_cast<char>(rng());
        if (!junk.empty())
            junk[0] = static_cast<char>(6 + rng() % 250);  // no valid type
        sock.send_to(junk, s.port);
    }
    sock.send_to(std::string(), s.port);          // 0 bytes
    sock.send_to(std::string(65507, 'g'), s.port);  // the largest
    EXPECT_FALSE(sock.recv(300ms)) << "garbage gets no answer";
    EXPECT_TRUE(eventually([&] { return s.proc.stderr_text().find("ignored: too short (0 bytes)") != std::string::npos; }));
    expect_still_serving(s);
}

TEST(UdpftInput, MalformedRequestsAreIgnored)
{
    UdpftServer s;
    ASSERT_NE(s.port, 0);
    UdpSocket sock;
    std::string huge = request(udpft::kRrq, "f");
    huge[10] = '\xff';  // the path length says 65k+, the datagram holds 1 byte
    huge[11] = '\xff';
    sock.send_to(huge, s.port);
    sock.send_to(request(udpft::kRrq, "f").substr(0, 8), s.port);  // cut short
    EXPECT_FALSE(sock.recv(300ms));
    EXPECT_TRUE(eventually([&] {
        return s.proc.stderr_text().find("request: the path length disagrees") != std::string::npos;
    }));
    expect_still_serving(s);
}

TEST(UdpftInput, RequestForAZeroOrHugeWindowIsRefused)
{
    UdpftServer s;
    ASSERT_NE(s.port, 0);
    write_file(s.srv / "f", "x");
    UdpSocket sock;
    std::string keep;
    for (std::uint16_t window : {0, 257, 65535}) {
        auto p = answer(sock, s.port, udpft::encode_request(udpft::kRrq, window + 1u, window, 1024, 0, "f"), keep);
        ASSERT_TRUE(p);
        EXPECT_EQ(p->code, udpft::kBadRequest) << window;
        EXPECT_THAT(std::string(p->body), HasSubstr("bad request: window"));
    }
    auto p = answer(sock, s.port, udpft::encode_request(udpft::kRrq, 9, 1, 0, 0, "f"), keep);
    ASSERT_TRUE(p);
    EXPECT_EQ(p->code, udpft::kBadRequest) << "block 0";
}

TEST(UdpftInput, AcksForBlocksNeverSentAreIgnored)
{
    UdpftServer s;
    ASSERT_NE(s.port, 0);
    std::string bytes = random_bytes(3000, 10);
    write_file(s.srv / "f", bytes);
    UdpSocket sock;
    std::string keep, got;
    auto p = answer(sock, s.port, request(udpft::kRrq, "f", 7), keep);
    ASSERT_TRUE(p);
    ASSERT_EQ(p->type, udpft::kData);
    EXPECT_EQ(p->seq, 1u);
    got += p->body;
    sock.send_to(udpft::encode_ack(7, 999999), s.port);  // never sent
    sock.send_to(udpft::encode_ack(7, 3), s.port);       // not yet sent either (stop-and-wait: only block 1)
    // Acknowledge properly, block by block: the transfer goes on as if
    // the bogus ACKs had never come.
    auto next_block = [&](std::uint32_t want) -> std::optional<std::string> {
        for (int i = 0; i < 10; i++) {  // skip repeats of the block before
            auto d = sock.recv(2s);
            if (!d)
                return std::nullopt;
            auto q = udpft::decode({reinterpret_cast<const unsigned char *>(d->bytes.data()), d->bytes.size()});
            if (q && q->type == udpft::kData && q->seq == want)
                return std::string(q->body);
        }
        return std::nullopt;
    };
    for (std::uint32_t seq = 1; seq <= 2; seq++) {
        ASSERT_TRUE(sock.send_to(udpft::encode_ack(7, seq), s.port));
        auto block = next_block(seq + 1);
        ASSERT_TRUE(block) << "block " << seq + 1;
        got += *block;
    }
    ASSERT_TRUE(sock.send_to(udpft::encode_ack(7, 3), s.port));
    EXPECT_TRUE(got == bytes);
    EXPECT_TRUE(eventually([&] { return s.proc.stderr_text().find("get \"f\" ok 3000 bytes") != std::string::npos; }));
}

TEST(UdpftInput, DataForAnUnknownTransferGetsAnError)
{
    UdpftServer s;
    ASSERT_NE(s.port, 0);
    UdpSocket sock;
    std::string keep;
    auto p = answer(sock, s.port, udpft::encode_data(5, 1, 0, {}), keep);
    ASSERT_TRUE(p);
    EXPECT_EQ(p->type, udpft::kError);
    EXPECT_EQ(p->code, udpft::kUnknownTransfer);
}

TEST(UdpftUsage, HelpAndWrongArguments)
{
    for (const char *prog : {"UDPFTServer", "UDPFTClient"}) {
        Process help = Process::run(prog, {"-h"});
        EXPECT_EQ(help.wait().describe(), "exit 0");
        EXPECT_THAT(help.read_rest(), HasSubstr(std::string("usage: ") + prog));
        Process wrong = Process::run(prog, {"1", "2", "3"});
        EXPECT_EQ(wrong.wait().describe(), "exit 1");
        EXPECT_THAT(wrong.stderr_text(), HasSubstr(std::string("usage: ") + prog));
    }
    Process w = Process::run("UDPFTClient", {"-w", "0", "127.0.0.1", "9"});
    EXPECT_EQ(w.wait().describe(), "exit 1");
    EXPECT_THAT(w.stderr_text(), HasSubstr("-w 0: a window is 1 to 256 blocks"));
}
