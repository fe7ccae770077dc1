// SPDX-License-Identifier: MIT
// labnet up, hosts, exec and down: the hosts the issue describes, reachable
// from each other over IPv4 and IPv6, and nothing of them left after down,
// even after an up that was killed halfway.  Two networks side by side.
#include "labnet_support.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <filesystem>
#include <regex>

using namespace socklab::test;
using ::testing::ContainsRegex;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::UnorderedElementsAre;

namespace {

// The namespaces of network `name` (exactly its own: NAME-...).
std::vector<std::string> namespaces_of(const std::string &name)
{
    std::vector<std::string> v;
    for (const auto &ns : netns_names())
        if (ns.rfind(name + "-", 0) == 0)
            v.push_back(ns);
    return v;
}

// Interfaces of the machine's own namespace that were not there before.
std::vector<std::string> new_interfaces(const std::vector<std::string> &before)
{
    std::vector<std::string> added;
    for (const auto &i : own_interfaces())
        if (std::find(before.begin(), before.end(), i) == before.end())
            added.push_back(i);
    return added;
}

// What network `name` could have left behind: namespaces, hosts files,
// interfaces in the machine's own namespace, nftables tables.
void expect_nothing_left(const std::string &name, const std::vector<std::string> &interfaces_before)
{
    EXPECT_THAT(namespaces_of(name), IsEmpty());
    EXPECT_THAT(sh("ls -d /etc/netns/" + name + "-* 2>/dev/null").out, IsEmpty());
    EXPECT_THAT(new_interfaces(interfaces_before), IsEmpty());
    EXPECT_THAT(nft_tables(), Not(HasSubstr("labnet")));
}

// The table row labnet prints for host h<i> of network `name`.
std::string row_pattern(const std::string &name, int i)
{
    std::string n = std::to_string(i);
    return "h" + n + " +" + name + "-h" + n + " +eth0 +192\\.0\\.2\\." + n + "/24 +2001:db8::" + n +
           "/64 +1500 ";
}

}  // namespace

TEST(LabnetUp, MakesHostsWithTheirAddressesMtuAndNames)
{
    REQUIRE_ROOT();
    auto before = own_interfaces();
    LabNet net("up", 3);
    ASSERT_TRUE(net.is_up()) << net.up().err;

    EXPECT_THAT(net.up().out, HasSubstr("host  namespace"));
    for (int i = 1; i <= 3; ++i)
        EXPECT_THAT(net.up().out, ContainsRegex(row_pattern(net.name(), i))) << net.up().out;
    EXPECT_THAT(namespaces_of(net.name()),
                UnorderedElementsAre(net.name() + "-h1", net.name() + "-h2", net.name() + "-h3",
                                     net.name() + "-br"));

    // A host has lo and eth0, nothing more, and eth0 has the documented addresses.
    Outcome links = net.sh_on("h2", "ip -o link show");
    EXPECT_THAT(links.out, ContainsRegex("^1: lo: <LOOPBACK,UP"));
    EXPECT_THAT(links.out, ContainsRegex("\n2: eth0@[^ ]+ <[^>]*UP[^>]*> mtu 1500 "));
    EXPECT_EQ(std::count(links.out.begin(), links.out.end(), '\n'), 2) << links.out;
    Outcome addrs = net.sh_on("h2", "ip -o addr show dev eth0");
    EXPECT_THAT(addrs.out, HasSubstr("inet 192.0.2.2/24 "));
    EXPECT_THAT(addrs.out, HasSubstr("inet6 2001:db8::2/64 "));
    EXPECT_THAT(addrs.out, Not(HasSubstr("tentative")));  // usable at once

    // Every host's /etc/hosts knows every host, by both addresses.
    EXPECT_THAT(net.sh_on("h1", "getent ahostsv4 h3").out, HasSubstr("192.0.2.3 "));
    EXPECT_THAT(net.sh_on("h3", "getent ahostsv6 h1").out, HasSubstr("2001:db8::1 "));

    // Nothing was added to the machine's own namespace; `hosts` repeats the table.
    EXPECT_THAT(new_interfaces(before), IsEmpty());
    Outcome hosts = net.run({"hosts"});
    EXPECT_EQ(hosts.status.describe(), "exit 0") << hosts.err;
    EXPECT_EQ(hosts.out, net.up().out);

    Outcome down = net.down();
    EXPECT_EQ(down.status.describe(), "exit 0") << down.err;
    EXPECT_THAT(down.out, HasSubstr("removed namespace " + net.name() + "-br"));
    expect_nothing_left(net.name(), before);
}

