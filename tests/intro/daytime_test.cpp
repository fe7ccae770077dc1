// SPDX-License-Identifier: MIT
// intro/: the daytime programs, end to end on loopback.
//
// Suite DaytimeLab uses only daytimetcpsrv and daytimetcpcli: the
// exercises grader runs it against a student's binaries
// (SOCKLAB_PROG_daytimetcpsrv=..., SOCKLAB_PROG_daytimetcpcli=...).
// Suite Daytime covers the variants, IPv6 and the protocol-independent pair.
#include "process.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <ctime>
#include <fstream>
#include <optional>

using namespace socklab::test;
using ::testing::HasSubstr;
using ::testing::MatchesRegex;

namespace {

// RFC 867 as ctime() writes it: "Sat Nov 21 10:04:47 2026".
const char *const kDaytime =
    "(Mon|Tue|Wed|Thu|Fri|Sat|Sun) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) "
    "[ 123][0-9] [0-2][0-9]:[0-5][0-9]:[0-6][0-9] [0-9]{4}";

// Exactly one daytime line and its "\r\n", every byte of arg checked
// (gmock's MatchesRegex would stop at a NUL: a server that wrote its
// whole 4 KiB buffer, NUL and garbage included, would pass it).
MATCHER_P(IsDaytimeLine, ending, "is one RFC 867 daytime line ending in " + ::testing::PrintToString(ending))
{
    return std::regex_match(arg, std::regex(std::string(kDaytime) + ending));
}

// How far (in seconds) the time in a daytime line, written in UTC, is from
// now.  (Read back as local time, a line from the hour that repeats when
// summer time ends may come out an hour off.)
double seconds_from_now_utc(const std::string &line)
{
    struct tm tm {};
    if (strptime(line.c_str(), "%a %b %e %H:%M:%S %Y", &tm) == nullptr)
        return 1e9;
    return std::fabs(difftime(time(nullptr), timegm(&tm)));
}

bool have_ipv6_loopback()
{
    int fd = socket(AF_INET6, SOCK_STREAM, 0);
    if (fd < 0)
        return false;
    sockaddr_in6 sa{};
    sa.sin6_family = AF_INET6;
    sa.sin6_addr = in6addr_loopback;
    bool ok = bind(fd, reinterpret_cast<sockaddr *>(&sa), sizeof sa) == 0;
    close(fd);
    return ok;
}

#define REQUIRE_IPV6()                                   \
    do {                                                 \
        if (!have_ipv6_loopback())                       \
            GTEST_SKIP() << "no IPv6 loopback (::1) here"; \
    } while (0)

}  // namespace

// ------------------------------------------------------------ DaytimeLab

TEST(DaytimeLab, ServerSendsOneRfc867Line)
{
    // The server writes local time: make that UTC, whatever zone CI is in.
    auto server = Process::run("daytimetcpsrv", {"0"}, {.env = {"TZ=UTC0"}, .cwd = ""});
    int port = server.wait_for_port();
    ASSERT_NE(port, 0);

    Client c(port);
    ASSERT_TRUE(c.connected()) << strerror(c.errno_value());
    std::string all = c.recv_all();
    EXPECT_THAT(all, IsDaytimeLine("\r\n"))
        << "one line, ending in \\r\\n, then the server closes";
    EXPECT_LT(seconds_from_now_utc(all), 5) << "the server's clock, now (UTC): " << all;
    EXPECT_TRUE(c.closed_by_peer());
}

TEST(DaytimeLab, ClientPrintsTheServersLineAndExitsZero)
{
    auto server = Process::run("daytimetcpsrv", {"0"});
    int port = server.wait_for_port();
    ASSERT_NE(port, 0);

    auto client = Process::run("daytimetcpcli", {"127.0.0.1", std::to_string(port)});
    EXPECT_EQ(client.wait().describe(), "exit 0") << client.stderr_text();
    std::string out = client.read_rest();
    EXPECT_THAT(out, IsDaytimeLine("\r\n"));
}

