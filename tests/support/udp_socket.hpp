// SPDX-License-Identifier: MIT
// A test's UDP socket on loopback, with deadlines on every receive: to play
// a server that answers (or does not), a wrong peer, or a flood.
#ifndef SOCKLAB_TEST_UDP_SOCKET_HPP
#define SOCKLAB_TEST_UDP_SOCKET_HPP

#include "process.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace socklab::test {

// One received datagram and where it came from.
struct Datagram {
    std::string bytes;
    sockaddr_storage from{};
    socklen_t fromlen = 0;
    int port() const;  // the sender's port
};

class UdpSocket {
public:
    // Bound to host and a port the kernel picks (port() is 0 if that
    // failed: the test reports it).
    explicit UdpSocket(const std::string &host = "127.0.0.1");
    int port() const { return port_; }
    int fd() const { return fd_.get(); }

    bool send_to(std::string_view bytes, int port, const std::string &host = "127.0.0.1");
    bool reply(const Datagram &to, std::string_view bytes);
    // The next datagram, or nullopt at the deadline.
    std::optional<Datagram> recv(Millis timeout = kDefaultTimeout);

private:
    unp::Fd fd_;
    int port_ = 0;
};

// A socket on a port that swaps to another one (see swaps_to_itself()).
UdpSocket socket_whose_port_swaps_to_another();

// A UDP port where nothing receives, for as long as this lives: a socket
// bound to it but connected elsewhere (127.0.0.2:9), which the kernel does
// not match for datagrams from anyone else, so they draw an ICMP port
// unreachable, while no other test can be given the port meanwhile.
class RefusingUdpPort {
public:
    RefusingUdpPort();
    int port() const { return port_; }

private:
    unp::Fd fd_;
    int port_ = 0;
};

}  // namespace socklab::test

#endif  // SOCKLAB_TEST_UDP_SOCKET_HPP
