// SPDX-License-Identifier: MIT
#include "process.hpp"

#include <arpa/inet.h>
#include <dirent.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/syscall.h>

#include <gtest/gtest.h>

#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <limits>
#include <sstream>
#include <thread>

extern const char *const socklab_programs;  // defined per test executable

namespace socklab::test {

namespace {

using Clock = std::chrono::steady_clock;

int remaining_ms(Clock::time_point deadline)
{
    auto left = std::chrono::duration_cast<Millis>(deadline - Clock::now()).count();
    return left < 0 ? 0 : static_cast<int>(left);
}

// "name1=path1|name2=path2", generated into each test by socklab_test().
std::string compiled_in_path(const std::string &name)
{
    std::string_view all = socklab_programs;
    while (!all.empty()) {
        size_t bar = all.find('|');
        std::string_view entry = all.substr(0, bar);
        size_t eq = entry.find('=');
        if (eq != std::string_view::npos && entry.substr(0, eq) == name)
            return std::string(entry.substr(eq + 1));
        if (bar == std::string_view::npos)
            break;
        all.remove_prefix(bar + 1);
    }
    return {};
}

void set_nonblocking(int fd)
{
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
}

std::vector<pid_t> all_pids()
{
    std::vector<pid_t> pids;
    if (DIR *d = opendir("/proc")) {
        while (dirent *e = readdir(d)) {
            char *end = nullptr;
            long pid = strtol(e->d_name, &end, 10);
            if (*end == '\0' && pid > 0)
                pids.push_back(static_cast<pid_t>(pid));
        }
        closedir(d);
    }
    return pids;
}

}  // namespace

std::string program_path(const std::string &name)
{
    std::string key = "SOCKLAB_PROG_" + name;
    if (const char *env = getenv(key.c_str()); env != nullptr && *env != '\0')
        return env;
    std::string path = compiled_in_path(name);
    if (path.empty())
        ADD_FAILURE() << "no program " << name << ": set " << key
                      << " or list it in socklab_test(... PROGRAMS ...)";
    return path;
}

bool eventually(const std::function<bool()> &pred, Millis timeout)
{
    auto deadline = Clock::now() + timeout;
    for (;;) {
        if (pred())
            return true;
        if (Clock::now() >= deadline)
            return false;
        std::this_thread::sleep_for(5ms);
    }
}

std::string ExitStatus::describe() const
{
    if (timed_out)
        return "still running";
    if (exited)
        return "exit " + std::to_string(code);
    if (signaled) {
        const char *abbrev = sigabbrev_np(signal);
        return std::string("killed by ") + (abbrev ? std::string("SIG") + abbrev : std::to_string(signal));
    }
    return "unknown";
}

int zombie_children_of(pid_t parent)
{
    int zombies = 0;
    for (pid_t pid : all_pids()) {
        auto st = unp::read_proc_stat(pid);
        if (st && st->ppid == parent && st->state == 'Z')
            zombies++;
    }
    return zombies;
}

// ---------------------------------------------------------------- Process

Process Process::start(std::vector<std::string> argv, Options options)
{
    Process p;
    int in[2], out[2], err[2];
    if (pipe2(in, O_CLOEXEC) < 0 || pipe2(out, O_CLOEXEC) < 0 || pipe2(err, O_CLOEXEC) < 0) {
        ADD_FAILURE() << "pipe: " << strerror(errno);
        return p;
    }
    std::vector<char *> args;
    for (auto &a : argv)
        args.push_back(a.data());
    args.push_back(nullptr);

    pid_t pid = fork();
    if (pid == 0) {
        setpgid(0, 0);  // its own group: stop() ends its children too
        dup2(in[0], STDIN_FILENO);
        dup2(out[1], STDOUT_FILENO);
        dup2(err[1], STDERR_FILENO);
        close_range(3, ~0U, 0);  // only 0, 1, 2: fd counts start clean
        signal(SIGPIPE, SIG_DFL);
        sigset_t none;
        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, nullptr);
        for (auto &e : options.env)
            putenv(e.data());
        if (!options.cwd.empty() && chdir(options.cwd.c_str()) < 0)
            _exit(126);
        execv(args[0], args.data());
        dprintf(STDERR_FILENO, "exec %s: %s\n", args[0], strerror(errno));
        _exit(127);
    }
    close(in[0]);
    close(out[1]);
    close(err[1]);
    unp::Fd to_child(in[1]), from_out(out[0]), from_err(err[0]);
    if (pid < 0) {
        ADD_FAILURE() << "fork: " << strerror(errno);
        return p;
    }
    setpgid(pid, pid);  // also here, so it holds before either side runs on
    p.pid_ = pid;
    p.in_ = std::move(to_child);
    p.out_ = std::move(from_out);
    p.err_ = std::move(from_err);
    set_nonblocking(p.out_.get());
    set_nonblocking(p.err_.get());
    return p;
}

