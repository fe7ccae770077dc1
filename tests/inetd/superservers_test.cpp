// SPDX-License-Identifier: MIT
// The same server for inetd under the real super-servers a student's
// system has: Debian's openbsd-inetd (foreground, a private CONF on an
// unprivileged loopback port) and systemd-socket-activate --inetd.  The
// client gets the same daytime line, and daytimeinetd logs the peer, as
// under tinyinetd.
#include "inetd_support.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <pwd.h>

using namespace socklab::test;

namespace {

const char *const kOpenbsdInetd = "/usr/sbin/inetd";
const char *const kSocketActivate = "/usr/bin/systemd-socket-activate";

// Connects (retrying until the super-server has bound the port), reads
// the daytime line, and checks that daytimeinetd logged this client.
void expect_daytime_and_peer_logged(int port, SyslogReceiver &log)
{
    std::optional<Client> c;
    ASSERT_TRUE(eventually([&] {
        c.emplace(port, "127.0.0.1", 1s);
        return c->connected();
    })) << "nothing listening on port " << port;
    sockaddr_in me{};
    socklen_t len = sizeof me;
    getsockname(c->fd(), reinterpret_cast<sockaddr *>(&me), &len);
    std::string answer = c->recv_all();
    EXPECT_TRUE(std::regex_match(answer, std::regex(kDaytimeLine))) << "got: " << answer;
    auto seen = log.wait_for(std::regex("^connection from 127\\.0\\.0\\.1:" + std::to_string(ntohs(me.sin_port)) + "$"));
    ASSERT_TRUE(seen) << "log so far:\n" << log.dump();
    EXPECT_EQ(seen->ident, "daytimeinetd");
}

}  // namespace

TEST(SuperServers, DaytimeinetdUnderTinyinetd)
{
    SyslogReceiver log;
    Tinyinetd inetd("127.0.0.1:0 stream tcp nowait " + me() + " " + server("daytimeinetd") + " daytimeinetd\n", log);
    auto port = inetd.wait_for_services(1);
    ASSERT_EQ(port.count(1), 1u);
    expect_daytime_and_peer_logged(port[1], log);
}

TEST(SuperServers, DaytimeinetdUnderOpenbsdInetd)
{
    if (access(kOpenbsdInetd, X_OK) != 0)
        GTEST_SKIP() << kOpenbsdInetd << " not installed (apt-get install openbsd-inetd)";
    SyslogReceiver log;
    struct passwd *me = getpwuid(getuid());
    ASSERT_NE(me, nullptr);
    int port = free_port();
    ASSERT_NE(port, 0);
    ScratchFile conf("inetd.conf");
    conf.write("127.0.0.1:" + std::to_string(port) + " stream tcp nowait " + me->pw_name + " " +
               server("daytimeinetd") + " daytimeinetd\n");
    // -d: foreground, debug lines on stderr; -E: keep the environment
    // (SOCKLAB_SYSLOG_SOCKET), which openbsd-inetd otherwise launders.
    auto inetd = Process::start({kOpenbsdInetd, "-d", "-E", conf.path()}, {.env = {log.env()}, .cwd = ""});
    expect_daytime_and_peer_logged(port, log);
    EXPECT_TRUE(inetd.running()) << inetd.stderr_text();
}

TEST(SuperServers, DaytimeinetdUnderSystemdSocketActivate)
{
    if (access(kSocketActivate, X_OK) != 0)
        GTEST_SKIP() << kSocketActivate << " not installed (part of systemd)";
    SyslogReceiver log;
    int port = free_port();
    ASSERT_NE(port, 0);
    // --inetd: the connection on 0 and 1, as inetd does; -a: one server per connection.
    auto activator = Process::start({kSocketActivate, "-l", "127.0.0.1:" + std::to_string(port), "--inetd", "-a",
                                     "-E", log.env(), server("daytimeinetd")});
    expect_daytime_and_peer_logged(port, log);
    EXPECT_TRUE(activator.running()) << activator.stderr_text();
}
