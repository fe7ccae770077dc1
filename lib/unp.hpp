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

// Reads lines from one descriptor, through its own buffer.  The reader does
// not own the descriptor.  Bytes it has buffered are returned by
// take_buffered(), e.g. before switching to raw reads.
class LineReader {
public:
    explicit LineReader(int fd) noexcept : fd_(fd) {}
    // The next line with its '\n'; a final line without one at EOF; at most
    // max bytes (a longer line comes back in pieces); nullopt at EOF.
    std::optional<std::string> read_line(std::size_t max = MAXLINE);
    std::string take_buffered();
    int fd() const noexcept { return fd_; }

private:
    int fd_;
    std::string buf_;
    std::size_t pos_ = 0;
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

}  // namespace unp

#endif  // UNP_HPP
