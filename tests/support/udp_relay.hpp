// SPDX-License-Identifier: MIT
// A lossy UDP relay for tests: a client talks to the relay's port as if it
// were the server's, and the relay forwards each datagram, in both
// directions, except that it drops, duplicates or delays (reorders) some of
// them by a seeded pattern.  The n-th datagram in a direction always meets
// the same fate for the same seed, so a failing case can be rerun.
//
// Each client address gets its own upstream socket, so several clients can
// share one relay and the server sees them apart.  The relay runs in a
// thread of the test; it stops in its destructor.
#ifndef SOCKLAB_TEST_UDP_RELAY_HPP
#define SOCKLAB_TEST_UDP_RELAY_HPP

#include "udp_socket.hpp"

#include <atomic>
#include <cstdint>
#include <thread>

namespace socklab::test {

// Per direction, the probability (0..1) that a datagram is dropped,
// duplicated (sent twice), or held back and sent after the next one.
struct Faults {
    double drop = 0;
    double duplicate = 0;
    double reorder = 0;
    std::uint32_t seed = 1;
};

// What the relay did, per direction (to the server, to the client).
struct RelayCounts {
    std::atomic<long> forwarded{0}, dropped{0}, duplicated{0}, reordered{0};
};

class UdpRelay {
public:
    // Forwards to 127.0.0.1:server_port; listens on 127.0.0.1:port().
    UdpRelay(int server_port, Faults faults);
    ~UdpRelay();
    UdpRelay(const UdpRelay &) = delete;
    UdpRelay &operator=(const UdpRelay &) = delete;

    int port() const { return port_; }
    // While true, every datagram in both directions is dropped (a server
    // that has vanished, or a cable pulled), whatever the pattern says.
    void blackhole(bool on) { blackhole_ = on; }

    const RelayCounts &to_server() const { return up_; }
    const RelayCounts &to_client() const { return down_; }

private:
    void run(int stop_fd);
    int server_port_;
    Faults faults_;
    unp::Fd front_;  // the socket clients send to
    int port_ = 0;
    unp::Fd stop_;   // an eventfd: written by the destructor
    std::atomic<bool> blackhole_{false};
    RelayCounts up_, down_;
    std::thread thread_;
};

}  // namespace socklab::test

#endif  // SOCKLAB_TEST_UDP_RELAY_HPP
