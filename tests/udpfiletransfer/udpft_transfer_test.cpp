// SPDX-License-Identifier: MIT
// UDPFTServer and UDPFTClient through the tests' lossy relay: every size
// that matters, with loss, duplication and reordering in both directions,
// byte-exact every time; get and put, stop-and-wait and windowed.
#include "udpft_support.hpp"

#include <gmock/gmock.h>

using namespace socklab::test;
using ::testing::HasSubstr;

namespace {

struct Case {
    const char *name;
    std::size_t size;
    Faults faults;
    std::vector<std::string> flags;  // window, block
};

std::ostream &operator<<(std::ostream &os, const Case &c) { return os << c.name; }

constexpr std::size_t kMiB = 1 << 20;

// Each size that is an edge for 1024-byte blocks, and the faults.
const Case kCases[] = {
    {"Empty", 0, {}, {}},
    {"OneByte", 1, {}, {}},
    {"OneBlockExactly", 1024, {}, {}},
    {"ThreeBlocksExactly", 3072, {}, {}},
    {"OneByteMoreThanABlock", 1025, {}, {}},
    {"EmptyWith30PercentLoss", 0, {0.3, 0, 0, 7}, {}},
    {"OneByteWith30PercentLoss", 1, {0.3, 0, 0, 8}, {}},
    {"ThreeBlocksWith30PercentLoss", 3072, {0.3, 0, 0, 9}, {}},
    {"HundredKiBWith10PercentLoss", 100 << 10, {0.1, 0, 0, 10}, {}},
    {"HundredKiBDuplicated", 100 << 10, {0, 0.3, 0, 11}, {}},
    {"HundredKiBWindowedReordered", 100 << 10, {0, 0, 0.3, 12}, {"-w", "16"}},
    {"HundredKiBWindowedEverything", 100 << 10, {0.1, 0.1, 0.1, 13}, {"-w", "16"}},
    {"TenMiB", 10 * kMiB, {}, {"-w", "32"}},
    {"TenMiBStopAndWait", 10 * kMiB, {}, {}},
    {"TenMiBWith10PercentLoss", 10 * kMiB, {0.1, 0, 0, 14}, {"-w", "32"}},
    // 30 % loss each way on 10 MiB can exhaust the client's retry budget
    // (8 timeouts in a row) when the drops fall on one block's resends,
    // depending on timing: 30 % is tested on the small files above.
    {"TenMiBDuplicatedAndReordered", 10 * kMiB, {0, 0.1, 0.1, 16}, {"-w", "32"}},
    {"TenMiBLargeBlocksWith10PercentLoss", 10 * kMiB, {0.1, 0, 0, 17}, {"-w", "32", "-b", "8192"}},
};

std::vector<std::string> with(std::vector<std::string> flags, std::initializer_list<std::string> rest)
{
    flags.insert(flags.begin(), "-v");
    flags.insert(flags.end(), rest);
    return flags;
}

class UdpftThroughRelay : public ::testing::TestWithParam<Case> {};

}  // namespace

TEST_P(UdpftThroughRelay, GetArrivesByteExact)
{
    const Case &c = GetParam();
    UdpftServer s;
    ASSERT_NE(s.port, 0);
    std::string bytes = random_bytes(c.size, static_cast<unsigned>(c.size + 1));
    write_file(s.srv / "f", bytes);
    UdpRelay relay(s.port, c.faults);
    ClientRun r = run_client(s.cli.path(), with(c.flags, {"127.0.0.1", std::to_string(relay.port()), "f", "copy"}), 280s);
    ASSERT_EQ(r.status.describe(), "exit 0") << r.err;
    EXPECT_TRUE(read_file(s.cli / "copy") == bytes) << "the copy differs";
    EXPECT_EQ(s.cli.entries(), std::vector<std::string>{"copy"}) << "no temporary file left";
    long dropped = relay.to_server().dropped + relay.to_client().dropped;
    if (dropped > 0)
        EXPECT_GT(retransmissions(r.out), 0) << r.out << "\nthe relay dropped " << dropped;
    else
        EXPECT_GE(retransmissions(r.out), 0) << r.out;
}