TEST(DaytimeLab, ClientReportsRefusedConnection)
{
    RefusingPort refusing;
    ASSERT_NE(refusing.port(), 0);
    auto client = Process::run("daytimetcpcli", {"127.0.0.1", std::to_string(refusing.port())});
    auto status = client.wait();
    EXPECT_TRUE(status.exited && status.code != 0) << status.describe();
    EXPECT_THAT(client.stderr_text(), HasSubstr("connect error: Connection refused"));
}

TEST(DaytimeLab, ServerServesClientsOneAfterAnotherWithoutLeaking)
{
    auto server = Process::run("daytimetcpsrv", {"0"});
    int port = server.wait_for_port();
    ASSERT_NE(port, 0);
    int fds_before = server.open_fds();

    for (int i = 0; i < 3; i++) {
        Client c(port);
        ASSERT_TRUE(c.connected());
        EXPECT_THAT(c.recv_all(), IsDaytimeLine("\r\n")) << "client " << i;
    }
    EXPECT_TRUE(server.running());
    // Each connected socket is closed after its line: no descriptor piles up.
    EXPECT_TRUE(eventually([&] { return server.open_fds() == fds_before; }))
        << ::testing::PrintToString(server.fd_targets());
}

TEST(DaytimeLab, ServerSurvivesAClientThatResets)
{
    auto server = Process::run("daytimetcpsrv", {"0"});
    int port = server.wait_for_port();
    ASSERT_NE(port, 0);

    for (int i = 0; i < 5; i++) {  // each may reset before or after the write
        Client rude(port);
        ASSERT_TRUE(rude.connected());
        rude.reset();
    }
    Client c(port);
    ASSERT_TRUE(c.connected());
    EXPECT_THAT(c.recv_all(), IsDaytimeLine("\r\n"));
    EXPECT_TRUE(server.running()) << server.stderr_text();
}

TEST(DaytimeLab, WrongArgumentsPrintUsage)
{
    auto client = Process::run("daytimetcpcli");
    auto status = client.wait();
    EXPECT_TRUE(status.exited && status.code != 0) << status.describe();
    EXPECT_THAT(client.stderr_text(), HasSubstr("usage: daytimetcpcli <IPaddress> [port]"));

    auto server = Process::run("daytimetcpsrv", {"1", "2"});
    status = server.wait();
    EXPECT_TRUE(status.exited && status.code != 0) << status.describe();
    EXPECT_THAT(server.stderr_text(), HasSubstr("usage: daytimetcpsrv [port]"));
}

// --------------------------------------------------------------- Daytime

TEST(Daytime, PrivilegedPortWithoutRootFailsWithAHint)
{
    std::vector<std::string> argv{program_path("daytimetcpsrv"), "13"};
    if (geteuid() == 0) {
        // Root may bind port 13: run the server as nobody to see what a
        // student sees.
        if (access("/usr/bin/setpriv", X_OK) != 0)
            GTEST_SKIP() << "running as root and no setpriv to drop privileges";
        argv.insert(argv.begin(), {"/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"});
    }
    int unprivileged_start = 1024;
    std::ifstream("/proc/sys/net/ipv4/ip_unprivileged_port_start") >> unprivileged_start;
    if (unprivileged_start <= 13)
        GTEST_SKIP() << "this system lets anyone bind port 13 (ip_unprivileged_port_start = "
                     << unprivileged_start << ")";

    auto server = Process::start(argv);
    auto status = server.wait();
    std::string err = server.stderr_text();
    if (err.find("setpriv") != std::string::npos)
        GTEST_SKIP() << "cannot drop privileges here: " << err;
    EXPECT_TRUE(status.exited && status.code != 0) << status.describe();
    EXPECT_THAT(err, HasSubstr("bind error: Permission denied"));
    EXPECT_THAT(err, HasSubstr("ports below 1024 need root"));
}

TEST(Daytime, ReadCountingClientCountsOneReadForOneWrite)
{
    auto server = Process::run("daytimetcpsrv", {"0"});
    int port = server.wait_for_port();
    ASSERT_NE(port, 0);

    auto client = Process::run("daytimetcpcli1", {"127.0.0.1", std::to_string(port)});
    EXPECT_EQ(client.wait().describe(), "exit 0");
    EXPECT_THAT(client.read_rest(), IsDaytimeLine("\r\ncounter = 1\n"));
}