Process Process::run(const std::string &name, std::vector<std::string> args, Options options)
{
    args.insert(args.begin(), program_path(name));
    return start(std::move(args), std::move(options));
}

Process::Process(Process &&o) noexcept { *this = std::move(o); }

Process &Process::operator=(Process &&o) noexcept
{
    if (this != &o) {
        stop();
        pid_ = std::exchange(o.pid_, -1);
        in_ = std::move(o.in_);
        out_ = std::move(o.out_);
        err_ = std::move(o.err_);
        out_buf_ = std::move(o.out_buf_);
        out_all_ = std::move(o.out_all_);
        err_all_ = std::move(o.err_all_);
        reaped_ = o.reaped_;
        status_ = o.status_;
    }
    return *this;
}

Process::~Process() { stop(); }

bool Process::write_stdin(std::string_view text)
{
    if (!in_)
        return false;
    // The test ignores SIGPIPE (see tests/support/main.cpp), so a program
    // that stopped reading gives EPIPE here instead of killing the test.
    return writen(in_.get(), text.data(), text.size()) == static_cast<ssize_t>(text.size());
}

void Process::close_stdin() { in_.reset(); }

bool Process::pump(Clock::time_point deadline)
{
    pollfd fds[2] = {{out_.get(), POLLIN, 0}, {err_.get(), POLLIN, 0}};
    if (!out_ && !err_)
        return false;
    int n = poll(fds, 2, remaining_ms(deadline));
    if (n <= 0)
        return n == 0;  // deadline: caller decides
    char buf[65536];
    for (int i = 0; i < 2; i++) {
        if (fds[i].revents == 0)
            continue;
        unp::Fd &fd = i == 0 ? out_ : err_;
        ssize_t r = read(fd.get(), buf, sizeof buf);
        if (r > 0) {
            if (i == 0) {
                out_buf_.append(buf, static_cast<size_t>(r));
                out_all_.append(buf, static_cast<size_t>(r));
            } else {
                err_all_.append(buf, static_cast<size_t>(r));
            }
        } else if (r == 0 || (errno != EAGAIN && errno != EINTR)) {
            fd.reset();
        }
    }
    return out_ || err_;
}

// Lines are cut here, not by unp::LineReader (which Client uses): pump()
// drains stdout and stderr in one poll(), so a program that writes much to
// the one a test is not reading never blocks on a full pipe, and
// wait_for_text() looks into out_buf_ for prompts that have no '\n'.
// A reader per descriptor could do neither.
std::optional<std::string> Process::read_line(Millis timeout)
{
    auto deadline = Clock::now() + timeout;
    for (;;) {
        size_t nl = out_buf_.find('\n');
        if (nl != std::string::npos) {
            std::string line = out_buf_.substr(0, nl);
            out_buf_.erase(0, nl + 1);
            return line;
        }
        if (!out_ || Clock::now() >= deadline) {
            if (!out_ && !out_buf_.empty()) {  // last line without '\n'
                std::string line = std::move(out_buf_);
                out_buf_.clear();
                return line;
            }
            return std::nullopt;
        }
        pump(deadline);
    }
}

std::optional<std::string> Process::wait_for_line(const std::regex &pattern, Millis timeout)
{
    auto deadline = Clock::now() + timeout;
    while (auto line = read_line(std::chrono::duration_cast<Millis>(deadline - Clock::now()))) {
        if (std::regex_search(*line, pattern))
            return line;
    }
    return std::nullopt;
}

