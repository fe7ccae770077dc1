// SPDX-License-Identifier: MIT
// Faults: a server that vanishes mid-transfer, a client that vanishes, a
// port where no server runs.  Never a partial file under the final name,
// never a server left stuck.
#include "udpft_support.hpp"

#include <gmock/gmock.h>

using namespace socklab::test;
using ::testing::HasSubstr;

namespace {

constexpr std::size_t kBig = 8 << 20;

// Until the transfer through the relay is well under way: 200 datagrams of
// its 8,192 blocks.  On a loaded machine a first request lost, or answered
// late, costs the client a retry of a second or more, so this waits long
// and says what it saw when it gives up (it failed once at 10 s, unseen).
bool under_way(const RelayCounts &d, Process &client)
{
    bool ok = eventually([&] { return d.forwarded > 200; }, 30s);
    EXPECT_TRUE(ok) << "the transfer never got going: " << d.forwarded << " datagrams forwarded, "
                    << d.dropped << " dropped; the client said: " << client.stderr_text();
    return ok;
}

}  // namespace

TEST(UdpftFaults, ServerKilledMidGetMakesTheClientGiveUpLeavingNoFile)
{
    UdpftServer s;
    ASSERT_NE(s.port, 0);
    write_file(s.srv / "big", random_bytes(kBig, 6));
    UdpRelay relay(s.port, {});
    Process c = Process::run("UDPFTClient", {"127.0.0.1", std::to_string(relay.port()), "big", "big"},
                             {{}, s.cli.path()});
    ASSERT_TRUE(under_way(relay.to_client(), c));
    s.proc.stop();  // SIGKILL: no goodbye
    auto start = std::chrono::steady_clock::now();
    ExitStatus st = c.wait(30s);
    EXPECT_EQ(st.describe(), "exit 1");
    EXPECT_LT(std::chrono::steady_clock::now() - start, 20s) << "within the retry budget";
    EXPECT_THAT(c.stderr_text(), HasSubstr("big: no answer from the server after 8 tries"));
    EXPECT_EQ(s.cli.entries(), std::vector<std::string>{}) << "neither the file nor its temporary";
}

TEST(UdpftFaults, ServerKilledMidPutMakesTheClientGiveUp)
{
    UdpftServer s;
    ASSERT_NE(s.port, 0);
    write_file(s.cli / "big", random_bytes(kBig, 7));
    UdpRelay relay(s.port, {});
    Process c = Process::run("UDPFTClient", {"-p", "127.0.0.1", std::to_string(relay.port()), "big", "big"},
                             {{}, s.cli.path()});
    ASSERT_TRUE(under_way(relay.to_server(), c));
    s.proc.stop();
    EXPECT_EQ(c.wait(30s).describe(), "exit 1");
    EXPECT_THAT(c.stderr_text(), HasSubstr("no answer from the server after 8 tries"));
    for (const auto &name : s.srv.entries())
        EXPECT_NE(name, "big") << "never under the final name";
}

TEST(UdpftFaults, ClientKilledMidGetLeavesTheServerServing)
{
    UdpftServer s;
    ASSERT_NE(s.port, 0);
    write_file(s.srv / "big", random_bytes(kBig, 8));
    write_file(s.srv / "small", "small");
    int fds_before = s.proc.open_fds();
    UdpRelay relay(s.port, {});
    Process c = Process::run("UDPFTClient", {"127.0.0.1", std::to_string(relay.port()), "big", "big"},
                             {{}, s.cli.path()});
    ASSERT_TRUE(under_way(relay.to_client(), c));
    c.stop();  // SIGKILL mid-file
    ClientRun next = run_client(s.cli.path(), {"127.0.0.1", std::to_string(s.port), "small", "small"});
    EXPECT_EQ(next.status.describe(), "exit 0") << next.err;
    EXPECT_EQ(read_file(s.cli / "small"), "small");
    EXPECT_TRUE(eventually([&] { return s.proc.stderr_text().find("gave up: no ACK") != std::string::npos; }, 20s))
        << s.proc.stderr_text();
    EXPECT_TRUE(eventually([&] { return s.proc.open_fds() == fds_before; }))
        << "the file sent is closed once the transfer is dropped";
    EXPECT_EQ(s.proc.zombie_children(), 0);
}

TEST(UdpftFaults, ClientKilledMidPutLeavesNoPartialFileOnTheServer)
{
    UdpftServer s;
    ASSERT_NE(s.port, 0);
    write_file(s.cli / "big", random_bytes(kBig, 9));
    int fds_before = s.proc.open_fds();
    UdpRelay relay(s.port, {});
    Process c = Process::run("UDPFTClient", {"-p", "127.0.0.1", std::to_string(relay.port()), "big", "big"},
                             {{}, s.cli.path()});
    ASSERT_TRUE(under_way(relay.to_server(), c));
    c.stop();
    EXPECT_TRUE(eventually([&] { return s.proc.stderr_text().find("gave up: the client sent nothing") != std::string::npos; },
                           20s))
        << s.proc.stderr_text();
    // The log line comes just before the transfer is dropped: wait for that.
    EXPECT_TRUE(eventually([&] { return s.srv.entries().empty(); })) << "the temporary file is removed";
    EXPECT_TRUE(eventually([&] { return s.proc.open_fds() == fds_before; })) << s.proc.open_fds();
    write_file(s.cli / "after", "after");
    ClientRun next = run_client(s.cli.path(), {"-p", "127.0.0.1", std::to_string(s.port), "after", "after"});
    EXPECT_EQ(next.status.describe(), "exit 0") << next.err;
}

TEST(UdpftFaults, NoServerOnThePortIsReportedAtOnce)
{
    RefusingUdpPort closed;
    TempDir cli;
    ClientRun r = run_client(cli.path(), {"127.0.0.1", std::to_string(closed.port()), "f", "f"}, 10s);
    EXPECT_EQ(r.status.describe(), "exit 1");
    EXPECT_THAT(r.err, HasSubstr("f: no server on that port (Connection refused)"));
    EXPECT_EQ(cli.entries(), std::vector<std::string>{});
}
