// SPDX-License-Identifier: MIT
// tinyinetd: built-in services over TCP and UDP, external servers
// (nowait and wait), reaping, SIGHUP, bad lines, bind failures, the rate
// limit, and user switching.  Every service binds 127.0.0.1 port 0, and
// the test reads the ports tinyinetd prints per CONF line.
#include "inetd_support.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <pwd.h>
#include <syslog.h>

#include <filesystem>
#include <fstream>
#include <memory>

using namespace socklab::test;
using ::testing::HasSubstr;

namespace {

// Line L of CONF is "127.0.0.1:0 <rest>" for each rest, from line 1.
std::string conf_of(const std::vector<std::string> &rests)
{
    std::string text;
    for (const auto &r : rests)
        text += "127.0.0.1:0 " + r + "\n";
    return text;
}

// Lines 1 to 5: echo, discard, daytime, chargen, time, built in.
std::vector<std::string> every_internal(const std::string &type_proto_wait)
{
    std::vector<std::string> rests;
    for (const char *name : {"echo", "discard", "daytime", "chargen", "time"})
        rests.push_back(type_proto_wait + " nobody internal " + name);
    return rests;
}

// RFC 864's pattern: line k is 72 characters from ' ' + k, cyclic over 95.
std::string chargen_lines(unsigned from, unsigned count)
{
    std::string out;
    for (unsigned k = from; k < from + count; k++) {
        for (unsigned i = 0; i < 72; i++)
            out += static_cast<char>(' ' + (k + i) % 95);
        out += "\r\n";
    }
    return out;
}

// RFC 868's answer as host seconds since 1970.
long long time_answer(const std::string &four)
{
    if (four.size() != 4)
        return -1;
    uint32_t be;
    memcpy(&be, four.data(), 4);
    return static_cast<long long>(ntohl(be)) - 2208988800LL;
}

int local_port(const Client &c)
{
    sockaddr_in me{};
    socklen_t len = sizeof me;
    getsockname(c.fd(), reinterpret_cast<sockaddr *>(&me), &len);
    return ntohs(me.sin_port);
}

std::string uid_line(pid_t pid)
{
    std::ifstream in("/proc/" + std::to_string(pid) + "/status");
    for (std::string line; std::getline(in, line);)
        if (line.rfind("Uid:", 0) == 0)
            return line;
    return "";
}

}  // namespace

TEST(Tinyinetd, InternalServicesOverTcp)
{
    SyslogReceiver log;
    Tinyinetd inetd(conf_of(every_internal("stream tcp nowait")), log);
    auto port = inetd.wait_for_services(5);
    ASSERT_EQ(port.size(), 5u);

    Client echo(port[1]);
    ASSERT_TRUE(echo.send("hello, inetd\n"));
    EXPECT_EQ(echo.recv_line(), "hello, inetd");

    Client discard(port[2]);
    ASSERT_TRUE(discard.send("into the void\n"));
    discard.shutdown_write();
    EXPECT_EQ(discard.recv_all(), "") << "discard answers nothing, and closes after the client";

    Client daytime(port[3]);
    EXPECT_TRUE(std::regex_match(daytime.recv_all(), std::regex(kDaytimeLine)));

    Client chargen(port[4]);
    EXPECT_EQ(chargen.recv_exact(3 * 74), chargen_lines(0, 3)) << "the test reads 3 lines, then closes";
    chargen.close();

    Client timesrv(port[5]);
    long long t = time_answer(timesrv.recv_all());
    EXPECT_LE(std::llabs(t - time(nullptr)), 2) << "RFC 868 seconds since 1900";
}