bool Process::wait_for_text(std::string_view text, Millis timeout)
{
    auto deadline = Clock::now() + timeout;
    for (;;) {
        size_t at = out_buf_.find(text);
        if (at != std::string::npos) {
            out_buf_.erase(0, at + text.size());
            return true;
        }
        if (!out_ || Clock::now() >= deadline)
            return false;
        pump(deadline);
    }
}

int Process::wait_for_port(Millis timeout)
{
    auto deadline = Clock::now() + timeout;
    while (auto line = read_line(std::chrono::duration_cast<Millis>(deadline - Clock::now()))) {
        if (auto port = unp::parse_listening(*line))
            return *port;
    }
    ADD_FAILURE() << "no \"listening on <addr>, port <n>\" line; stdout was:\n"
                  << out_all_ << "\nstderr was:\n" << stderr_text();
    return 0;
}

std::string Process::read_rest(Millis timeout)
{
    auto deadline = Clock::now() + timeout;
    while (out_ && Clock::now() < deadline)
        pump(deadline);
    return std::exchange(out_buf_, {});
}

std::string Process::stderr_text()
{
    // Take what is there now; if the process is gone, everything to EOF.
    auto deadline = Clock::now() + (running() ? 0ms : 2000ms);
    do {
        if (!pump(deadline))
            break;
    } while (err_ && Clock::now() < deadline);
    return err_all_;
}

void Process::kill(int signo)
{
    if (pid_ > 0 && !reaped_)
        ::kill(pid_, signo);
}

bool Process::running()
{
    if (pid_ <= 0 || reaped_)
        return false;
    int st = 0;
    pid_t r = waitpid(pid_, &st, WNOHANG);
    if (r == pid_) {
        reaped_ = true;
        status_ = {WIFEXITED(st), WIFEXITED(st) ? WEXITSTATUS(st) : -1, WIFSIGNALED(st),
                   WIFSIGNALED(st) ? WTERMSIG(st) : 0, false};
        return false;
    }
    return true;
}

ExitStatus Process::wait(Millis timeout)
{
    bool done = eventually([this] { return !running(); }, timeout);
    if (!done) {
        ExitStatus s;
        s.timed_out = true;
        return s;
    }
    return status_;
}

void Process::stop()
{
    if (pid_ > 0) {
        ::kill(-pid_, SIGKILL);  // the group: forked children too
        if (!reaped_) {
            int st;
            while (waitpid(pid_, &st, 0) < 0 && errno == EINTR) {
            }
            reaped_ = true;
        }
        pid_ = -1;
    }
    in_.reset();
    out_.reset();
    err_.reset();
}

std::vector<pid_t> Process::children() const
{
    std::vector<pid_t> kids;
    for (pid_t pid : all_pids()) {
        auto st = unp::read_proc_stat(pid);
        if (st && st->ppid == pid_)
            kids.push_back(pid);
    }
    return kids;
}

int Process::zombie_children() const { return zombie_children_of(pid_); }

int Process::open_fds() const { return static_cast<int>(fd_targets().size()); }

std::vector<std::string> Process::fd_targets() const
{
    std::vector<std::string> targets;
    std::string dir = "/proc/" + std::to_string(pid_) + "/fd";
    if (DIR *d = opendir(dir.c_str())) {
        while (dirent *e = readdir(d)) {
            if (e->d_name[0] == '.')
                continue;
            char buf[256];
            ssize_t n = readlink((dir + "/" + e->d_name).c_str(), buf, sizeof buf - 1);
            targets.emplace_back(e->d_name + std::string(" -> ") + (n > 0 ? std::string(buf, n) : "?"));
        }
        closedir(d);
    }
    return targets;
}

// ----------------------------------------------------------------- Client

std::optional<unp::Address> loopback_address(const std::string &host, int port)
{
    try {
        return unp::numeric_address(host, std::to_string(port));
    } catch (const std::system_error &e) {
        ADD_FAILURE() << e.what();
        return std::nullopt;
    }
}

