// SPDX-License-Identifier: MIT
// run.cpp - the two programs of tcpview --run and the capture between them.
//
// Order matters: the capture is already active when the server starts, the
// filter names the server's port before the client starts, and the summary
// waits until the connection is over (both FINs acknowledged, or an RST),
// so nothing the programs sent is missed.
#include "run.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <vector>

namespace wire {

namespace {

using Clock = std::chrono::steady_clock;

std::chrono::milliseconds ms(double seconds)
{
    return std::chrono::milliseconds(static_cast<long long>(seconds * 1000));
}

// One program run through /bin/sh -c, its stdout and stderr on one pipe.
class Child {
public:
    // own_group: a process group of its own (the server: tcpview stops its
    // whole tree at the end) with stdin from /dev/null; otherwise the child
    // shares tcpview's terminal and stdin (the client may read the keyboard).
    Child(const std::string &command, bool own_group)
    {
        int fds[2];
        if (pipe2(fds, O_CLOEXEC) != 0)
            return;
        pid_ = fork();
        if (pid_ == 0) {
            if (own_group) {
                setpgid(0, 0);
                int null = open("/dev/null", O_RDONLY);
                if (null >= 0)
                    dup2(null, STDIN_FILENO);
            }
            dup2(fds[1], STDOUT_FILENO);
            dup2(fds[1], STDERR_FILENO);
            signal(SIGPIPE, SIG_DFL);
            execl("/bin/sh", "sh", "-c", command.c_str(), static_cast<char *>(nullptr));
            _exit(127);
        }
        close(fds[1]);
        if (pid_ < 0) {
            close(fds[0]);
            return;
        }
        if (own_group)
            setpgid(pid_, pid_);  // also here: no race with the kill at the end
        fd_ = fds[0];
        fcntl(fd_, F_SETFL, O_NONBLOCK);  // read_lines() never waits
        group_ = own_group;
    }
    Child(const Child &) = delete;
    Child &operator=(const Child &) = delete;
    ~Child()
    {
        stop();
        if (fd_ >= 0)
            close(fd_);
    }

    bool started() const { return pid_ > 0; }
    int fd() const { return eof_ ? -1 : fd_; }
    bool eof() const { return eof_; }

    // Complete lines read so far (and the last partial one at EOF).
    std::vector<std::string> read_lines()
    {
        std::vector<std::string> lines;
        if (fd_ < 0 || eof_)
            return lines;
        char buf[4096];
        ssize_t n = read(fd_, buf, sizeof buf);
        if (n > 0) {
            pending_.append(buf, static_cast<size_t>(n));
            last_read_ = Clock::now();
        }
        else if (n == 0 || (errno != EINTR && errno != EAGAIN))
            eof_ = true;
        size_t nl;
        while ((nl = pending_.find('\n')) != std::string::npos) {
            lines.push_back(pending_.substr(0, nl));
            pending_.erase(0, nl + 1);
        }
        // At end of file, or when a prompt without newline ("Command: ")
        // has waited a while: show the partial line too.
        bool stale = Clock::now() - last_read_ > std::chrono::milliseconds(100);
        if ((eof_ || stale) && !pending_.empty()) {
            lines.push_back(pending_);
            pending_.clear();
        }
        return lines;
    }

    // True once the process has ended (and was reaped).
    bool exited()
    {
        if (reaped_ || pid_ <= 0)
            return true;
        if (waitpid(pid_, &status_, WNOHANG) == pid_)
            reaped_ = true;
        return reaped_;
    }

    // For the server (a group of its own): true when no process of its group
    // is running or about to run (state R) or in an uninterruptible wait (D):
    // all are blocked, waiting for their next event, so whatever they had to
    // say is in the pipe.
    bool idle() const
    {
        if (pid_ <= 0 || reaped_ || !group_)
            return true;
        bool busy = false;
        if (DIR *d = opendir("/proc")) {
            while (dirent *e = readdir(d)) {
                char *end = nullptr;
                long pid = strtol(e->d_name, &end, 10);
                if (*end != '\0' || pid <= 0)
                    continue;
                char path[64], text[512];
                snprintf(path, sizeof path, "/proc/%ld/stat", pid);
                int fd = open(path, O_RDONLY | O_CLOEXEC);
                if (fd < 0)
                    continue;  // gone meanwhile
                ssize_t n = read(fd, text, sizeof text - 1);
                close(fd);
                if (n <= 0)
                    continue;  // reaped between open() and read(): ESRCH
                text[n] = '\0';
                const char *paren = strrchr(text, ')');  // the command name may hold spaces
                char state = 0;
                long ppid = 0, pgrp = 0;
                if (!paren || sscanf(paren + 1, " %c %ld %ld", &state, &ppid, &pgrp) != 3)
                    continue;
                if (pgrp == pid_ && (state == 'R' || state == 'D')) {
                    busy = true;
                    break;
                }
            }
            closedir(d);
        }
        return !busy;
    }

