// SPDX-License-Identifier: MIT
// The C++ layer: the same operations as the book's, with errors reported
// to the caller.
#include "unp.hpp"

#include <memory>

namespace unp {

void Fd::reset(int fd) noexcept
{
    if (fd_ >= 0) {
        readline_forget(fd_);  // the C API may have buffered lines for it
        ::close(fd_);
    }
    fd_ = fd;
}

namespace {

class GaiCategory : public std::error_category {
public:
    const char *name() const noexcept override { return "getaddrinfo"; }
    std::string message(int code) const override { return gai_strerror(code); }
};

struct AddrinfoDeleter {
    void operator()(addrinfo *ai) const noexcept { freeaddrinfo(ai); }
};
using AddrinfoList = std::unique_ptr<addrinfo, AddrinfoDeleter>;

AddrinfoList resolve(const char *host, const std::string &serv, int flags)
{
    addrinfo hints{};
    hints.ai_flags = flags;
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo *res = nullptr;
    int n = getaddrinfo(host, serv.c_str(), &hints, &res);
    if (n == EAI_SYSTEM)
        throw_errno("getaddrinfo");
    if (n != 0)
        throw std::system_error(n, gai_category(),
                                std::string("getaddrinfo ") + (host ? host : "") + ":" + serv);
    return AddrinfoList(res);
}

}  // namespace

const std::error_category &gai_category() noexcept
{
    static const GaiCategory category;
    return category;
}

void throw_errno(const char *what)
{
    throw std::system_error(errno, std::generic_category(), what);
}

std::size_t read_some(int fd, std::span<std::byte> buf)
{
    for (;;) {
        ssize_t n = ::read(fd, buf.data(), buf.size());
        if (n >= 0)
            return static_cast<std::size_t>(n);
        if (errno != EINTR)
            throw_errno("read");
    }
}

std::size_t read_full(int fd, std::span<std::byte> buf)
{
    ssize_t n = readn(fd, buf.data(), buf.size());
    if (n < 0)
        throw_errno("read");
    return static_cast<std::size_t>(n);
}

void write_all(int fd, std::span<const std::byte> buf)
{
    if (writen(fd, buf.data(), buf.size()) < 0)
        throw_errno("write");
}

void write_all(int fd, std::string_view text)
{
    write_all(fd, std::as_bytes(std::span(text.data(), text.size())));
}

std::optional<std::string> LineReader::read_line(std::size_t max)
{
    if (max == 0)
        max = 1;
    std::string line;
    for (;;) {
        if (pos_ == buf_.size()) {
            buf_.resize(BUFFSIZE);
            pos_ = 0;
            std::size_t n = read_some(fd_, std::as_writable_bytes(std::span(buf_)));
            buf_.resize(n);
            if (n == 0)
                return line.empty() ? std::nullopt : std::optional(std::move(line));
        }
        std::size_t want = std::min(buf_.size() - pos_, max - line.size());
        std::size_t nl = buf_.find('\n', pos_);
        bool complete = nl != std::string::npos && nl - pos_ < want;
        if (complete)
            want = nl - pos_ + 1;
        line.append(buf_, pos_, want);
        pos_ += want;
        if (complete || line.size() == max)
            return line;
    }
}

std::string LineReader::take_buffered()
{
    std::string rest = buf_.substr(pos_);
    buf_.clear();
    pos_ = 0;
    return rest;
}

std::string to_string(const sockaddr *sa, socklen_t len)
{
    char buf[128];
    if (sock_ntop_r(sa, len, buf, sizeof buf) == nullptr)
        throw_errno("sock_ntop");
    return buf;
}

namespace {

// A socket's own or peer address, from getsockname or getpeername.
struct Name {
    sockaddr_storage ss{};
    socklen_t len = sizeof ss;
    const sockaddr *sa() const { return reinterpret_cast<const sockaddr *>(&ss); }
};

Name name_of(int sockfd, int (*get)(int, sockaddr *, socklen_t *), const char *what)
{
    Name n;
    if (get(sockfd, reinterpret_cast<sockaddr *>(&n.ss), &n.len) < 0)
        throw_errno(what);
    return n;
}

}  // namespace

std::string local_address(int sockfd)
{
    Name n = name_of(sockfd, ::getsockname, "getsockname");
    return to_string(n.sa(), n.len);
}

std::string peer_address(int sockfd)
{
    Name n = name_of(sockfd, ::getpeername, "getpeername");
    return to_string(n.sa(), n.len);
}

int local_port(int sockfd)
{
    Name n = name_of(sockfd, ::getsockname, "getsockname");
    return sock_get_port(n.sa(), n.len);
}

Fd connect_tcp(const std::string &host, const std::string &serv)
{
    AddrinfoList list = resolve(host.c_str(), serv, 0);
    int saved_errno = 0;
    for (addrinfo *ai = list.get(); ai != nullptr; ai = ai->ai_next) {
        Fd fd(::socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol));
        if (!fd) {
            saved_errno = errno;
            continue;
        }
        if (::connect(fd.get(), ai->ai_addr, ai->ai_addrlen) == 0)
            return fd;
        saved_errno = errno;
    }
    throw std::system_error(saved_errno, std::generic_category(), "connect " + host + ":" + serv);
}

Fd listen_tcp(const std::string &host, const std::string &serv, int backlog)
{
    AddrinfoList list = resolve(host.empty() ? nullptr : host.c_str(), serv, AI_PASSIVE);
    int saved_errno = 0;
    for (addrinfo *ai = list.get(); ai != nullptr; ai = ai->ai_next) {
        Fd fd(::socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol));
        if (!fd) {
            saved_errno = errno;
            continue;
        }
        const int on = 1;
        if (::setsockopt(fd.get(), SOL_SOCKET, SO_REUSEADDR, &on, sizeof on) == 0 &&
            ::bind(fd.get(), ai->ai_addr, ai->ai_addrlen) == 0) {
            if (::listen(fd.get(), backlog) < 0)
                throw_errno("listen");
            return fd;
        }
        saved_errno = errno;
    }
    throw std::system_error(saved_errno, std::generic_category(), "bind " + host + ":" + serv);
}

}  // namespace unp