TEST(Daytime, ReadCountingClientSeesOneByteWritesAsAStream)
{
    auto server = Process::run("daytimetcpsrv2", {"0"});
    int port = server.wait_for_port();
    ASSERT_NE(port, 0);

    auto client = Process::run("daytimetcpcli1", {"127.0.0.1", std::to_string(port)});
    EXPECT_EQ(client.wait().describe(), "exit 0");
    std::string out = client.read_rest();
    // The same line as from one write; only the number of reads may differ.
    std::smatch m;
    ASSERT_TRUE(std::regex_match(out, m, std::regex(std::string(kDaytime) + "\r\ncounter = ([0-9]+)\n")))
        << out;
    int counter = std::stoi(m[m.size() - 1]);
    EXPECT_GE(counter, 1);
    EXPECT_LE(counter, 26);
}

TEST(Daytime, ServerAndClientSeeTheSameClientPort)
{
    auto server = Process::run("daytimetcpsrv1", {"0"});
    int port = server.wait_for_port();
    ASSERT_NE(port, 0);

    auto client = Process::run("daytimetcpcli3", {"127.0.0.1", std::to_string(port)});
    auto local = client.wait_for_line(std::regex(R"(^local addr: 127\.0\.0\.1:[0-9]+$)"));
    ASSERT_TRUE(local) << client.stdout_seen() << client.stderr_text();
    EXPECT_THAT(client.read_line().value_or(""), IsDaytimeLine("\r"));
    EXPECT_EQ(client.wait().describe(), "exit 0");

    std::string client_port = local->substr(local->rfind(':') + 1);
    EXPECT_EQ(server.wait_for_line(std::regex("^connection from")),
              "connection from 127.0.0.1, port " + client_port);
}

TEST(Daytime, Ipv6PairOverLoopback)
{
    REQUIRE_IPV6();
    auto server = Process::run("daytimetcpsrvv6", {"0"});
    int port = server.wait_for_port();
    ASSERT_NE(port, 0);
    EXPECT_THAT(server.stdout_seen(), HasSubstr("listening on ::, port"));

    auto client = Process::run("daytimetcpcliv6", {"::1", std::to_string(port)});
    EXPECT_EQ(client.wait().describe(), "exit 0") << client.stderr_text();
    EXPECT_THAT(client.read_rest(), IsDaytimeLine("\r\n"));
    EXPECT_THAT(server.wait_for_line(std::regex("^connection from")).value_or(""),
                MatchesRegex("connection from ::1, port [0-9]+"));
}

TEST(Daytime, Ipv6ServerAlsoServesIpv4ClientsAsMappedAddresses)
{
    REQUIRE_IPV6();
    int v6only = 0;
    std::ifstream("/proc/sys/net/ipv6/bindv6only") >> v6only;
    if (v6only)
        GTEST_SKIP() << "net.ipv6.bindv6only = 1: IPv6 sockets here take no IPv4 clients";
    auto server = Process::run("daytimetcpsrvv6", {"0"});
    int port = server.wait_for_port();
    ASSERT_NE(port, 0);

    auto client = Process::run("daytimetcpcli", {"127.0.0.1", std::to_string(port)});
    EXPECT_EQ(client.wait().describe(), "exit 0") << client.stderr_text();
    EXPECT_THAT(client.read_rest(), IsDaytimeLine("\r\n"));
    EXPECT_THAT(server.wait_for_line(std::regex("^connection from")).value_or(""),
                MatchesRegex("connection from ::ffff:127\\.0\\.0\\.1, port [0-9]+"));
}