Client::Client(int port, const std::string &host, Millis timeout)
{
    auto addr = loopback_address(host, port);
    if (!addr) {
        errno_ = EINVAL;
        return;
    }
    unp::Fd fd(socket(addr->family(), SOCK_STREAM | SOCK_CLOEXEC, 0));
    // A non-blocking connect bounded by the deadline, then blocking again.
    set_nonblocking(fd.get());
    if (connect(fd.get(), addr->sa(), addr->len) < 0 && errno != EINPROGRESS) {
        errno_ = errno;
        return;
    }
    pollfd p{fd.get(), POLLOUT, 0};
    if (poll(&p, 1, static_cast<int>(timeout.count())) != 1) {
        errno_ = ETIMEDOUT;
        return;
    }
    int soerr = 0;
    socklen_t soerrlen = sizeof soerr;
    getsockopt(fd.get(), SOL_SOCKET, SO_ERROR, &soerr, &soerrlen);
    if (soerr != 0) {
        errno_ = soerr;
        return;
    }
    fcntl(fd.get(), F_SETFL, fcntl(fd.get(), F_GETFL) & ~O_NONBLOCK);
    fd_ = std::move(fd);
    in_ = unp::LineReader(fd_.get());
}

bool Client::send(std::string_view bytes)
{
    if (!fd_)
        return false;
    size_t done = 0;
    while (done < bytes.size()) {
        ssize_t n = ::send(fd_.get(), bytes.data() + done, bytes.size() - done, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        done += static_cast<size_t>(n);
    }
    return true;
}

bool Client::send_u32(uint32_t host_value)
{
    uint32_t net = htonl(host_value);
    return send(std::string_view(reinterpret_cast<const char *>(&net), sizeof net));
}

std::optional<std::string> Client::recv_line(Millis timeout)
{
    if (!fd_)
        return std::nullopt;
    try {
        // No length limit: a test sees a long line whole, as it was sent.
        auto line = in_.read_line(Clock::now() + timeout, std::numeric_limits<std::size_t>::max());
        if (!line || line->back() != '\n')
            return std::nullopt;  // the end, or the deadline, before a whole line
        line->pop_back();
        return line;
    } catch (const std::system_error &) {
        return std::nullopt;
    }
}

std::string Client::recv_exact(size_t n, Millis timeout)
{
    if (!fd_)
        return {};
    try {
        return in_.read_bytes(n, Clock::now() + timeout);
    } catch (const std::system_error &) {
        return in_.take_buffered().substr(0, n);  // what came before the reset
    }
}

std::string Client::recv_all(Millis timeout) { return recv_exact(std::numeric_limits<std::size_t>::max(), timeout); }

bool Client::closed_by_peer(Millis timeout)
{
    if (!fd_)
        return false;
    try {
        return in_.wait_eof(Clock::now() + timeout);
    } catch (const std::system_error &) {
        return true;  // reset
    }
}

void Client::shutdown_write()
{
    if (fd_)
        ::shutdown(fd_.get(), SHUT_WR);
}

void Client::close() { fd_.reset(); }

void Client::reset()
{
    if (!fd_)
        return;
    linger lg{1, 0};  // close() now sends RST instead of FIN
    setsockopt(fd_.get(), SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
    fd_.reset();
}

RefusingPort::RefusingPort(const std::string &host, int wanted)
{
    auto addr = loopback_address(host, wanted);
    if (!addr)
        return;
    fd_.reset(socket(addr->family(), SOCK_STREAM | SOCK_CLOEXEC, 0));  // no SO_REUSEADDR: the port stays ours
    if (fd_ && bind(fd_.get(), addr->sa(), addr->len) == 0)
        port_ = unp::local_port(fd_.get());
}

char proc_state(pid_t pid)
{
    auto st = unp::read_proc_stat(pid);
    return st ? st->state : 0;
}

bool blocked_in_accept(pid_t pid)
{
    std::string dir = "/proc/" + std::to_string(pid);
    std::ifstream sc(dir + "/syscall");
    std::string first;
    if (sc >> first) {
        if (first == "running")
            return false;
        long nr = std::strtol(first.c_str(), nullptr, 10);
#ifdef SYS_accept
        if (nr == SYS_accept)
            return true;
#endif
        return nr == SYS_accept4;
    }
    std::ifstream wchan(dir + "/wchan");
    std::string name;
    wchan >> name;
    if (!name.empty() && name != "0")
        return name == "inet_csk_accept";
    return proc_state(pid) == 'S';
}

}  // namespace socklab::test
