// SPDX-License-Identifier: MIT
#include "udp_socket.hpp"

#include "port_note.hpp"

#include <gtest/gtest.h>

#include <poll.h>

#include <cstring>

namespace socklab::test {

namespace {

unp::Fd bound_udp(const std::string &host, int &port)
{
    auto addr = loopback_address(host, 0);
    if (!addr)
        return {};
    unp::Fd fd(socket(addr->family(), SOCK_DGRAM | SOCK_CLOEXEC, 0));
    if (!fd || bind(fd.get(), addr->sa(), addr->len) < 0) {
        ADD_FAILURE() << "cannot bind a UDP socket on " << host << ": " << strerror(errno);
        return {};
    }
    port = unp::local_port(fd.get());
    return fd;
}

}  // namespace

int Datagram::port() const { return sock_get_port(reinterpret_cast<const sockaddr *>(&from), fromlen); }

UdpSocket::UdpSocket(const std::string &host) { fd_ = bound_udp(host, port_); }

UdpSocket socket_whose_port_swaps_to_another()
{
    return with_port_that_swaps_to_another([] { return UdpSocket(); }, [](const UdpSocket &s) { return s.port(); });
}

bool UdpSocket::send_to(std::string_view bytes, int port, const std::string &host)
{
    auto addr = loopback_address(host, port);
    return addr && sendto(fd_.get(), bytes.data(), bytes.size(), 0, addr->sa(), addr->len) ==
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
    auto elsewhere = loopback_address("127.0.0.2", 9);
    if (fd_ && elsewhere && connect(fd_.get(), elsewhere->sa(), elsewhere->len) < 0) {
        ADD_FAILURE() << "RefusingUdpPort: connect: " << strerror(errno);
        port_ = 0;
    }
}

}  // namespace socklab::test
