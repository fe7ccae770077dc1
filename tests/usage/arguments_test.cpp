// SPDX-License-Identifier: MIT
// What a user sees after a mistake on the command line: a name where a
// numeric client wants an address, a port no server has, a port held by
// connections in TIME_WAIT.
#include "process.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace socklab::test {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

struct Mistake {
    std::string program;
    std::vector<std::string> args;
    std::string message;  // on stderr, after an exit 1
};

TEST(ClientArguments, NamesBadAddressesAndPortsTheWayAClientNeeds)
{
    const std::vector<Mistake> mistakes = {
        {"daytimetcpcli", {"localhost"},
         "inet_pton error for localhost: not a numeric IPv4 address such as 127.0.0.1 (for host "
         "names, use a client that calls getaddrinfo, e.g. daytimetcpcli_names)"},
        {"daytimetcpcliv6", {"localhost"}, "not a numeric IPv6 address such as ::1"},
        {"daytimetcpcli", {"127.0.0.1", "0"},
         "bad port number: 0 (the server's port, from 1 to 65535)"},
        {"tcpcli01", {"127.0.0.1", "99999"},
         "bad port number: 99999 (the server's port, from 1 to 65535)"},
        {"udpcli01", {"127.0.0.1", "65536"},
         "bad port number: 65536 (the server's port, from 1 to 65535)"},
        {"daytimetcpcli_names", {"127.0.0.1", "99999"},
         "tcp_connect error for 127.0.0.1, 99999: not a port (a server's port is 1 to 65535)"},
        {"daytimetcpcli_names", {"127.0.0.1", "0"}, "not a port (a server's port is 1 to 65535)"},
        {"daytimetcpsrv_names", {"65536"},
         "tcp_listen error for (any), 65536: not a port (use 1024..65535, or 0 to let the kernel "
         "choose)"},
    };
    for (const auto &m : mistakes) {
        SCOPED_TRACE(m.program + " " + ::testing::PrintToString(m.args));
        Process p = Process::run(m.program, m.args);
        EXPECT_EQ(p.wait(5s).describe(), "exit 1");
        EXPECT_THAT(p.stderr_text(), HasSubstr(m.message));
    }
}

// A bad value names what was wrong, then repeats the usage line, so the
// student sees at once what the program does take (err_usage).
TEST(ClientArguments, ABadValueIsFollowedByTheUsageLine)
{
    const std::vector<Mistake> mistakes = {
        {"daytimetcpcli", {"localhost"}, "e.g. daytimetcpcli_names)\nusage: daytimetcpcli <IPaddress> [port]\n"},
        {"tcpcli01", {"127.0.0.1", "99999"}, "from 1 to 65535)\nusage: tcpcli01 <IPaddress> [port]\n"},
        {"tcpserv01", {"http"}, "let the kernel choose)\nusage: tcpserv01 [port]\n"},
        {"udpcli01", {"::1"}, "not a numeric IPv4 address such as 127.0.0.1"},
        {"LotteryServer", {"-s", "ten"}, "4294967295)\nusage: LotteryServer [-s SEED] [port]\n"},
        {"zombies", {"-n", "0"}, "not 0\nusage: zombies"},
        {"connectnonb", {"127.0.0.1", "9", "0"}, "not 0\nusage: connectnonb <IPaddress> <port> [seconds]\n"},
    };
    for (const auto &m : mistakes) {
        SCOPED_TRACE(m.program + " " + ::testing::PrintToString(m.args));
        Process p = Process::run(m.program, m.args);
        EXPECT_EQ(p.wait(5s).describe(), "exit 1");
        std::string err = p.stderr_text();
        EXPECT_THAT(err, HasSubstr(m.message));
        EXPECT_THAT(err, HasSubstr("\nusage: " + m.program));
    }
}

// tcpserv00 binds without SO_REUSEADDR, as the book's first servers do.
// Killed while a client is connected, its end closes first, so its port
// stays in TIME_WAIT: no listener, and still bind() fails.
TEST(BindHint, TimeWaitAloneIsToldApartFromAListener)
{
    Process first = Process::run("tcpserv00", {"0"});
    int port = first.wait_for_port();
    ASSERT_NE(port, 0);
    {
        Client c(port);
        ASSERT_TRUE(c.connected());
        ASSERT_TRUE(c.send("hello\n"));
        ASSERT_EQ(c.recv_line(), "hello");

        // While it listens, a second server is told about the listener.
        Process second = Process::run("tcpserv00", {std::to_string(port)});
        EXPECT_EQ(second.wait(5s).describe(), "exit 1");
        EXPECT_THAT(second.stderr_text(), HasSubstr("bind error: Address already in use\n"
                                                    "hint: another socket holds this port"));
        first.stop();              // the kernel closes the server's end: FIN
        EXPECT_TRUE(c.closed_by_peer());
    }  // and the client's FIN: the server's end enters TIME_WAIT

    Process restarted = Process::run("tcpserv00", {std::to_string(port)});
    EXPECT_EQ(restarted.wait(5s).describe(), "exit 1");
    std::string err = restarted.stderr_text();
    EXPECT_THAT(err, HasSubstr("bind error: Address already in use\n"));
    EXPECT_THAT(err, HasSubstr("TIME_WAIT"));
    EXPECT_THAT(err, HasSubstr("SO_REUSEADDR"));
    EXPECT_THAT(err, Not(HasSubstr("ss -ltnp")));
}

}  // namespace
}  // namespace socklab::test
