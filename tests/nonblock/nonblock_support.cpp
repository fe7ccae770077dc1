// SPDX-License-Identifier: MIT
#include "nonblock_support.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <fstream>
#include <iterator>
#include <sstream>

namespace socklab::test {

Listener::Listener(int backlog) : fd(socket(AF_INET, SOCK_STREAM, 0))
{
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    if (!fd || bind(fd.get(), reinterpret_cast<sockaddr *>(&a), len) < 0 || listen(fd.get(), backlog) < 0 ||
        getsockname(fd.get(), reinterpret_cast<sockaddr *>(&a), &len) < 0)
        return;  // port stays 0: the test reports it
    port = ntohs(a.sin_port);
}

unp::Fd Listener::accept(Millis timeout)
{
    if (!wait_fd(fd.get(), POLLIN, timeout))
        return unp::Fd{};
    return unp::Fd(::accept(fd.get(), nullptr, nullptr));
}

bool wait_fd(int fd, short events, Millis timeout)
{
    pollfd p{fd, events, 0};
    return poll(&p, 1, static_cast<int>(timeout.count())) == 1;
}

std::string read_request(int fd, Millis timeout)
{
    auto deadline = std::chrono::steady_clock::now() + timeout;
    std::string req;
    char buf[1024];
    while (req.find("\r\n\r\n") == std::string::npos) {
        auto left = std::chrono::duration_cast<Millis>(deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0 || !wait_fd(fd, POLLIN, left))
            return "";
        ssize_t n = read(fd, buf, sizeof buf);
        if (n <= 0)
            return "";
        req.append(buf, static_cast<size_t>(n));
    }
    return req;
}

double cpu_seconds(pid_t pid)
{
    auto st = unp::read_proc_stat(pid);
    if (!st)
        return -1;
    return static_cast<double>(st->utime + st->stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

}  // namespace socklab::test