TEST(LabnetUp, H1ReachesH2OverIpv4AndIpv6)
{
    REQUIRE_ROOT();
    LabNet net("reach", 2);
    ASSERT_TRUE(net.is_up()) << net.up().err;

    Process srv4 = net.start("h2", "daytimetcpsrv", {"0"});
    Process srv6 = net.start("h2", "daytimetcpsrvv6", {"0"});
    int port4 = srv4.wait_for_port(), port6 = srv6.wait_for_port();
    ASSERT_GT(port4, 0);
    ASSERT_GT(port6, 0);
    Outcome v4 = net.sh_on("h1", prog("daytimetcpcli") + " 192.0.2.2 " + std::to_string(port4));
    EXPECT_EQ(v4.status.describe(), "exit 0") << v4.err;
    EXPECT_THAT(v4.out, ContainsRegex("[0-9]{2}:[0-9]{2}:[0-9]{2}"));
    Outcome v6 = net.sh_on("h1", prog("daytimetcpcliv6") + " 2001:db8::2 " + std::to_string(port6));
    EXPECT_EQ(v6.status.describe(), "exit 0") << v6.err;
    EXPECT_THAT(v6.out, ContainsRegex("[0-9]{2}:[0-9]{2}:[0-9]{2}"));
}

TEST(LabnetUp, SecondUpIsAnErrorNamingTheNetwork)
{
    REQUIRE_ROOT();
    LabNet net("twice", 2);
    ASSERT_TRUE(net.is_up()) << net.up().err;
    Outcome again = net.run({"up", "3"});
    EXPECT_EQ(again.status.describe(), "exit 1");
    EXPECT_THAT(again.err, HasSubstr("network '" + net.name() + "' is already up"));
    EXPECT_THAT(again.err, HasSubstr("labnet -n " + net.name() + " down"));
    // ... and it left the first network as it was: two hosts, no h3.
    EXPECT_EQ(namespaces_of(net.name()).size(), 3u);
}

TEST(LabnetExec, PassesStdinStdoutAndExitStatusThrough)
{
    REQUIRE_ROOT();
    LabNet net("exec", 2);
    ASSERT_TRUE(net.is_up()) << net.up().err;
    Process p = net.start_sh("h1", "read line; echo \"got $line\"; echo oops >&2; exit 7");
    p.write_stdin("hello\n");
    p.close_stdin();
    EXPECT_EQ(p.read_rest(), "got hello\n");
    EXPECT_EQ(p.wait().describe(), "exit 7");
    EXPECT_EQ(p.stderr_text(), "oops\n");

    Outcome unknown = net.run({"exec", "h9", "true"});
    EXPECT_EQ(unknown.status.describe(), "exit 1");
    EXPECT_EQ(unknown.err, "labnet: no host 'h9' in network '" + net.name() + "' (its hosts: h1 h2)\n");
}

TEST(LabnetDown, RemovesWhatAKilledUpLeftAndStopsWhatRuns)
{
    REQUIRE_ROOT();
    auto before = own_interfaces();
    const std::string name = unique_name("killed");
    DownOnExit guard(name);
    // 30 hosts take long enough to kill the up in the middle: once the
    // namespaces exist and some hosts files are written, before the links.
    Process up = Process::start({labnet_path(), "-n", name, "up", "30"});
    ASSERT_TRUE(eventually([&] { return access(("/etc/netns/" + name + "-h10/hosts").c_str(), F_OK) == 0; }))
        << up.stderr_text();
    up.stop();  // SIGKILL: no trap runs
    EXPECT_FALSE(namespaces_of(name).empty());
    EXPECT_NE(access(("/etc/netns/" + name + "-h30/hosts").c_str(), F_OK), 0)
        << "up finished before it was killed";

    // A program still running on a host, as after a crashed lab.
    Process left = Process::start({labnet_path(), "-n", name, "exec", "h1", "/bin/sleep", "60"});
    ASSERT_TRUE(eventually([&] { return sh("ip netns pids " + name + "-h1").out != ""; }));

    Outcome down = run_to_end({labnet_path(), "-n", name, "down"});
    EXPECT_EQ(down.status.describe(), "exit 0") << down.err;
    EXPECT_THAT(down.out, ContainsRegex("stopped process [0-9]+ \\(sleep\\) on " + name + "-h1"));
    EXPECT_THAT(down.out, HasSubstr("removed namespace " + name + "-h1\n"));
    EXPECT_THAT(down.out, HasSubstr("removed /etc/netns/" + name + "-h10\n"));
    EXPECT_TRUE(left.wait(5s).signaled);
    expect_nothing_left(name, before);

    // Once more: nothing to do, and it says so.
    Outcome again = run_to_end({labnet_path(), "-n", name, "down"});
    EXPECT_EQ(again.status.describe(), "exit 0");
    EXPECT_EQ(again.out, "labnet: network '" + name + "' is not up; nothing to remove\n");
}

