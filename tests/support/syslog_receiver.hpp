// SPDX-License-Identifier: MIT
// A syslog daemon small enough for a test: a unix datagram socket at a
// fresh path that collects the lines daemons send to it.  A thread reads
// the socket all the time, as a real syslog does: a unix datagram socket
// queues only a few datagrams (net.unix.max_dgram_qlen, 10 by default),
// and a daemon logging to a full one blocks in send().
//
// Daemons of the kit log there when their environment holds env() (the
// variable SOCKLAB_SYSLOG_SOCKET that libunp's daemon_openlog honours; see
// lib/daemon_log.cpp), so no root, no /dev/log and no machine syslog are
// needed.  The lines are RFC 3164 as glibc writes them to /dev/log:
//     <PRI>Mmm dd hh:mm:ss IDENT[PID]: MESSAGE
#ifndef SOCKLAB_TEST_SYSLOG_RECEIVER_HPP
#define SOCKLAB_TEST_SYSLOG_RECEIVER_HPP

#include "process.hpp"

#include <condition_variable>
#include <mutex>
#include <optional>
#include <regex>
#include <string>
#include <thread>
#include <vector>

namespace socklab::test {

// One received line, taken apart.
struct SyslogLine {
    int facility = -1;  // LOG_USER >> 3 == 1, LOG_DAEMON >> 3 == 3, ...
    int severity = -1;  // LOG_ERR == 3, LOG_INFO == 6, ...
    std::string timestamp;  // "Dec  1 19:27:38"
    std::string ident;      // "daytimed"
    pid_t pid = -1;         // -1 without LOG_PID
    std::string message;
    std::string raw;
};

// The one parser of that format; nullopt if text is not such a line.
std::optional<SyslogLine> parse_syslog_line(const std::string &text);

class SyslogReceiver {
public:
    SyslogReceiver();   // binds; path() is "" (and the test fails) if it cannot
    ~SyslogReceiver();  // closes and removes the socket and its directory
    SyslogReceiver(const SyslogReceiver &) = delete;
    SyslogReceiver &operator=(const SyslogReceiver &) = delete;

    const std::string &path() const { return path_; }
    // "SOCKLAB_SYSLOG_SOCKET=<path>", for Process::Options::env.
    std::string env() const { return "SOCKLAB_SYSLOG_SOCKET=" + path_; }

    // The first line not yet returned by wait_for whose message matches
    // pattern (search), waiting for more until the deadline; nullopt then.
    std::optional<SyslogLine> wait_for(const std::regex &pattern, Millis timeout = kDefaultTimeout);
    // Everything received so far.
    std::vector<SyslogLine> lines();
    // All lines so far, one per line, for failure messages.
    std::string dump();

private:
    void read_loop();  // the thread: until stop_ is written to
    unp::Fd fd_;
    unp::Fd stop_read_, stop_write_;  // a pipe that ends read_loop
    std::string dir_, path_;
    std::mutex mutex_;
    std::condition_variable arrived_;
    std::vector<SyslogLine> lines_;  // guarded by mutex_
    size_t next_ = 0;  // lines before this were returned by wait_for or skipped
    std::thread reader_;
};

// Ends a detached daemon and whatever it started: the daemon left the
// test's process group (setsid), so Process::stop() cannot reach it.  On
// destruction, SIGKILL to the daemon's process group (its session leader
// has exited, but the group remains) and to the pid itself.
class DaemonGuard {
public:
    DaemonGuard() = default;
    explicit DaemonGuard(pid_t pid) { watch(pid); }
    ~DaemonGuard() { kill_now(); }
    DaemonGuard(const DaemonGuard &) = delete;
    DaemonGuard &operator=(const DaemonGuard &) = delete;
    void watch(pid_t pid);
    pid_t pid() const { return pid_; }
    void kill_now();  // waits until the pid is gone

private:
    pid_t pid_ = -1;
    pid_t pgid_ = -1;
};

}  // namespace socklab::test

#endif  // SOCKLAB_TEST_SYSLOG_RECEIVER_HPP
