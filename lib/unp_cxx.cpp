// SPDX-License-Identifier: MIT
// The C++ layer: the same operations as the book's, with errors reported
// to the caller.
#include "unp.hpp"

#include <algorithm>
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

std::optional<std::string> LineReader::read_line(std::size_t max) { return next(max, nullptr); }

std::optional<std::string> LineReader::read_line(Deadline deadline, std::size_t max)
{
    return next(max, &deadline);
}

std::optional<std::string> LineReader::next(std::size_t max, const Deadline *deadline)
{
    max = std::max<std::size_t>(max, 1);
    eof_ = false;
    for (;;) {
        std::size_t avail = buf_.size() - pos_;
        std::size_t nl = buf_.find('\n', std::max(pos_, scanned_));
        scanned_ = nl == std::string::npos ? buf_.size() : nl;
        std::size_t take = 0;
        if (nl != std::string::npos && nl - pos_ < max)
            take = nl - pos_ + 1;  // a whole line
        else if (avail >= max)
            take = max;            // a piece of a longer line
        else if (eof_)
            take = avail;          // the last line, without '\n' (or nothing)
        if (take > 0) {
            std::string line = buf_.substr(pos_, take);
            pos_ += take;
            scanned_ = pos_;
            eof_ = false;
            return line;
        }
        if (eof_ || !fill(deadline))
            return std::nullopt;
    }
}

bool LineReader::fill(const Deadline *deadline)
{
    buf_.erase(0, pos_);
    scanned_ -= std::min(scanned_, pos_);
    pos_ = 0;
    for (;;) {
        if (deadline != nullptr) {
            auto left = std::chrono::ceil<std::chrono::milliseconds>(*deadline - std::chrono::steady_clock::now());
            pollfd p{fd_, POLLIN, 0};
            int n = ::poll(&p, 1, static_cast<int>(std::max<long long>(left.count(), 0)));
            if (n < 0 && errno != EINTR)
                throw_errno("poll");
            if (n == 0)
                return false;
            if (n < 0)
                continue;
        }
        std::size_t old = buf_.size();
        buf_.resize(old + BUFFSIZE);
        ssize_t n = ::read(fd_, buf_.data() + old, BUFFSIZE);
        buf_.resize(old + static_cast<std::size_t>(std::max<ssize_t>(n, 0)));
        if (n > 0)
            return true;
        if (n == 0) {
            eof_ = true;
            return true;
        }
        if (errno == EAGAIN && deadline == nullptr) {
            pollfd p{fd_, POLLIN, 0};  // a non-blocking descriptor, no deadline: wait
            ::poll(&p, 1, -1);
        } else if (errno != EINTR && errno != EAGAIN) {
            throw_errno("read");
        }
    }
}

std::string LineReader::take_buffered()
{
    std::string rest = buf_.substr(pos_);
    buf_.clear();
    pos_ = scanned_ = 0;
    return rest;
}

std::string LineReader::read_bytes(std::size_t n, Deadline deadline)
{
    eof_ = false;
    while (buf_.size() - pos_ < n && !eof_ && fill(&deadline)) {
    }
    std::size_t take = std::min(n, buf_.size() - pos_);
    std::string bytes = buf_.substr(pos_, take);
    pos_ += take;
    scanned_ = std::max(scanned_, pos_);
    return bytes;
}

bool LineReader::wait_eof(Deadline deadline)
{
    eof_ = false;
    while (!eof_)
        if (!fill(&deadline))
            return false;
    return true;
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
