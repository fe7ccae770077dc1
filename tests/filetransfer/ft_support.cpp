// SPDX-License-Identifier: MIT
#include "ft_support.hpp"

#include <gtest/gtest.h>

#include <dirent.h>
#include <fcntl.h>
#include <ftw.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <random>
#include <sstream>

namespace socklab::test {

TempDir::TempDir(const std::string &base)
{
    const char *tmpdir = getenv("TMPDIR");
    std::string parent = !base.empty() ? base : tmpdir && *tmpdir ? tmpdir : "/tmp";
    std::string tmpl = parent + "/socklab-ft.XXXXXX";
    if (mkdtemp(tmpl.data()) == nullptr)
        ADD_FAILURE() << "mkdtemp " << tmpl << ": " << strerror(errno);
    // Readable by all: a server may run as "nobody" (as_unprivileged).
    chmod(tmpl.c_str(), 0755);
    path_ = tmpl;
}

TempDir::~TempDir()
{
    nftw(
        path_.c_str(),
        [](const char *p, const struct stat *, int, FTW *) { return ::remove(p) < 0 ? 0 : 0; },
        16, FTW_DEPTH | FTW_PHYS);
}

std::vector<std::string> TempDir::entries() const
{
    std::vector<std::string> names;
    if (DIR *d = opendir(path_.c_str())) {
        while (dirent *e = readdir(d))
            if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
                names.emplace_back(e->d_name);
        closedir(d);
    }
    std::sort(names.begin(), names.end());
    return names;
}

std::string random_bytes(std::size_t n, unsigned seed)
{
    std::mt19937_64 gen(seed);
    std::string s(n, '\0');
    for (std::size_t i = 0; i < n; i += 8) {
        std::uint64_t v = gen();
        memcpy(s.data() + i, &v, std::min<std::size_t>(8, n - i));
    }
    return s;
}

std::string all_byte_values()
{
    std::string s(256, '\0');
    for (int i = 0; i < 256; i++)
        s[i] = static_cast<char>(i);
    return s;
}

void write_file(const std::string &path, const std::string &bytes)
{
    std::ofstream f(path, std::ios::binary | std::ios::trunc);
    f.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (!f)
        ADD_FAILURE() << "cannot write " << path;
}

std::string read_file(const std::string &path)
{
    std::ifstream f(path, std::ios::binary);
    std::ostringstream ss;
    ss << f.rdbuf();
    return ss.str();
}

bool exists(const std::string &path)
{
    struct stat st;
    return lstat(path.c_str(), &st) == 0;
}

std::optional<std::vector<std::string>> as_unprivileged(const std::string &program)
{
    if (geteuid() != 0)
        return std::vector<std::string>{};
    TempDir probe;
    write_file(probe / "secret", "secret");
    chmod((probe / "secret").c_str(), 0);
    // The prefix works if, through it, the program can be run, the scratch
    // directory entered, and the file of mode 0 not read.
    auto works = [&](std::vector<std::string> argv) {
        for (const std::string &a : {std::string("/bin/sh"), std::string("-c"),
                                     std::string(R"(test -x "$0" && test -x "$1" && ! test -r "$1/secret")"),
                                     program, probe.path()})
            argv.push_back(a);
        return Process::start(argv).wait().describe() == "exit 0";
    };
    for (const char *p : {"/usr/bin/setpriv", "/bin/setpriv"}) {
        if (access(p, X_OK) != 0)
            continue;
        // Still root, so a build tree "nobody" cannot enter (under /root,
        // say) is no obstacle; it needs CAP_SETPCAP, which a restricted
        // container may lack.
        const char *caps = "-dac_override,-dac_read_search";
        std::vector<std::string> drop_caps = {p, std::string("--inh-caps=") + caps,
                                              std::string("--bounding-set=") + caps, "--"};
        if (works(drop_caps))
            return drop_caps;
        std::vector<std::string> nobody = {p, "--reuid=65534", "--regid=65534", "--clear-groups", "--"};
        if (works(nobody))
            return nobody;
    }
    return std::nullopt;
}

std::uint64_t free_bytes(const std::string &path)
{
    struct statvfs vfs {};
    if (statvfs(path.c_str(), &vfs) != 0)
        return 0;
    return static_cast<std::uint64_t>(vfs.f_bavail) * vfs.f_frsize;
}

// ------------------------------------------------------------ PausingRelay

PausingRelay::PausingRelay(int server_port, std::size_t limit)
    : listener_(unp::listen_tcp("127.0.0.1", "0")), server_port_(server_port), limit_(limit)
{
    port_ = unp::local_port(listener_.get());
    if (pipe2(wake_, O_CLOEXEC) < 0)
        ADD_FAILURE() << "pipe: " << strerror(errno);
    thread_ = std::thread([this] { run(); });
}

PausingRelay::~PausingRelay()
{
    done_ = true;
    char c = 'q';
    ssize_t ignored = write(wake_[1], &c, 1);
    (void)ignored;
    thread_.join();
    close(wake_[0]);
    close(wake_[1]);
}

bool PausingRelay::wait_paused(Millis timeout) const
{
    return eventually([&] { return paused_.load(); }, timeout);
}

bool PausingRelay::finished(Millis timeout) const
{
    return eventually([&] { return done_.load(); }, timeout);
}

void PausingRelay::resume()
{
    resumed_ = true;
    char c = 'c';
    ssize_t ignored = write(wake_[1], &c, 1);
    (void)ignored;
}

void PausingRelay::reset_both()
{
    reset_ = true;
    char c = 'r';
    ssize_t ignored = write(wake_[1], &c, 1);
    (void)ignored;
}

namespace {
void close_with_reset(unp::Fd &fd)
{
    if (!fd)
        return;
    linger lg{1, 0};
    setsockopt(fd.get(), SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
    fd.reset();
}
}  // namespace

void PausingRelay::run()
{
    // No deadline of its own for the client to connect: a client slow to
    // start (ASan, a busy machine) must not find the relay gone.  The
    // destructor's wake-up ends the wait.
    pollfd first[2] = {{listener_.get(), POLLIN, 0}, {wake_[0], POLLIN, 0}};
    if (poll(first, 2, -1) <= 0 || !(first[0].revents & POLLIN))
        return;
    unp::Fd client(accept(listener_.get(), nullptr, nullptr));
    unp::Fd server;
    try {
        server = unp::connect_tcp("127.0.0.1", std::to_string(server_port_));
    } catch (const std::exception &) {
        return;
    }
    std::size_t passed = 0;
    char buf[16384];
    while (!done_) {
        bool hold = passed >= limit_ && !resumed_;
        if (hold)
            paused_ = true;
        pollfd fds[3] = {{client.get(), POLLIN, 0},
                         // Paused: no longer read the server, but still notice it go.
                         {server.get(), static_cast<short>(hold ? POLLRDHUP : POLLIN), 0},
                         {wake_[0], POLLIN, 0}};
        if (poll(fds, 3, 100) < 0)
            break;
        if (reset_) {
            close_with_reset(client);
            close_with_reset(server);
            break;
        }
        if (fds[2].revents & POLLIN) {
            char c;
            ssize_t ignored = read(wake_[0], &c, 1);
            (void)ignored;
        }
        if (fds[0].revents) {  // the client: its request, or its end
            ssize_t n = read(client.get(), buf, sizeof buf);
            if (n <= 0) {
                close_with_reset(server);  // unread bytes are waiting: RST, as a dying process's kernel sends
                break;
            }
            if (writen(server.get(), buf, static_cast<std::size_t>(n)) != n)
                break;
        }
        if (fds[1].revents) {
            std::size_t want = hold ? 0 : resumed_ ? sizeof buf : std::min(sizeof buf, limit_ - passed);
            ssize_t n = want ? read(server.get(), buf, want) : 0;
            if (n <= 0) {  // the server has gone: the client sees its end
                client.reset();
                break;
            }
            if (writen(client.get(), buf, static_cast<std::size_t>(n)) != n)
                break;
            passed += static_cast<std::size_t>(n);
        }
    }
    done_ = true;
}

Terminal::Terminal(std::vector<std::string> argv, int cols, Options options)
{
    master_.reset(posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC));
    if (!master_ || grantpt(master_.get()) < 0 || unlockpt(master_.get()) < 0) {
        ADD_FAILURE() << "posix_openpt: " << strerror(errno);
        return;
    }
    std::string slave = ptsname(master_.get());
    resize(cols);
    std::vector<char *> args;
    for (auto &a : argv)
        args.push_back(a.data());
    args.push_back(nullptr);
    pid_ = fork();
    if (pid_ == 0) {
        setsid();  // a session of its own: the terminal opened next becomes its controlling one
        int tty = open(slave.c_str(), O_RDWR);
        int in = options.stdin_file.empty() ? tty : open(options.stdin_file.c_str(), O_RDONLY);
        if (tty < 0 || in < 0 || (!options.cwd.empty() && chdir(options.cwd.c_str()) < 0))
            _exit(126);
        dup2(in, STDIN_FILENO);
        dup2(tty, STDOUT_FILENO);
        dup2(tty, STDERR_FILENO);
        execv(args[0], args.data());
        _exit(127);
    }
    if (pid_ < 0)
        ADD_FAILURE() << "fork: " << strerror(errno);
}

Terminal::~Terminal()
{
    if (pid_ > 0 && !reaped_) {
        ::kill(pid_, SIGKILL);
        waitpid(pid_, nullptr, 0);
    }
}

void Terminal::resize(int cols)
{
    struct winsize ws = {};
    ws.ws_row = 24;
    ws.ws_col = static_cast<unsigned short>(cols);
    if (ioctl(master_.get(), TIOCSWINSZ, &ws) < 0)
        ADD_FAILURE() << "TIOCSWINSZ: " << strerror(errno);
}

void Terminal::type(std::string_view keys)
{
    if (write(master_.get(), keys.data(), keys.size()) != static_cast<ssize_t>(keys.size()))
        ADD_FAILURE() << "write to the terminal: " << strerror(errno);
}

bool Terminal::read_until(const std::function<bool(const std::string &)> &pred, Millis timeout)
{
    auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        if (pred && pred(out_))
            return true;
        auto left = std::chrono::duration_cast<Millis>(deadline - std::chrono::steady_clock::now()).count();
        if (left <= 0)
            return false;
        struct pollfd pfd = {master_.get(), POLLIN, 0};
        if (poll(&pfd, 1, static_cast<int>(left)) <= 0)
            continue;
        char buf[4096];
        ssize_t n = read(master_.get(), buf, sizeof buf);
        if (n <= 0)  // EIO: every descriptor of the terminal's other side is closed
            return pred && pred(out_);
        out_.append(buf, static_cast<std::size_t>(n));
    }
}