TEST(Daytime, Ipv6ClientRefusedAndRejectsIpv4Address)
{
    REQUIRE_IPV6();
    RefusingPort refusing("::1");
    ASSERT_NE(refusing.port(), 0);
    auto refused = Process::run("daytimetcpcliv6", {"::1", std::to_string(refusing.port())});
    auto status = refused.wait();
    EXPECT_TRUE(status.exited && status.code != 0) << status.describe();
    EXPECT_THAT(refused.stderr_text(), HasSubstr("connect error: Connection refused"));

    auto v4 = Process::run("daytimetcpcliv6", {"127.0.0.1", "13"});
    status = v4.wait();
    EXPECT_TRUE(status.exited && status.code != 0) << status.describe();
    EXPECT_THAT(v4.stderr_text(), HasSubstr("inet_pton error for 127.0.0.1"));
}

TEST(Daytime, ProtocolIndependentPairOverIpv4)
{
    auto server = Process::run("daytimetcpsrv_names", {"127.0.0.1", "0"});
    int port = server.wait_for_port();
    ASSERT_NE(port, 0);
    EXPECT_THAT(server.stdout_seen(), HasSubstr("listening on 127.0.0.1, port"));
    // "localhost" may name ::1 first: the client tries it, is refused, and
    // goes on to 127.0.0.1.  Hold [::1]:port meanwhile, so that no server
    // of a test running in parallel can answer there instead.
    std::optional<RefusingPort> v6_refusing;
    if (have_ipv6_loopback())
        v6_refusing.emplace("::1", port);

    for (std::string host : {"127.0.0.1", "localhost"}) {
        auto client = Process::run("daytimetcpcli_names", {host, std::to_string(port)});
        EXPECT_EQ(client.wait().describe(), "exit 0") << host << ": " << client.stderr_text();
        EXPECT_THAT(client.read_rest(), MatchesRegex("connected to 127\\.0\\.0\\.1\n" + std::string(kDaytime) + "\r\n"))
            << host;
        EXPECT_THAT(server.wait_for_line(std::regex("^connection from")).value_or(""),
                    MatchesRegex("connection from 127\\.0\\.0\\.1:[0-9]+"));
    }
}

TEST(Daytime, ProtocolIndependentPairOverIpv6)
{
    REQUIRE_IPV6();
    auto server = Process::run("daytimetcpsrv_names", {"::1", "0"});
    int port = server.wait_for_port();
    ASSERT_NE(port, 0);
    EXPECT_THAT(server.stdout_seen(), HasSubstr("listening on ::1, port"));

    auto client = Process::run("daytimetcpcli_names", {"::1", std::to_string(port)});
    EXPECT_EQ(client.wait().describe(), "exit 0") << client.stderr_text();
    EXPECT_THAT(client.read_rest(), MatchesRegex("connected to ::1\n" + std::string(kDaytime) + "\r\n"));
    EXPECT_THAT(server.wait_for_line(std::regex("^connection from")).value_or(""),
                MatchesRegex("connection from \\[::1\\]:[0-9]+"));
}

TEST(Daytime, ProtocolIndependentClientReportsRefusedAndUnknownService)
{
    RefusingPort refusing;
    ASSERT_NE(refusing.port(), 0);
    int port = refusing.port();
    auto refused = Process::run("daytimetcpcli_names", {"127.0.0.1", std::to_string(port)});
    auto status = refused.wait();
    EXPECT_TRUE(status.exited && status.code != 0) << status.describe();
    EXPECT_THAT(refused.stderr_text(),
                HasSubstr("tcp_connect error for 127.0.0.1, " + std::to_string(port) + ": Connection refused"));

    auto unknown = Process::run("daytimetcpcli_names", {"127.0.0.1", "no-such-service"});
    status = unknown.wait();
    EXPECT_TRUE(status.exited && status.code != 0) << status.describe();
    EXPECT_THAT(unknown.stderr_text(), HasSubstr("tcp_connect error for 127.0.0.1, no-such-service: "));
}

TEST(Byteorder, PrintsThisHostsByteOrder)
{
    auto p = Process::run("byteorder");
    EXPECT_EQ(p.wait().describe(), "exit 0");
    std::string expected = std::endian::native == std::endian::little ? "little-endian" : "big-endian";
    EXPECT_EQ(p.read_line(), expected);
    EXPECT_EQ(p.read_line(), "htons(0x0102) is stored as 01 02 (network byte order)");
}