    // SIGTERM (to the whole group for the server), then SIGKILL after a second.
    void stop()
    {
        if (pid_ <= 0 || exited())
            return;
        kill(group_ ? -pid_ : pid_, SIGTERM);
        stopped_ = true;
        auto deadline = Clock::now() + std::chrono::seconds(1);
        while (!exited() && Clock::now() < deadline)
            poll(nullptr, 0, 10);
        if (!exited()) {
            kill(group_ ? -pid_ : pid_, SIGKILL);
            waitpid(pid_, &status_, 0);
            reaped_ = true;
        }
    }

    std::string describe() const
    {
        if (!reaped_)
            return "still running";
        if (stopped_)
            return "stopped by tcpview";
        if (WIFEXITED(status_))
            return "exit " + std::to_string(WEXITSTATUS(status_));
        if (WIFSIGNALED(status_))
            return std::string("killed by ") + strsignal(WTERMSIG(status_));
        return "ended";
    }

private:
    pid_t pid_ = -1;
    int fd_ = -1;
    bool group_ = false;
    bool eof_ = false;
    bool reaped_ = false;
    bool stopped_ = false;
    int status_ = 0;
    std::string pending_;
    Clock::time_point last_read_ = Clock::now();
};

void show(std::ostream &out, const char *who, const std::vector<std::string> &lines)
{
    for (const auto &l : lines)
        out << "[" << who << "] " << l << '\n';
    if (!lines.empty())
        out.flush();
}

// The port of a "listening on <addr>, port <n>" line, or -1.
int listening_port(const std::string &line)
{
    const std::string head = "listening on ", tail = ", port ";
    size_t at = line.find(head);
    size_t p = at == std::string::npos ? at : line.find(tail, at + head.size());
    if (p == std::string::npos)
        return -1;
    size_t digits = p + tail.size(), end = digits;
    while (end < line.size() && end - digits < 5 && isdigit(static_cast<unsigned char>(line[end])))
        ++end;
    if (end == digits)
        return -1;
    int port = std::stoi(line.substr(digits, end - digits));
    return port <= 65535 ? port : -1;
}

// Shows the server's output until its "listening on" line; its port, or
// -1 (said on stderr) when it ends first, stays silent too long, or stop.
int wait_for_port(Child &server, const RunOptions &o, std::ostream &out,
                  const volatile std::sig_atomic_t &stop)
{
    int port = -1;
    auto deadline = Clock::now() + ms(o.startup_seconds);
    while (port < 0) {
        if (stop)
            return -1;
        if (Clock::now() > deadline) {
            out.flush();
            fprintf(stderr, "tcpview: the server printed no \"listening on <addr>, port <n>\" line "
                            "within %.0f s\n", o.startup_seconds);
            return -1;
        }
        struct pollfd p = {server.fd(), POLLIN, 0};
        poll(&p, 1, 50);
        auto lines = server.read_lines();
        show(out, "server", lines);
        for (const auto &l : lines)
            if (port < 0)
                port = listening_port(l);
        if (port < 0 && server.eof()) {
            while (!server.exited())
                poll(nullptr, 0, 10);
            out.flush();
            fprintf(stderr, "tcpview: the server ended (%s) before printing \"listening on <addr>, "
                            "port <n>\"\n", server.describe().c_str());
            return -1;
        }
    }

    return port;
}

}  // namespace

std::string substitute_port(std::string command, int port)
{
    const std::string key = "{port}", value = std::to_string(port);
    for (size_t at = command.find(key); at != std::string::npos; at = command.find(key, at + value.size()))
        command.replace(at, key.size(), value);
    return command;
}

int run_pair(Capture &capture, const RunOptions &o, std::ostream &out,
             const volatile std::sig_atomic_t &stop)
{
    // Nothing is shown until the port is known: match no packet at all.
    if (!capture.set_filter("tcp port 0")) {
        out.flush();
        fprintf(stderr, "tcpview: %s\n", capture.error().c_str());
        return 1;
    }

    Child server(o.server_command, true);
    if (!server.started()) {
        fprintf(stderr, "tcpview: cannot start the server: %s\n", strerror(errno));
        return 1;
    }
    const int port = wait_for_port(server, o, out, stop);
    if (port < 0)
        return 1;

    // The port, and ICMP errors (they quote it; the viewer checks that).
    std::string filter = "port " + std::to_string(port) + " or icmp or icmp6";
    if (!o.filter.empty())
        filter = "(" + filter + ") and (" + o.filter + ")";
    if (!capture.set_filter(filter)) {
        out.flush();
        fprintf(stderr, "tcpview: %s\n", capture.error().c_str());
        return 1;
    }

    ViewOptions view = o.view;
    view.server_port = port;
    view.only_server_port = true;  // the kernel filter matched the port; this is the guarantee
    Viewer viewer(out, view);
    auto last_packet = Clock::now();
    Feed feed(capture, viewer);
    const Capture::Handler show_frame = feed.handler();
    Capture::Handler handler = [&](uint64_t number, int64_t t, std::span<const uint8_t> frame) {
        if (!show_frame(number, t, frame))
            return false;
        last_packet = Clock::now();
        return true;
    };

    const std::string client_command = substitute_port(o.client_command, port);
    out << "[tcpview] client: " << client_command << '\n';
    out.flush();
    Child client(client_command, false);
    if (!client.started()) {
        fprintf(stderr, "tcpview: cannot start the client: %s\n", strerror(errno));
        return 1;
    }

    bool client_done = false, server_done = false;
    auto client_done_at = Clock::now();
    std::string why_stopped;
    while (!stop) {
        struct pollfd p[3] = {{capture.selectable_fd(), POLLIN, 0},
                              {server.fd(), POLLIN, 0},
                              {client.fd(), POLLIN, 0}};
        poll(p, 3, 20);
        capture.dispatch(handler);
        show(out, "server", server.read_lines());
        show(out, "client", client.read_lines());

        if (!client_done && client.eof() && client.exited()) {
            client_done = true;
            client_done_at = Clock::now();
            out << "[client] " << client.describe() << '\n';
        }
        if (!server_done && server.eof() && server.exited()) {
            server_done = true;
            out << "[server] " << server.describe() << '\n';
        }
        if (!client_done)
            continue;
        // The client is gone: wait until every connection is over.
        auto now = Clock::now();
        const Tracker &t = viewer.tracker();
        // Over: wait a moment more for stragglers (segments that were
        // already in flight when an RST ended the connection).
        if (t.all_finished() && now - last_packet > std::chrono::milliseconds(50))
            break;
        if (t.connections().empty() && now - client_done_at > std::chrono::milliseconds(300))
            break;
        if (server_done && now - last_packet > std::chrono::milliseconds(300))
            break;
        if (now - std::max(client_done_at, last_packet) > ms(o.drain_seconds)) {
            why_stopped = "stopped waiting after " + std::to_string(static_cast<int>(o.drain_seconds)) +
                          " s without a segment: a connection is still open (--drain changes the wait)";
            break;
        }
    }
    capture.dispatch(handler);  // anything still in the buffer

    // The server (an iterative one never exits) is not part of the lesson
    // once the client is done: stop it, quietly.  But first let it finish
    // reacting to the end of the conversation (the client's RST wakes it to
    // print "read error: Connection reset by peer"): wait until every process
    // of its group is blocked again, at most a second for a busy server.
    auto idle_deadline = Clock::now() + std::chrono::seconds(1);
    while (!stop && !server.idle() && Clock::now() < idle_deadline) {
        poll(nullptr, 0, 5);
        show(out, "server", server.read_lines());
    }
    server.stop();
    client.stop();
    show(out, "server", server.read_lines());
    if (!server_done)
        out << "[server] " << server.describe() << '\n';
    if (!client_done)
        out << "[client] " << client.describe() << '\n';
    if (!why_stopped.empty())
        out << "[tcpview] " << why_stopped << '\n';
    if (unsigned dropped = capture.dropped())
        out << "[tcpview] warning: the kernel dropped " << dropped << " packets (capture buffer full)\n";
    viewer.summary();
    return 0;
}

}  // namespace wire