TEST_P(UdpftThroughRelay, PutIsStoredByteExact)
{
    const Case &c = GetParam();
    if (c.size > kMiB && c.faults.drop > 0.2)
        GTEST_SKIP() << "the get of this case covers it; one 10 MiB put at 30% loss is too slow for every run";
    UdpftServer s;
    ASSERT_NE(s.port, 0);
    std::string bytes = random_bytes(c.size, static_cast<unsigned>(c.size + 2));
    write_file(s.cli / "local", bytes);
    UdpRelay relay(s.port, c.faults);
    ClientRun r = run_client(s.cli.path(),
                             with(c.flags, {"-p", "127.0.0.1", std::to_string(relay.port()), "local", "stored"}));
    ASSERT_EQ(r.status.describe(), "exit 0") << r.err;
    EXPECT_TRUE(read_file(s.srv / "stored") == bytes) << "the stored file differs";
    EXPECT_TRUE(eventually([&] { return s.srv.entries() == std::vector<std::string>{"stored"}; }))
        << "no temporary file left on the server";
    if (relay.to_server().dropped + relay.to_client().dropped > 0) {
        EXPECT_GT(retransmissions(r.out), 0) << r.out;
    }
}

INSTANTIATE_TEST_SUITE_P(Sizes, UdpftThroughRelay, ::testing::ValuesIn(kCases),
                         [](const auto &info) { return std::string(info.param.name); });

TEST(UdpftSession, SeveralFilesBothWaysInOneSession)
{
    UdpftServer s;
    ASSERT_NE(s.port, 0);
    write_file(s.srv / "a", "alpha");
    write_file(s.srv / "b", random_bytes(5000, 3));
    write_file(s.cli / "up", "going up");
    Process c = Process::run("UDPFTClient", {"127.0.0.1", std::to_string(s.port)}, {{}, s.cli.path()});
    ASSERT_TRUE(c.write_stdin("a\nget b b.copy\nput up up.stored\nget nope\nget a\n\n"));
    EXPECT_EQ(c.wait().describe(), "exit 1") << "one refusal, one existing file: failures, counted";
    std::string err = c.stderr_text();
    EXPECT_THAT(err, HasSubstr("UDPFTClient: nope: no such file"));
    EXPECT_THAT(err, HasSubstr("a: file exists (use -f to overwrite)"));
    EXPECT_EQ(read_file(s.cli / "a"), "alpha");
    EXPECT_TRUE(read_file(s.cli / "b.copy") == random_bytes(5000, 3));
    EXPECT_EQ(read_file(s.srv / "up.stored"), "going up");
}

TEST(UdpftSession, TwoClientsAtOnceBothGetTheirFiles)
{
    UdpftServer s;
    ASSERT_NE(s.port, 0);
    std::string one = random_bytes(3 * kMiB, 4), two = random_bytes(3 * kMiB, 5);
    write_file(s.srv / "one", one);
    write_file(s.srv / "two", two);
    Process a = Process::run("UDPFTClient", {"127.0.0.1", std::to_string(s.port), "one", "one"}, {{}, s.cli.path()});
    Process b = Process::run("UDPFTClient", {"127.0.0.1", std::to_string(s.port), "two", "two"}, {{}, s.cli.path()});
    EXPECT_EQ(a.wait(30s).describe(), "exit 0") << a.stderr_text();
    EXPECT_EQ(b.wait(30s).describe(), "exit 0") << b.stderr_text();
    EXPECT_TRUE(read_file(s.cli / "one") == one);
    EXPECT_TRUE(read_file(s.cli / "two") == two);
    EXPECT_TRUE(s.proc.children().empty()) << "one process serves both";
}

TEST(UdpftPut, RefusesToReplaceUnlessForced)
{
    UdpftServer s;
    ASSERT_NE(s.port, 0);
    write_file(s.srv / "there", "old");
    write_file(s.cli / "new", "new");
    std::string port = std::to_string(s.port);
    ClientRun r = run_client(s.cli.path(), {"-p", "127.0.0.1", port, "new", "there"});
    EXPECT_EQ(r.status.describe(), "exit 1");
    EXPECT_THAT(r.err, HasSubstr("there: file exists (put -f to replace it)"));
    EXPECT_EQ(read_file(s.srv / "there"), "old");
    r = run_client(s.cli.path(), {"-p", "-f", "127.0.0.1", port, "new", "there"});
    EXPECT_EQ(r.status.describe(), "exit 0") << r.err;
    EXPECT_EQ(read_file(s.srv / "there"), "new");
}

TEST(UdpftGet, KeepsAnExistingLocalFileUnlessForced)
{
    UdpftServer s;
    ASSERT_NE(s.port, 0);
    write_file(s.srv / "f", "remote");
    write_file(s.cli / "f", "local");
    std::string port = std::to_string(s.port);
    ClientRun r = run_client(s.cli.path(), {"127.0.0.1", port, "f", "f"});
    EXPECT_EQ(r.status.describe(), "exit 1");
    EXPECT_EQ(read_file(s.cli / "f"), "local");
    r = run_client(s.cli.path(), {"-f", "127.0.0.1", port, "f", "f"});
    EXPECT_EQ(r.status.describe(), "exit 0") << r.err;
    EXPECT_EQ(read_file(s.cli / "f"), "remote");
}
