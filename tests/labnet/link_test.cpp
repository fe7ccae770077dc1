// SPDX-License-Identifier: MIT
// labnet link: a rate-limited link makes a transfer take as long as the
// rate says (a lower bound only: a loaded machine may always be slower), a
// lossy one still delivers every byte because TCP retransmits, and reset
// gives the link back as up made it.
#include "labnet_support.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <csignal>
#include <regex>

using namespace socklab::test;
using ::testing::ContainsRegex;
using ::testing::HasSubstr;
using ::testing::Not;

namespace {

// `labnet link ARGS...`: succeeds, and the host's row ends with `column`.
void expect_link(const LabNet &net, std::vector<std::string> args, const std::string &column)
{
    const std::string host = args.at(0);
    args.insert(args.begin(), "link");
    Outcome link = net.run(args);
    EXPECT_EQ(link.status.describe(), "exit 0") << link.err;
    EXPECT_THAT(link.out, ContainsRegex(host + " .* " + column + "\n"));
}

// A file of random bytes served by ftserv02 on h2.
struct ServedFile {
    ServedFile(const LabNet &net, size_t size)
        : data(random_bytes(size, 5)), server(serve(net, dir, data)), port(server.wait_for_port())
    {
    }
    TempDir dir;
    std::string data;
    Process server;
    int port;

private:
    static Process serve(const LabNet &net, const TempDir &dir, const std::string &data)
    {
        write_file(dir / "file", data);
        return net.start("h2", "ftserv02", {"-d", dir.path(), "0"});
    }
};

// ftcli02 on h1 fetches the file; checks the copy, returns the seconds it took.
double copy_to_h1(const LabNet &net, const ServedFile &f)
{
    TempDir into;
    auto t0 = std::chrono::steady_clock::now();
    Outcome o = net.sh_on("h1",
                          "cd " + quoted(into.path()) + " && echo file | " + prog("ftcli02") +
                              " 192.0.2.2 " + std::to_string(f.port),
                          40s);
    double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    EXPECT_EQ(o.status.describe(), "exit 0") << o.err;
    EXPECT_TRUE(read_file(into / "file") == f.data) << "the copy differs";
    return seconds;
}

}  // namespace

TEST(LabnetLink, RateOf8MbitMakesA4MiBTransferTakeAtLeastAbout4Seconds)
{
    REQUIRE_ROOT();
    LabNet net("rate", 2);
    ASSERT_TRUE(net.is_up()) << net.up().err;
    expect_link(net, {"h2", "rate", "8mbit"}, "1500 +rate 8Mbit");
    ServedFile f(net, 4 << 20);
    ASSERT_GT(f.port, 0);
    double seconds = copy_to_h1(net, f);
    // 4 MiB is 33.5 Mbit: 4.2 s at 8 Mbit/s, less 20% for the bucket's burst
    // and the clocks.  Never an upper bound.
    EXPECT_GE(seconds, 0.8 * (4 << 20) * 8 / 8e6) << "a link of 8 Mbit/s carried 4 MiB in " << seconds << " s";
}

TEST(LabnetLink, LossOf10PercentStillCopiesByteExactAndTcpviewCountsRetransmissions)
{
    REQUIRE_ROOT();
    LabNet net("loss", 2);
    ASSERT_TRUE(net.is_up()) << net.up().err;
    expect_link(net, {"h2", "loss", "10"}, "1500 +loss 10%");
    ServedFile f(net, 512 << 10);
    ASSERT_GT(f.port, 0);
    Capture cap(net, "h2", "port " + std::to_string(f.port));
    copy_to_h1(net, f);

    std::string seen = cap.stop();
    // About 360 data segments, a tenth of them (or their ACKs) lost: the
    // server sends some again.  h2's own capture sees every retransmission.
    std::smatch m;
    ASSERT_TRUE(std::regex_search(seen, m, std::regex(R"(retransmissions: (\d+) by the client, (\d+) by the server)")))
        << seen.substr(seen.size() > 3000 ? seen.size() - 3000 : 0);
    EXPECT_GT(std::stoi(m[2]), 0);
}

TEST(LabnetLink, ResetGivesTheLinkBackAsUpMadeIt)
{
    REQUIRE_ROOT();
    LabNet net("reset", 2);
    ASSERT_TRUE(net.is_up()) << net.up().err;
    expect_link(net, {"h1", "rate", "10mbit", "mtu", "1400", "loss", "1"}, "1400 +rate 10Mbit, loss 1%");
    EXPECT_THAT(net.sh_on("h1", "tc qdisc show dev eth0").out, HasSubstr("tbf"));
    // The SYN now offers 1400 - 40.
    Process srv = net.start("h2", "echoserv", {"--addr", "0.0.0.0", "--port", "0"});
    int port = srv.wait_for_port();
    Capture cap(net, "h2", "port " + std::to_string(port));
    net.sh_on("h1", "echo hi | " + prog("linecli") + " --addr 192.0.2.2 --port " + std::to_string(port));
    EXPECT_THAT(cap.stop(), HasSubstr("client mss 1360"));

    expect_link(net, {"h1", "reset"}, "1500 +-");
    EXPECT_THAT(net.sh_on("h1", "tc qdisc show dev eth0").out, Not(HasSubstr("tbf")));
    EXPECT_THAT(net.run({"hosts"}).out, Not(HasSubstr("loss")));
}

TEST(LabnetLink, WithoutNftablesUpWorksAndOnlyLossSaysWhatToInstall)
{
    REQUIRE_ROOT();
    // A PATH with every tool labnet uses except nft.
    TempDir bin;
    Outcome linked = sh("for t in ip tc awk sed mkdir rm tr sleep sysctl; do "
                        "p=$(command -v $t) && ln -s \"$p\" " + quoted(bin.path()) + "/$t; done; true");
    ASSERT_EQ(linked.status.describe(), "exit 0") << linked.err;
    const std::string name = unique_name("nonft");
    DownOnExit guard(name);
    auto labnet = [&](std::vector<std::string> args) {
        std::vector<std::string> v = {"/usr/bin/env", "PATH=" + bin.path(), "/bin/bash", labnet_path(), "-n", name};
        v.insert(v.end(), args.begin(), args.end());
        return run_to_end(v);
    };
    Outcome up = labnet({"up", "2"});
    EXPECT_EQ(up.status.describe(), "exit 0") << up.err;
    Outcome rate = labnet({"link", "h2", "rate", "1mbit"});
    EXPECT_EQ(rate.status.describe(), "exit 0") << rate.err;
    Outcome loss = labnet({"link", "h2", "loss", "5"});
    EXPECT_EQ(loss.status.describe(), "exit 1");
    EXPECT_EQ(loss.err, "labnet: link: loss needs nftables: sudo apt-get install nftables\n");
    Outcome down = labnet({"down"});
    EXPECT_EQ(down.status.describe(), "exit 0") << down.err;
    EXPECT_THAT(down.out, HasSubstr("removed namespace " + name + "-br"));
}