ExitStatus Terminal::wait(Millis timeout)
{
    ExitStatus st;
    auto deadline = std::chrono::steady_clock::now() + timeout;
    int status;
    while (!reaped_) {
        read_until(nullptr, 20ms);  // drain, so a program writing to a full terminal gets on
        pid_t r = waitpid(pid_, &status, WNOHANG);
        if (r == pid_)
            reaped_ = true;
        else if (std::chrono::steady_clock::now() > deadline) {
            st.timed_out = true;
            return st;
        }
    }
    read_until(nullptr, 50ms);  // what is left in the terminal's buffer
    st.exited = WIFEXITED(status);
    st.code = st.exited ? WEXITSTATUS(status) : -1;
    st.signaled = WIFSIGNALED(status);
    st.signal = st.signaled ? WTERMSIG(status) : 0;
    return st;
}

std::vector<std::string> frames(const std::string &output)
{
    std::vector<std::string> out(1);
    for (std::size_t i = 0; i < output.size(); i++) {
        char c = output[i];
        if (c == '\r' || c == '\n') {
            if (!out.back().empty())
                out.emplace_back();
        } else if (c == '\033' && i + 1 < output.size() && output[i + 1] == '[') {
            for (i += 2; i < output.size() && !isalpha(static_cast<unsigned char>(output[i])); i++) {
            }
        } else {
            out.back() += c;
        }
    }
    if (out.back().empty())
        out.pop_back();
    return out;
}

}  // namespace socklab::test
