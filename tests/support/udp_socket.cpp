// SPDX-License-Identifier: MIT
#include "udp_socket.hpp"

#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <poll.h>

#include <cstring>

namespace socklab::test {

namespace {

socklen_t loopback_address(const std::string &host, int port, sockaddr_storage &ss)
{
    ss = {};
    auto *sin = reinterpret_cast<sockaddr_in *>(&ss);
    auto *sin6 = reinterpret_cast<sockaddr_in6 *>(&ss);
    if (inet_pton(AF_INET, host.c_str(), &sin->sin_addr) == 1) {
        sin->sin_family = AF_INET;
        sin->sin_port = htons(static_cast<uint16_t>(port));
        return sizeof *sin;
    }
    if (inet_pton(AF_INET6, host.c_str(), &sin6->sin6_addr) == 1) {
        sin6->sin6_family = AF_INET6;
        sin6->sin6_port = htons(static_cast<uint16_t>(port));
        return sizeof *sin6;
    }
    ADD_FAILURE() << "not a numeric address: " << host;
    return 0;
}

unp::Fd bound_udp(const std::string &host, int &port)
{
    sockaddr_storage ss{};
    socklen_t len = loopback_address(host, 0, ss);
    unp::Fd fd(socket(ss.ss_family, SOCK_DGRAM | SOCK_CLOEXEC, 0));
    if (len == 0 || !fd || bind(fd.get(), reinterpret_cast<sockaddr *>(&ss), len) < 0) {
        ADD_FAILURE() << "cannot bind a UDP socket on " << host << ": " << strerror(errno);
        return {};
    }
    port = unp::local_port(fd.get());
    return fd;
}

}  // namespace

int Datagram::port() const { return sock_get_port(reinterpret_cast<const sockaddr *>(&from), fromlen); }

UdpSocket::UdpSocket(const std::string &host) { fd_ = bound_udp(host, port_); }

bool UdpSocket::send_to(std::string_view bytes, int port, const std::string &host)
{
    sockaddr_storage ss{};
    socklen_t len = loopback_address(host, port, ss);
    return len != 0 && sendto(fd_.get(), bytes.data(), bytes.size(), 0, reinterpret_cast<sockaddr *>(&ss), len) ==
                           static_cast<ssize_t>(bytes.size());
}

bool UdpSocket::reply(const Datagram &to, std::string_view bytes)
{
    return sendto(fd_.get(), bytes.data(), bytes.size(), 0, reinterpret_cast<const sockaddr *>(&to.from),
                  to.fromlen) == static_cast<ssize_t>(bytes.size());
}

std::optional<Datagram> UdpSocket::recv(Millis timeout)
{
    pollfd p{fd_.get(), POLLIN, 0};
    if (!fd_ || poll(&p, 1, static_cast<int>(timeout.count())) != 1)
        return std::nullopt;
    Datagram d;
    d.bytes.resize(65536);
    d.fromlen = sizeof d.from;
    ssize_t n = recvfrom(fd_.get(), d.bytes.data(), d.bytes.size(), 0, reinterpret_cast<sockaddr *>(&d.from),
                         &d.fromlen);
    if (n < 0)
        return std::nullopt;
    d.bytes.resize(static_cast<size_t>(n));
    return d;
}

RefusingUdpPort::RefusingUdpPort()
{
    fd_ = bound_udp("127.0.0.1", port_);
    sockaddr_storage elsewhere{};
    socklen_t len = loopback_address("127.0.0.2", 9, elsewhere);
    if (fd_ && connect(fd_.get(), reinterpret_cast<sockaddr *>(&elsewhere), len) < 0) {
        ADD_FAILURE() << "RefusingUdpPort: connect: " << strerror(errno);
        port_ = 0;
    }
}

}  // namespace socklab::test