TEST(Tinyinetd, InternalServicesOverUdp)
{
    SyslogReceiver log;
    Tinyinetd inetd(conf_of(every_internal("dgram udp wait")), log);
    auto port = inetd.wait_for_services(5);
    ASSERT_EQ(port.size(), 5u);

    EXPECT_EQ(udp_exchange(port[1], "ping"), "ping");
    EXPECT_EQ(udp_exchange(port[2], "lost", 300ms), std::nullopt) << "discard never answers";
    auto daytime = udp_exchange(port[3], "");
    ASSERT_TRUE(daytime);
    EXPECT_TRUE(std::regex_match(*daytime, std::regex(kDaytimeLine)));
    EXPECT_EQ(udp_exchange(port[4], ""), chargen_lines(0, 1));
    EXPECT_EQ(udp_exchange(port[4], ""), chargen_lines(1, 1)) << "the next datagram, the next line";
    auto t = udp_exchange(port[5], "");
    ASSERT_TRUE(t);
    EXPECT_LE(std::llabs(time_answer(*t) - time(nullptr)), 2);
    EXPECT_EQ(udp_exchange(port[1], "still there"), "still there") << "discard's silence broke nothing";
}

TEST(Tinyinetd, ExternalNowaitServersGetTheConnectionAndLogThePeer)
{
    SyslogReceiver log;
    Tinyinetd inetd(conf_of({"stream tcp nowait " + me() + " " + server("daytimeinetd") + " daytimeinetd",
                             "stream tcp nowait " + me() + " " + server("echoinetd") + " echoinetd"}),
                    log);
    auto port = inetd.wait_for_services(2);
    ASSERT_EQ(port.size(), 2u);

    Client daytime(port[1]);
    int me = local_port(daytime);
    EXPECT_TRUE(std::regex_match(daytime.recv_all(), std::regex(kDaytimeLine)));
    auto seen = log.wait_for(std::regex("^connection from 127\\.0\\.0\\.1:" + std::to_string(me) + "$"));
    ASSERT_TRUE(seen) << "log so far:\n" << log.dump();
    EXPECT_EQ(seen->ident, "daytimeinetd");
    EXPECT_NE(seen->pid, inetd.process().pid()) << "logged by the exec'd server, not by tinyinetd";

    Client echo(port[2]);
    me = local_port(echo);
    ASSERT_TRUE(echo.send("line one\nline two\n"));
    EXPECT_EQ(echo.recv_line(), "line one");
    EXPECT_EQ(echo.recv_line(), "line two");
    echo.shutdown_write();
    EXPECT_TRUE(echo.closed_by_peer()) << "echoinetd exits at the client's EOF";
    seen = log.wait_for(std::regex("^connection from 127\\.0\\.0\\.1:" + std::to_string(me) + "$"));
    ASSERT_TRUE(seen) << "log so far:\n" << log.dump();
    EXPECT_EQ(seen->ident, "echoinetd");
}

TEST(Tinyinetd, WaitUdpServiceLendsItsSocketToOneServer)
{
    SyslogReceiver log;
    Tinyinetd inetd(conf_of({"dgram udp wait " + me() + " " + server("echoinetd") + " echoinetd 1"}), log);
    auto port = inetd.wait_for_services(1);
    ASSERT_EQ(port.size(), 1u);

    EXPECT_EQ(udp_exchange(port[1], "first"), "first");
    EXPECT_EQ(udp_exchange(port[1], "second"), "second");
    auto a = log.wait_for(std::regex("^datagram from .*, 5 bytes$"));
    auto b = log.wait_for(std::regex("^datagram from .*, 6 bytes$"));
    ASSERT_TRUE(a && b) << "log so far:\n" << log.dump();
    EXPECT_EQ(a->pid, b->pid) << "one server has the socket and answers both (wait)";
    EXPECT_EQ(inetd.process().children().size(), 1u);

    // After 1 s without a datagram that server exits; tinyinetd reaps it
    // and watches the socket again: the next datagram starts a new one.
    EXPECT_TRUE(eventually([&] { return inetd.process().children().empty(); }, 5s));
    EXPECT_EQ(udp_exchange(port[1], "third"), "third");
    auto c = log.wait_for(std::regex("^datagram from .*, 5 bytes$"));
    ASSERT_TRUE(c) << "log so far:\n" << log.dump();
    EXPECT_NE(c->pid, a->pid);
}

