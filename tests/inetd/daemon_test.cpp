// SPDX-License-Identifier: MIT
// daemon_init (lib/daemon_init.cpp) through daytimed: what becoming a
// daemon leaves to see in /proc, and its log lines at a SyslogReceiver.
#include "inetd_support.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <syslog.h>

#include <fstream>
#include <sstream>

using namespace socklab::test;
using ::testing::HasSubstr;

namespace {

// The fields of /proc/PID/stat after the command name that a daemon changes.
struct Detached {
    pid_t ppid = -1, pgrp = -1, session = -1;
    int tty_nr = -1;  // 0: no controlling terminal
};

Detached detached_of(pid_t pid)
{
    auto st = unp::read_proc_stat(pid);
    if (!st)
        return {};
    return {st->ppid, st->pgrp, st->session, st->tty_nr};
}

std::string proc_link(pid_t pid, const std::string &what)
{
    char buf[4096];
    ssize_t n = readlink(("/proc/" + std::to_string(pid) + "/" + what).c_str(), buf, sizeof buf - 1);
    return n < 0 ? std::string("(") + strerror(errno) + ")" : std::string(buf, static_cast<size_t>(n));
}

std::string umask_of(pid_t pid)
{
    std::ifstream in("/proc/" + std::to_string(pid) + "/status");
    for (std::string line; std::getline(in, line);)
        if (line.rfind("Umask:", 0) == 0)
            return line.substr(line.find_first_not_of(" \t", 6));
    return "";
}

// Starts daytimed [args] under umask 027 with its log to `log`; the
// launcher must exit 0 at once (the daemon's parent _exits).
Process start_daytimed(SyslogReceiver &log, std::vector<std::string> args)
{
    mode_t old = umask(027);
    auto p = Process::run("daytimed", std::move(args), {.env = {log.env(), "TZ=UTC0"}, .cwd = ""});
    umask(old);
    return p;
}

}  // namespace

TEST(DaemonInit, DaytimedDetachesFromTheTerminalAndLogsToSyslog)
{
    SyslogReceiver log;
    auto launcher = start_daytimed(log, {"0"});
    pid_t launcher_pid = launcher.pid();
    ExitStatus st = launcher.wait();
    EXPECT_TRUE(st.exited && st.code == 0) << st.describe() << "\n" << launcher.stderr_text();

    auto listening = log.wait_for(std::regex(R"(^listening on 0\.0\.0\.0, port \d+$)"));
    ASSERT_TRUE(listening) << "log so far:\n" << log.dump();
    DaemonGuard daemon(listening->pid);
    EXPECT_EQ(listening->ident, "daytimed");  // basename of argv[0], LOG_PID
    EXPECT_EQ(listening->facility, LOG_USER >> 3);  // facility 0 means LOG_USER
    EXPECT_EQ(listening->severity, LOG_INFO);        // err_msg

    Detached d = detached_of(daemon.pid());
    EXPECT_NE(d.ppid, launcher_pid) << "the parent that started it has exited: reparented";
    EXPECT_NE(d.ppid, getpid());
    EXPECT_NE(d.session, getsid(0)) << "a session of its own (setsid)";
    EXPECT_EQ(d.pgrp, d.session) << "in the group of that session's leader, child 1";
    EXPECT_NE(d.session, daemon.pid()) << "not the session leader (second fork): can never get a terminal back";
    EXPECT_EQ(d.tty_nr, 0) << "no controlling terminal";
    EXPECT_EQ(proc_link(daemon.pid(), "cwd"), "/");
    for (int fd = 0; fd <= 2; fd++)
        EXPECT_EQ(proc_link(daemon.pid(), "fd/" + std::to_string(fd)), "/dev/null") << "descriptor " << fd;
    EXPECT_EQ(umask_of(daemon.pid()), "0027") << "daemon_init leaves the umask as it was, as the book's does";
}

TEST(DaemonInit, DaytimedServesAndLogsEachClient)
{
    SyslogReceiver log;
    auto launcher = start_daytimed(log, {"0"});
    auto listening = log.wait_for(std::regex(R"(^listening on .*, port (\d+)$)"));
    ASSERT_TRUE(listening) << "log so far:\n" << log.dump();
    DaemonGuard daemon(listening->pid);
    int port = std::stoi(listening->message.substr(listening->message.rfind(' ') + 1));

    for (int i = 0; i < 2; i++) {
        Client c(port);
        ASSERT_TRUE(c.connected()) << strerror(c.errno_value());
        sockaddr_in me{};
        socklen_t len = sizeof me;
        getsockname(c.fd(), reinterpret_cast<sockaddr *>(&me), &len);
        EXPECT_TRUE(std::regex_match(c.recv_all(), std::regex(kDaytimeLine)));
        auto seen = log.wait_for(std::regex("^connection from 127\\.0\\.0\\.1:" + std::to_string(ntohs(me.sin_port)) + "$"));
        ASSERT_TRUE(seen) << "log so far:\n" << log.dump();
        EXPECT_EQ(seen->pid, daemon.pid());
    }
}

TEST(DaemonInit, BindErrorGoesToTheLogAndTheDaemonExits)
{
    SyslogReceiver log;
    RefusingPort taken;  // bound, not listening: bind() there fails with EADDRINUSE
    ASSERT_NE(taken.port(), 0);
    auto launcher = start_daytimed(log, {std::to_string(taken.port())});
    auto error = log.wait_for(std::regex("Address already in use"));
    ASSERT_TRUE(error) << "log so far:\n" << log.dump();
    DaemonGuard daemon(error->pid);
    EXPECT_EQ(error->severity, LOG_ERR);
    EXPECT_EQ(error->message, "tcp_listen error for (any), " + std::to_string(taken.port()) + ": Address already in use");
    EXPECT_TRUE(eventually([&] { return proc_state(daemon.pid()) == 0 || proc_state(daemon.pid()) == 'Z'; }))
        << "the daemon should have exited after the failed bind";
    EXPECT_EQ(launcher.stderr_text(), "") << "nothing reaches the terminal it left";
}

TEST(DaemonInit, BadArgumentsAreReportedOnTheTerminalBeforeDetaching)
{
    auto bad = Process::run("daytimed", {"70000"});
    ExitStatus st = bad.wait();
    EXPECT_TRUE(st.exited && st.code == 1) << st.describe();
    EXPECT_THAT(bad.stderr_text(), HasSubstr("bad port number: 70000"));

    auto extra = Process::run("daytimed", {"1", "2"});
    EXPECT_EQ(extra.wait().code, 1);
    EXPECT_THAT(extra.stderr_text(), HasSubstr("usage: daytimed [port]"));

    auto help = Process::run("daytimed", {"--help"});
    EXPECT_EQ(help.read_rest(), "usage: daytimed [port]\n");
    EXPECT_EQ(help.wait().code, 0);
}

TEST(DaemonInetd, DaytimeinetdFromATerminalSaysDescriptorZeroIsNoSocket)
{
    auto p = Process::run("daytimeinetd");
    p.close_stdin();
    ExitStatus st = p.wait();
    EXPECT_TRUE(st.exited && st.code == 1) << st.describe();
    EXPECT_THAT(p.stderr_text(), HasSubstr("getpeername error on descriptor 0"));
    EXPECT_THAT(p.stderr_text(), HasSubstr("Socket operation on non-socket"));
}
