// SPDX-License-Identifier: MIT
// unp.hpp - the kit's C++ layer over unp.h.
//
// Where the book's wrappers end the program, these report to the caller:
// they throw std::system_error, whose code() is an errno value in
// std::generic_category(), or a getaddrinfo EAI_* value in gai_category().
// Descriptors have one owner (Fd), and line buffering lives in an explicit
// LineReader per descriptor, so nothing is hidden in a static.
#ifndef UNP_HPP
#define UNP_HPP

#include "unp.h"

#include <chrono>
#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>

namespace unp {

// An owning, move-only file descriptor: closed when it goes out of scope.
class Fd {
public:
    Fd() noexcept = default;
    explicit Fd(int fd) noexcept : fd_(fd) {}
    Fd(Fd &&other) noexcept : fd_(other.release()) {}
    Fd &operator=(Fd &&other) noexcept
    {
        if (this != &other)
            reset(other.release());
        return *this;
    }
    Fd(const Fd &) = delete;
    Fd &operator=(const Fd &) = delete;
    ~Fd() { reset(); }

    int get() const noexcept { return fd_; }
    explicit operator bool() const noexcept { return fd_ >= 0; }
    // Give up ownership: the caller now closes the descriptor.
    int release() noexcept { return std::exchange(fd_, -1); }
    // Close the descriptor held (if any) and hold fd instead.
    void reset(int fd = -1) noexcept;

private:
    int fd_ = -1;
};

// getaddrinfo's error codes (EAI_*), with gai_strerror's text.
const std::error_category &gai_category() noexcept;

// Throws std::system_error(errno, what).
[[noreturn]] void throw_errno(const char *what);

// Bytes in, bytes out.  read_some returns what one read(2) gave (0 at EOF);
// read_full loops and returns less than buf.size() only at EOF; write_all
// writes everything.  All restart on EINTR and throw on errors.
std::size_t read_some(int fd, std::span<std::byte> buf);
std::size_t read_full(int fd, std::span<std::byte> buf);
void write_all(int fd, std::span<const std::byte> buf);
void write_all(int fd, std::string_view text);

using Deadline = std::chrono::steady_clock::time_point;

// Reads lines from one descriptor, through its own buffer.  The reader does
// not own the descriptor, which may be blocking or not.  Bytes it has
// buffered are returned by take_buffered(), e.g. before switching to raw
// reads.
class LineReader {
public:
    explicit LineReader(int fd) noexcept : fd_(fd) {}
    // The next line with its '\n'; a final line without one at EOF; at most
    // max bytes (a longer line comes back in pieces); nullopt at EOF.
    std::optional<std::string> read_line(std::size_t max = MAXLINE);
    // The same, waiting for input no later than deadline (poll): nullopt at
    // EOF or when the deadline passes first; at_eof() tells which.  A partial
    // line stays buffered for the next call.
    std::optional<std::string> read_line(Deadline deadline, std::size_t max = MAXLINE);
    // For protocols that mix lines with counted bytes: exactly n bytes (the
    // buffered ones first), or fewer at EOF or the deadline.
    std::string read_bytes(std::size_t n, Deadline deadline);
    // Reads on, keeping what comes for the calls above, until EOF (true) or
    // the deadline (false).
    bool wait_eof(Deadline deadline);
    bool at_eof() const noexcept { return eof_; }
    std::size_t buffered() const noexcept { return buf_.size() - pos_; }
    std::string take_buffered();
    int fd() const noexcept { return fd_; }

private:
    std::optional<std::string> next(std::size_t max, const Deadline *deadline);
    bool fill(const Deadline *deadline);  // false: the deadline passed
    int fd_;
    std::string buf_;
    std::size_t pos_ = 0;
    std::size_t scanned_ = 0;  // no '\n' in buf_ between pos_ and here: a long line is searched once
    bool eof_ = false;  // the last call ended at EOF
};

// Addresses as text: "127.0.0.1:9877", "[::1]:9877".
std::string to_string(const sockaddr *sa, socklen_t len);
std::string local_address(int sockfd);
std::string peer_address(int sockfd);
int local_port(int sockfd);  // host byte order

// Protocol-independent TCP setup (IPv4 or IPv6, names or numbers).
// host empty in listen_tcp: any address.  listen_tcp sets SO_REUSEADDR.
Fd connect_tcp(const std::string &host, const std::string &serv);
Fd listen_tcp(const std::string &host, const std::string &serv, int backlog = LISTENQ);

// ---- Formats and addresses for the kit's own tools (tests/support, wire,
// bench): one parser per format, next to its producer (lib/kit_formats.cpp).

// A socket address held by value.
struct Address {
    sockaddr_storage ss{};
    socklen_t len = 0;
    const sockaddr *sa() const noexcept { return reinterpret_cast<const sockaddr *>(&ss); }
    int family() const noexcept { return ss.ss_family; }
};

// host, a numeric IPv4 or IPv6 address ("127.0.0.1", "::1"), and port
// (digits), never a name to look up: getaddrinfo with AI_NUMERICHOST |
// AI_NUMERICSERV.  Throws std::system_error (gai_category) otherwise.
Address numeric_address(const std::string &host, const std::string &port);

// The port n of print_listening's line, "listening on <addr>, port <n>"
// (a line, with or without its '\n', that ends there); nullopt for any
// other line.  Shell scripts have scripts/listening.sh.
std::optional<int> parse_listening(std::string_view line);

// The fields of /proc/PID/stat the kit reads (proc(5) numbers them: pid 1,
// comm 2, state 3, ...).
struct ProcStat {
    pid_t pid = 0;
    std::string comm;  // without its parentheses; may hold spaces and ')'
    char state = 0;    // 'R' running, 'S' sleeping, 'T' stopped, 'Z' zombie...
    pid_t ppid = 0, pgrp = 0, session = 0;
    int tty_nr = 0;    // 0: no controlling terminal
    unsigned long long utime = 0, stime = 0;  // clock ticks (sysconf(_SC_CLK_TCK))
    long long cutime = 0, cstime = 0;         // of reaped children, ticks
};

// /proc/PID/stat, or another stat file (/proc/self/task/TID/stat): read
// with one read(2), so a process that ends meanwhile gives nullopt (ENOENT
// at open, ESRCH at read), never a half-read record or an exception.
std::optional<ProcStat> read_proc_stat(pid_t pid);
std::optional<ProcStat> read_proc_stat(const std::string &path);

// openat2(dirfd, path, flags) with RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS:
// the kernel refuses (EXDEV) any path, "..", symlink or absolute name that
// leads out of dirfd.  A descriptor, or -1 with errno; ENOSYS (kernels
// before 5.6) or EPERM (a sandbox that filters the call): use a fallback.
int openat2_beneath(int dirfd, const char *path, int flags);

}  // namespace unp

#endif  // UNP_HPP