TEST(Tinyinetd, FiftyConnectionsLeaveNoZombieAndNoDescriptor)
{
    SyslogReceiver log;
    Tinyinetd inetd(conf_of({"stream tcp nowait " + me() + " " + server("daytimeinetd") + " daytimeinetd",
                             "stream tcp nowait nobody internal echo"}),
                    log, {"-R", "1000"});
    auto port = inetd.wait_for_services(2);
    ASSERT_EQ(port.size(), 2u);
    int fds_before = inetd.process().open_fds();

    for (int i = 0; i < 50; i++) {
        Client c(port[i % 2 + 1]);
        ASSERT_TRUE(c.connected()) << "connection " << i << ": " << strerror(c.errno_value());
        if (i % 2 == 0) {
            EXPECT_TRUE(std::regex_match(c.recv_all(), std::regex(kDaytimeLine))) << "connection " << i;
        } else {
            c.send("x\n");
            EXPECT_EQ(c.recv_line(), "x");
        }
    }
    EXPECT_TRUE(eventually([&] { return inetd.process().children().empty(); }))
        << inetd.process().children().size() << " children left, " << inetd.process().zombie_children()
        << " of them zombies";
    EXPECT_EQ(inetd.process().zombie_children(), 0);
    EXPECT_EQ(inetd.process().open_fds(), fds_before);
}

TEST(Tinyinetd, SighupStartsAddedServicesStopsRemovedOnesKeepsTheRest)
{
    SyslogReceiver log;
    Tinyinetd inetd(conf_of({"stream tcp nowait nobody internal echo", "stream tcp nowait nobody internal discard"}),
                    log);
    auto before = inetd.wait_for_services(2);
    ASSERT_EQ(before.size(), 2u);
    Client held(before[1]);  // a connection to echo, open across the reload
    ASSERT_TRUE(held.send("before\n"));
    EXPECT_EQ(held.recv_line(), "before");

    // Line 1 unchanged, discard removed, daytime added (now line 3).
    inetd.conf().write("127.0.0.1:0 stream tcp nowait nobody internal echo\n"
                       "# discard is gone\n"
                       "127.0.0.1:0 stream tcp nowait nobody internal daytime\n");
    inetd.process().kill(SIGHUP);
    auto after = inetd.wait_for_services(1);
    ASSERT_EQ(after.count(3), 1u) << "the added daytime line should be listening";

    Client daytime(after[3]);
    EXPECT_TRUE(std::regex_match(daytime.recv_all(), std::regex(kDaytimeLine)));
    Client echo(before[1]);
    ASSERT_TRUE(echo.send("same port\n"));
    EXPECT_EQ(echo.recv_line(), "same port") << "the unchanged line kept its socket, and its port";
    ASSERT_TRUE(held.send("after\n"));
    EXPECT_EQ(held.recv_line(), "after") << "a server already running is not disturbed";
    Client discard(before[2]);
    EXPECT_FALSE(discard.connected()) << "the removed service's socket is closed";
    EXPECT_THAT(inetd.process().stderr_text(), HasSubstr("line 2 (127.0.0.1:0 stream tcp): removed"));
}

