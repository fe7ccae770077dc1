// SPDX-License-Identifier: MIT
// run.cpp - the two programs of tcpview --run and the capture between them.
//
// Order matters: the capture is already active when the server starts, the
// filter names the server's port before the client starts, and the summary
// waits until the connection is over (both FINs acknowledged, or an RST),
// so nothing the programs sent is missed.
#include "run.hpp"

#include "unp.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <optional>
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
    Child(const std::string &command, bool own_group) : group_(own_group)
    {
        int fds[2];
        if (pipe2(fds, O_CLOEXEC) != 0)
            return;
        unp::Fd ours(fds[0]), theirs(fds[1]);
        pid_ = fork();
        if (pid_ == 0) {
            if (own_group) {
                setpgid(0, 0);
                int null = open("/dev/null", O_RDONLY);
                if (null >= 0)
                    dup2(null, STDIN_FILENO);
            }
            dup2(theirs.get(), STDOUT_FILENO);
            dup2(theirs.get(), STDERR_FILENO);
            signal(SIGPIPE, SIG_DFL);
            execl("/bin/sh", "sh", "-c", command.c_str(), static_cast<char *>(nullptr));
            _exit(127);
        }
        if (pid_ < 0)
            return;
        if (own_group)
            setpgid(pid_, pid_);  // also here: no race with the kill at the end
        fcntl(ours.get(), F_SETFL, O_NONBLOCK);
        fd_ = std::move(ours);
        lines_.emplace(fd_.get());
    }
    Child(const Child &) = delete;
    Child &operator=(const Child &) = delete;
    ~Child() { stop(); }

    bool started() const { return pid_ > 0; }
    int fd() const { return eof_ ? -1 : fd_.get(); }
    bool eof() const { return eof_; }

    // Complete lines that have come (and the last partial one at EOF), at
    // once: read_lines() never waits.
    std::vector<std::string> read_lines()
    {
        std::vector<std::string> lines;
        if (!lines_ || eof_)
            return lines;
        std::size_t before = lines_->buffered();
        while (auto line = lines_->read_line(Clock::now())) {
            if (line->ends_with('\n'))
                line->pop_back();
            lines.push_back(std::move(*line));
        }
        eof_ = lines_->at_eof();
        if (!lines.empty() || lines_->buffered() != before)
            last_read_ = Clock::now();
        // A prompt without newline ("Command: ") that has waited a while:
        // show it too.
        if (lines_->buffered() > 0 && Clock::now() - last_read_ > std::chrono::milliseconds(100))
            lines.push_back(lines_->take_buffered());
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
                auto st = unp::read_proc_stat(static_cast<pid_t>(pid));  // nullopt: gone meanwhile
                if (st && st->pgrp == pid_ && (st->state == 'R' || st->state == 'D')) {
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
    unp::Fd fd_;
    std::optional<unp::LineReader> lines_;  // over fd_, once started
    bool group_ = false;
    bool eof_ = false;
    bool reaped_ = false;
    bool stopped_ = false;
    int status_ = 0;
    Clock::time_point last_read_ = Clock::now();
};

void show(std::ostream &out, const char *who, const std::vector<std::string> &lines)
{
    for (const auto &l : lines)
        out << "[" << who << "] " << l << '\n';
    if (!lines.empty())
        out.flush();
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
                port = unp::parse_listening(l).value_or(-1);
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

namespace {

// Sets the kernel filter, or says why not on stderr.
bool set_filter(Capture &capture, const std::string &filter, std::ostream &out)
{
    if (capture.set_filter(filter))
        return true;
    out.flush();
    fprintf(stderr, "tcpview: %s\n", capture.error().c_str());
    return false;
}

// The conversation once both programs run: what the loop and the wind-down share.
struct Session {
    Session(Capture &c, Child &srv, Child &cli, Viewer &v, const RunOptions &opts, std::ostream &os)
        : capture(c), server(srv), client(cli), viewer(v), o(opts), out(os)
    {
    }
    Capture &capture;
    Child &server, &client;
    Viewer &viewer;
    const RunOptions &o;
    std::ostream &out;
    Capture::Handler handler;  // shows a frame, notes when it came
    Clock::time_point last_packet = Clock::now();
    bool client_done = false, server_done = false;
    Clock::time_point client_done_at = Clock::now();
    std::string why_stopped;
};

// Notes a program that has ended (output read to EOF, process reaped).
void note_ended(Session &s)
{
    if (!s.client_done && s.client.eof() && s.client.exited()) {
        s.client_done = true;
        s.client_done_at = Clock::now();
        s.out << "[client] " << s.client.describe() << '\n';
    }
    if (!s.server_done && s.server.eof() && s.server.exited()) {
        s.server_done = true;
        s.out << "[server] " << s.server.describe() << '\n';
    }
}

// Once the client is gone: true when every connection is over (or no
// segment has come for too long, said in why_stopped).
bool conversation_over(Session &s)
{
    auto now = Clock::now();
    const Tracker &t = s.viewer.tracker();
    // Over: wait a moment more for stragglers (segments that were already
    // in flight when an RST ended the connection).
    if (t.all_finished() && now - s.last_packet > std::chrono::milliseconds(50))
        return true;
    if (t.connections().empty() && now - s.client_done_at > std::chrono::milliseconds(300))
        return true;
    if (s.server_done && now - s.last_packet > std::chrono::milliseconds(300))
        return true;
    if (now - std::max(s.client_done_at, s.last_packet) > ms(s.o.drain_seconds)) {
        s.why_stopped = "stopped waiting after " + std::to_string(static_cast<int>(s.o.drain_seconds)) +
                        " s without a segment: a connection is still open (--drain changes the wait)";
        return true;
    }
    return false;
}

// Shows segments and both programs' output until the conversation is over.
void converse(Session &s, const volatile std::sig_atomic_t &stop)
{
    while (!stop) {
        struct pollfd p[3] = {{s.capture.selectable_fd(), POLLIN, 0},
                              {s.server.fd(), POLLIN, 0},
                              {s.client.fd(), POLLIN, 0}};
        poll(p, 3, 20);
        s.capture.dispatch(s.handler);
        show(s.out, "server", s.server.read_lines());
        show(s.out, "client", s.client.read_lines());
        note_ended(s);
        if (s.client_done && conversation_over(s))
            break;
    }
    s.capture.dispatch(s.handler);  // anything still in the buffer
}

// The server (an iterative one never exits) is not part of the lesson once
// the client is done: stop it, quietly.  But first let it finish reacting
// to the end of the conversation (the client's RST wakes it to print "read
// error: Connection reset by peer"): wait until every process of its group
// is blocked again, at most a second for a busy server.  Then the summary.
void wind_down(Session &s, const volatile std::sig_atomic_t &stop)
{
    auto idle_deadline = Clock::now() + std::chrono::seconds(1);
    while (!stop && !s.server.idle() && Clock::now() < idle_deadline) {
        poll(nullptr, 0, 5);
        show(s.out, "server", s.server.read_lines());
    }
    s.server.stop();
    s.client.stop();
    show(s.out, "server", s.server.read_lines());
    if (!s.server_done)
        s.out << "[server] " << s.server.describe() << '\n';
    if (!s.client_done)
        s.out << "[client] " << s.client.describe() << '\n';
    if (!s.why_stopped.empty())
        s.out << "[tcpview] " << s.why_stopped << '\n';
    if (unsigned dropped = s.capture.dropped())
        s.out << "[tcpview] warning: the kernel dropped " << dropped << " packets (capture buffer full)\n";
    s.viewer.summary();
}

}  // namespace

int run_pair(Capture &capture, const RunOptions &o, std::ostream &out,
             const volatile std::sig_atomic_t &stop)
{
    // Nothing is shown until the port is known: match no packet at all.
    if (!set_filter(capture, "tcp port 0", out))
        return 1;
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
    if (!set_filter(capture, o.filter.empty() ? filter : "(" + filter + ") and (" + o.filter + ")", out))
        return 1;

    ViewOptions view = o.view;
    view.server_port = port;
    view.only_server_port = true;  // the kernel filter matched the port; this is the guarantee
    Viewer viewer(out, view);
    Feed feed(capture, viewer);

    const std::string client_command = substitute_port(o.client_command, port);
    out << "[tcpview] client: " << client_command << '\n';
    out.flush();
    Child client(client_command, false);
    if (!client.started()) {
        fprintf(stderr, "tcpview: cannot start the client: %s\n", strerror(errno));
        return 1;
    }
    Session s(capture, server, client, viewer, o, out);
    s.handler = [&s, show_frame = feed.handler()](uint64_t number, int64_t t, std::span<const uint8_t> frame) {
        if (!show_frame(number, t, frame))
            return false;
        s.last_packet = Clock::now();
        return true;
    };
    converse(s, stop);
    wind_down(s, stop);
    return 0;
}

}  // namespace wire
