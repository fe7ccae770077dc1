// SPDX-License-Identifier: MIT
#include "syslog_receiver.hpp"

#include <sys/un.h>

#include <gtest/gtest.h>

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <sstream>

namespace socklab::test {

std::optional<SyslogLine> parse_syslog_line(const std::string &text)
{
    // <PRI>Mmm dd hh:mm:ss IDENT[PID]: MESSAGE   ([PID] is optional)
    static const std::regex form(R"(^<(\d{1,3})>([A-Z][a-z]{2} [ 0-9]\d \d\d:\d\d:\d\d) ([^\[: ]+)(?:\[(\d+)\])?: (.*)$)");
    std::smatch m;
    std::string body = text;
    while (!body.empty() && (body.back() == '\n' || body.back() == '\0'))
        body.pop_back();
    if (!std::regex_match(body, m, form))
        return std::nullopt;
    SyslogLine line;
    int pri = std::stoi(m[1]);
    line.facility = pri >> 3;
    line.severity = pri & 7;
    line.timestamp = m[2];
    line.ident = m[3];
    line.pid = m[4].matched ? static_cast<pid_t>(std::stol(m[4])) : -1;
    line.message = m[5];
    line.raw = body;
    return line;
}

SyslogReceiver::SyslogReceiver()
{
    const char *tmp = getenv("TMPDIR");
    std::string pattern = std::string(tmp && *tmp ? tmp : "/tmp") + "/socklab-syslog.XXXXXX";
    if (mkdtemp(pattern.data()) == nullptr) {
        ADD_FAILURE() << "mkdtemp " << pattern << ": " << strerror(errno);
        return;
    }
    dir_ = pattern;
    std::string path = dir_ + "/log";
    sockaddr_un sa{};
    sa.sun_family = AF_UNIX;
    if (path.size() >= sizeof sa.sun_path) {
        ADD_FAILURE() << "socket path too long: " << path;
        return;
    }
    memcpy(sa.sun_path, path.c_str(), path.size() + 1);
    fd_ = unp::Fd(socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0));
    if (!fd_ || bind(fd_.get(), reinterpret_cast<sockaddr *>(&sa), sizeof sa) < 0) {
        ADD_FAILURE() << "syslog receiver at " << path << ": " << strerror(errno);
        return;
    }
    chmod(path.c_str(), 0666);  // a daemon that became nobody can still send
    chmod(dir_.c_str(), 0755);
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) < 0) {
        ADD_FAILURE() << "pipe: " << strerror(errno);
        return;
    }
    stop_read_ = unp::Fd(fds[0]);
    stop_write_ = unp::Fd(fds[1]);
    path_ = path;
    reader_ = std::thread([this] { read_loop(); });
}

SyslogReceiver::~SyslogReceiver()
{
    if (reader_.joinable()) {
        (void) !write(stop_write_.get(), "x", 1);
        reader_.join();
    }
    fd_.reset();
    if (!path_.empty())
        unlink(path_.c_str());
    if (!dir_.empty())
        rmdir(dir_.c_str());
}

void SyslogReceiver::read_loop()
{
    pollfd p[2] = {{fd_.get(), POLLIN, 0}, {stop_read_.get(), POLLIN, 0}};
    while (poll(p, 2, -1) >= 0 && !(p[1].revents & POLLIN)) {
        if (!(p[0].revents & POLLIN))
            continue;
        char buf[8192];
        ssize_t n = recv(fd_.get(), buf, sizeof buf, MSG_DONTWAIT);
        if (n <= 0)
            continue;
        std::string text(buf, static_cast<size_t>(n));
        SyslogLine line;
        if (auto parsed = parse_syslog_line(text)) {
            line = *parsed;
        } else {
            line.message = "(unparsed) " + text;
            line.raw = text;
        }
        std::lock_guard lock(mutex_);
        lines_.push_back(std::move(line));
        arrived_.notify_all();
    }
}

std::optional<SyslogLine> SyslogReceiver::wait_for(const std::regex &pattern, Millis timeout)
{
    auto deadline = std::chrono::steady_clock::now() + timeout;
    std::unique_lock lock(mutex_);
    for (;;) {
        for (; next_ < lines_.size(); next_++) {
            if (std::regex_search(lines_[next_].message, pattern))
                return lines_[next_++];
        }
        if (arrived_.wait_until(lock, deadline) == std::cv_status::timeout && next_ == lines_.size())
            return std::nullopt;
    }
}

std::vector<SyslogLine> SyslogReceiver::lines()
{
    std::lock_guard lock(mutex_);
    return lines_;
}

std::string SyslogReceiver::dump()
{
    std::ostringstream out;
    for (const auto &line : lines())
        out << "  " << line.raw << "\n";
    return out.str();
}

void DaemonGuard::watch(pid_t pid)
{
    kill_now();
    pid_ = pid;
    pgid_ = pid > 0 ? getpgid(pid) : -1;
}

void DaemonGuard::kill_now()
{
    if (pid_ <= 0)
        return;
    // Only the daemon's own group: never ours (a daemon that failed to
    // detach would still be in the test's group).
    if (pgid_ > 1 && pgid_ != getpgrp())
        ::kill(-pgid_, SIGKILL);
    ::kill(pid_, SIGKILL);
    // Reparented to init (or a subreaper), it is reaped there: wait until
    // the pid is gone or left a zombie that is not ours to reap.
    eventually([&] { return proc_state(pid_) == 0 || proc_state(pid_) == 'Z'; }, 5s);
    pid_ = -1;
}

}  // namespace socklab::test