TEST(Tinyinetd, BadLinesAreReportedWithTheirNumberAndSkipped)
{
    SyslogReceiver log;
    Tinyinetd inetd("# a comment, then a good line\n"
                    "127.0.0.1:0 stream tcp nowait nobody internal echo\n"
                    "127.0.0.1:0 stream udp nowait nobody internal echo\n"
                    "\n"
                    "127.0.0.1:0 stream tcp nowait nobody internal fortune\n"
                    "127.0.0.1:0 stream tcp nowait nosuchuser internal echo\n"
                    "127.0.0.1:0 stream tcp\n"
                    "127.0.0.1:0 dgram udp wait nobody internal daytime\n",
                    log);
    auto port = inetd.wait_for_services(2);
    EXPECT_EQ(port.count(2), 1u);
    EXPECT_EQ(port.count(8), 1u);
    std::string conf = inetd.conf().path();
    ASSERT_TRUE(eventually([&] { return inetd.process().stderr_text().find("started:") != std::string::npos; }));
    std::string err = inetd.process().stderr_text();
    EXPECT_THAT(err, HasSubstr(conf + ":3: \"stream udp\": expected stream tcp or dgram udp; line skipped"));
    EXPECT_THAT(err, HasSubstr(conf + ":5: \"fortune\": no such internal service"));
    EXPECT_THAT(err, HasSubstr(conf + ":6: \"nosuchuser\": no such user"));
    EXPECT_THAT(err, HasSubstr(conf + ":7: expected at least 6 fields"));
    EXPECT_THAT(err, HasSubstr("started: 2 services"));
}

TEST(Tinyinetd, AServiceThatCannotBindIsReportedAndTheOthersStart)
{
    SyslogReceiver log;
    RefusingPort taken;
    ASSERT_NE(taken.port(), 0);
    Tinyinetd inetd("127.0.0.1:" + std::to_string(taken.port()) + " stream tcp nowait nobody internal echo\n" +
                        conf_of({"stream tcp nowait nobody internal daytime"}),
                    log);
    auto port = inetd.wait_for_services(1);
    ASSERT_EQ(port.count(2), 1u);
    Client daytime(port[2]);
    EXPECT_TRUE(std::regex_match(daytime.recv_all(), std::regex(kDaytimeLine)));
    EXPECT_THAT(inetd.process().stderr_text(),
                HasSubstr("line 1 (127.0.0.1:" + std::to_string(taken.port()) + " stream tcp): bind error on 127.0.0.1:" +
                          std::to_string(taken.port()) + ": Address already in use"));
}

TEST(Tinyinetd, RateLimitHoldsAgainstAFloodAndTheServiceComesBack)
{
    SyslogReceiver log;
    Tinyinetd inetd(conf_of({"stream tcp nowait.10 " + me() + " " + server("daytimeinetd") + " daytimeinetd"}), log);
    auto port = inetd.wait_for_services(1);
    ASSERT_EQ(port.size(), 1u);

    // 500 connections at once (the kernel completes each handshake into
    // the listen queue), then see which got a server.
    std::vector<std::unique_ptr<Client>> flood;
    for (int i = 0; i < 500; i++)
        flood.push_back(std::make_unique<Client>(port[1], "127.0.0.1", 2s));
    int served = 0, turned_away = 0;
    for (auto &c : flood)
        (c->connected() && c->recv_line(3s) ? served : turned_away)++;
    flood.clear();
    RecordProperty("served", served);  // in --gtest_output=xml, for the curious
    EXPECT_GE(served, 10) << "the first 10 in a second are served";
    EXPECT_LE(served, 30) << "a flood of 500 must not start 500 servers";
    EXPECT_GE(turned_away, 470);
    EXPECT_THAT(inetd.process().stderr_text(), HasSubstr("more than 10 connections in one second: stopped for 3 s"));

    // The pause ends, the socket comes back on the same port.
    EXPECT_TRUE(eventually(
        [&] {
            Client c(port[1], "127.0.0.1", 1s);
            return c.connected() && c.recv_line(1s).has_value();
        },
        8s));
    EXPECT_TRUE(eventually([&] { return inetd.process().children().empty(); }));
    EXPECT_EQ(inetd.process().zombie_children(), 0);
}