TEST(LabnetUp, TwoNetworksSideBySideDoNotInterfere)
{
    REQUIRE_ROOT();
    LabNet a("a", 2), b("b", 2);
    ASSERT_TRUE(a.is_up()) << a.up().err;
    ASSERT_TRUE(b.is_up()) << b.up().err;

    // The same addresses in both; a server on a's h2 is reached from a's h1 only.
    Process srv = a.start("h2", "daytimetcpsrv", {"0"});
    std::string port = std::to_string(srv.wait_for_port());
    Outcome from_a = a.sh_on("h1", prog("daytimetcpcli") + " 192.0.2.2 " + port);
    EXPECT_EQ(from_a.status.describe(), "exit 0") << from_a.err;
    Outcome from_b = b.sh_on("h1", prog("daytimetcpcli") + " 192.0.2.2 " + port);
    EXPECT_EQ(from_b.status.describe(), "exit 1");
    EXPECT_THAT(from_b.err, HasSubstr("Connection refused"));  // b's own h2 answered

    // Taking a down leaves b working.
    srv.stop();
    EXPECT_EQ(a.down().status.describe(), "exit 0");
    EXPECT_EQ(namespaces_of(b.name()).size(), 3u);
    Process srv_b = b.start("h2", "daytimetcpsrv", {"0"});
    Outcome in_b = b.sh_on("h1", prog("daytimetcpcli") + " 192.0.2.2 " + std::to_string(srv_b.wait_for_port()));
    EXPECT_EQ(in_b.status.describe(), "exit 0") << in_b.err;
}

TEST(LabnetTool, WithoutRootSaysWhatIsNeededInOneLine)
{
    REQUIRE_ROOT();  // to become someone else
    // nobody must be able to run the script: the build tree may sit in a
    // folder only root can enter (a clone under /root), so run a copy.
    char dir[] = "/tmp/socklab-labnet-XXXXXX";
    ASSERT_NE(mkdtemp(dir), nullptr);
    std::filesystem::permissions(dir, std::filesystem::perms(0755));
    struct RemoveDir {
        std::string path;
        ~RemoveDir() { std::filesystem::remove_all(path); }
    } remove_dir{dir};
    std::string copy = std::string(dir) + "/labnet";
    std::filesystem::copy_file(labnet_path(), copy);
    Outcome o = run_to_end({"/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                            copy, "-n", unique_name("user"), "up"});
    EXPECT_EQ(o.status.describe(), "exit 1");
    EXPECT_EQ(o.err,
              "labnet: needs root (CAP_NET_ADMIN and CAP_SYS_ADMIN) to make network namespaces: run "
              "it with sudo\n");
    EXPECT_EQ(o.out, "");
}

TEST(LabnetTool, UsageForWrongArgumentsAndHelp)
{
    Outcome help = run_to_end({labnet_path(), "--help"});
    EXPECT_EQ(help.status.describe(), "exit 0");
    EXPECT_THAT(help.out, HasSubstr("usage: labnet [-n NAME] up [N]"));
    Outcome wrong = run_to_end({labnet_path(), "frobnicate"});
    EXPECT_EQ(wrong.status.describe(), "exit 1");
    EXPECT_THAT(wrong.err, HasSubstr("usage: labnet"));
    Outcome bad_name = run_to_end({labnet_path(), "-n", "a/b", "up"});
    EXPECT_EQ(bad_name.status.describe(), "exit 1");
    EXPECT_THAT(bad_name.err, HasSubstr("-n NAME: letters, digits"));
}

TEST(LabnetLabs, SumAndLotteryServersOnH2ServeClientsOnH1)
{
    REQUIRE_ROOT();
    LabNet net("labs", 2);
    ASSERT_TRUE(net.is_up()) << net.up().err;

    Process sum = net.start("h2", "tcpserv08", {"0"});
    std::string sum_port = std::to_string(sum.wait_for_port());
    Outcome added = net.sh_on("h1", "printf '2 5\\n-3 3\\n' | " + prog("tcpcli08") + " 192.0.2.2 " + sum_port);
    EXPECT_EQ(added.status.describe(), "exit 0") << added.err;
    EXPECT_EQ(added.out, "7\n0\n");

    Process lottery = net.start("h2", "LotteryServer", {"-s", "1", "0"});
    std::string lottery_port = std::to_string(lottery.wait_for_port());
    Outcome played = net.sh_on("h1", "printf '0\\n2\\n' | " + prog("LotteryClient") + " 192.0.2.2 " + lottery_port);
    EXPECT_EQ(played.status.describe(), "exit 0") << played.err;
    EXPECT_THAT(played.out, ContainsRegex("New number generated: [0-9]+"));
    EXPECT_THAT(lottery.wait_for_line(std::regex("192\\.0\\.2\\.1")).value_or(""), HasSubstr("192.0.2.1"))
        << "the server names the client's host";
}