TEST(Tinyinetd, UserFieldIsHonouredAsRootAndRefusedOtherwise)
{
    SyslogReceiver log;
    if (getuid() != 0) {
        std::string other = me() == "nobody" ? "root" : "nobody";
        Tinyinetd inetd(conf_of({"stream tcp nowait " + other + " " + server("echoinetd") + " echoinetd",
                                 "stream tcp nowait " + me() + " " + server("echoinetd") + " echoinetd"}),
                        log);
        auto port = inetd.wait_for_services(1);
        EXPECT_EQ(port.count(2), 1u) << "a server as tinyinetd's own user is fine";
        EXPECT_THAT(inetd.process().stderr_text(),
                    HasSubstr("line 1 (127.0.0.1:0 stream tcp): cannot run a server as " + other +
                              ": only root can change user"));
        GTEST_SKIP() << "not root: checked that `user " << other << "` is refused; running a server as nobody needs root";
    }
    struct passwd *nobody = getpwnam("nobody");
    ASSERT_NE(nobody, nullptr);
    std::string uid = std::to_string(nobody->pw_uid);
    // nobody must be able to exec the server: the build tree may sit in a
    // folder only root can enter (a clone under /root), so run a copy.
    char dir[] = "/tmp/socklab-inetd-XXXXXX";
    ASSERT_NE(mkdtemp(dir), nullptr);
    std::filesystem::permissions(dir, std::filesystem::perms(0755));
    std::string echoinetd = std::string(dir) + "/echoinetd";
    std::filesystem::copy_file(server("echoinetd"), echoinetd);
    struct RemoveDir {
        std::string path;
        ~RemoveDir() { std::filesystem::remove_all(path); }
    } remove_dir{dir};
    Tinyinetd inetd(conf_of({"stream tcp nowait nobody " + echoinetd + " echoinetd"}), log);
    auto port = inetd.wait_for_services(1);
    ASSERT_EQ(port.size(), 1u);
    Client c(port[1]);
    ASSERT_TRUE(c.send("who\n"));
    EXPECT_EQ(c.recv_line(), "who");  // the server is up: now look at it
    auto kids = inetd.process().children();
    ASSERT_EQ(kids.size(), 1u);
    EXPECT_EQ(uid_line(kids[0]), "Uid:\t" + uid + "\t" + uid + "\t" + uid + "\t" + uid)
        << "real, effective, saved and file-system uid all nobody";
}

TEST(Tinyinetd, UsageAndHelp)
{
    auto none = Process::run("tinyinetd");
    EXPECT_EQ(none.wait().code, 1);
    EXPECT_THAT(none.stderr_text(), HasSubstr("usage: tinyinetd [-d] [-R rate] -f CONF"));
    auto help = Process::run("tinyinetd", {"-h"});
    EXPECT_EQ(help.read_rest(), "usage: tinyinetd [-d] [-R rate] -f CONF\n");
    EXPECT_EQ(help.wait().code, 0);
    auto missing = Process::run("tinyinetd", {"-d", "-f", "/nonexistent/inetd.conf"});
    EXPECT_EQ(missing.wait().code, 1);
    EXPECT_THAT(missing.stderr_text(), HasSubstr("cannot open /nonexistent/inetd.conf: No such file or directory"));
}

TEST(Tinyinetd, AsADaemonItLogsToSyslog)
{
    SyslogReceiver log;
    ScratchFile conf("inetd.conf");
    conf.write(conf_of({"stream tcp nowait nobody internal echo"}));
    auto launcher = Process::run("tinyinetd", {"-f", conf.path()}, {.env = {log.env()}, .cwd = ""});
    EXPECT_EQ(launcher.wait().code, 0);
    auto line = log.wait_for(std::regex("^listening on 127\\.0\\.0\\.1, port \\d+: line 1 "));
    ASSERT_TRUE(line) << "log so far:\n" << log.dump();
    DaemonGuard daemon(line->pid);
    EXPECT_EQ(line->ident, "tinyinetd");
    EXPECT_EQ(line->facility, LOG_DAEMON >> 3);
    auto port = parse_announcement(line->message);
    ASSERT_TRUE(port);
    Client c(port->second);
    ASSERT_TRUE(c.send("daemon\n"));
    EXPECT_EQ(c.recv_line(), "daemon");
}
