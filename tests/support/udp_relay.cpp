// SPDX-License-Identifier: MIT
#include "udp_relay.hpp"

#include <gtest/gtest.h>

#include <poll.h>
#include <sys/eventfd.h>

#include <chrono>
#include <cstring>
#include <list>
#include <optional>
#include <random>
#include <string>
#include <vector>

namespace socklab::test {

namespace {

using Clock = std::chrono::steady_clock;
constexpr auto kHoldAtMost = std::chrono::milliseconds(20);  // a reordered datagram waits this long for the next

struct Address {
    sockaddr_storage ss{};
    socklen_t len = 0;
    bool operator==(const Address &o) const { return len == o.len && memcmp(&ss, &o.ss, len) == 0; }
};

struct Outgoing {
    std::string bytes;
    int fd = -1;
    Address to;
};

void send_out(const Outgoing &d)
{
    // A full buffer or an unreachable peer is one more loss on the wire.
    ssize_t ignored = sendto(d.fd, d.bytes.data(), d.bytes.size(), MSG_DONTWAIT,
                             reinterpret_cast<const sockaddr *>(&d.to.ss), d.to.len);
    (void)ignored;
}

// One direction's fate table: one draw of a seeded generator per datagram.
class Direction {
public:
    Direction(const Faults &f, std::uint32_t salt, RelayCounts &counts)
        : faults_(f), rng_(f.seed * 2654435761u + salt), counts_(counts) {}

    void deliver(Outgoing d, bool blackhole)
    {
        double r = std::uniform_real_distribution<double>(0, 1)(rng_);
        if (blackhole || r < faults_.drop) {
            counts_.dropped++;
            return;
        }
        counts_.forwarded++;
        if (r < faults_.drop + faults_.duplicate) {
            counts_.duplicated++;
            send_out(d);
            send_out(d);
        } else if (r < faults_.drop + faults_.duplicate + faults_.reorder) {
            counts_.reordered++;
            flush();  // at most one held back at a time
            held_ = std::move(d);
            held_since_ = Clock::now();
            return;
        } else {
            send_out(d);
        }
        flush();  // the held one goes after the datagram that overtook it
    }
    void flush()
    {
        if (held_)
            send_out(*held_);
        held_.reset();
    }
    void flush_if_old()
    {
        if (held_ && Clock::now() - held_since_ >= kHoldAtMost)
            flush();
    }
    bool holding() const { return held_.has_value(); }

private:
    Faults faults_;
    std::mt19937 rng_;
    RelayCounts &counts_;
    std::optional<Outgoing> held_;
    Clock::time_point held_since_;
};

struct Peer {
    Address client;
    unp::Fd upstream;  // this client's socket towards the server
};

std::optional<std::pair<std::string, Address>> receive(int fd)
{
    std::string buf(65536, '\0');
    Address from;
    from.len = sizeof from.ss;
    ssize_t n = recvfrom(fd, buf.data(), buf.size(), MSG_DONTWAIT, reinterpret_cast<sockaddr *>(&from.ss), &from.len);
    if (n < 0)
        return std::nullopt;
    buf.resize(static_cast<std::size_t>(n));
    return std::make_pair(std::move(buf), from);
}

}  // namespace

UdpRelay::UdpRelay(int server_port, Faults faults) : server_port_(server_port), faults_(faults)
{
    UdpSocket front;
    port_ = front.port();
    front_.reset(dup(front.fd()));  // UdpSocket closes its own copy
    stop_.reset(eventfd(0, EFD_CLOEXEC));
    if (!front_ || !stop_) {
        ADD_FAILURE() << "UdpRelay: " << strerror(errno);
        return;
    }
    thread_ = std::thread([this, fd = stop_.get()] { run(fd); });
}

UdpRelay::~UdpRelay()
{
    if (thread_.joinable()) {
        uint64_t one = 1;
        ssize_t ignored = write(stop_.get(), &one, sizeof one);
        (void)ignored;
        thread_.join();
    }
}

void UdpRelay::run(int stop_fd)
{
    Direction up(faults_, 1, up_), down(faults_, 2, down_);
    std::list<Peer> peers;  // list: a Peer never moves, its fd stays put
    Address server;
    server.len = sizeof(sockaddr_in);
    auto *sin = reinterpret_cast<sockaddr_in *>(&server.ss);
    sin->sin_family = AF_INET;
    sin->sin_port = htons(static_cast<uint16_t>(server_port_));
    sin->sin_addr.s_addr = htonl(INADDR_LOOPBACK);

    for (;;) {
        std::vector<pollfd> fds{{stop_fd, POLLIN, 0}, {front_.get(), POLLIN, 0}};
        for (auto &p : peers)
            fds.push_back({p.upstream.get(), POLLIN, 0});
        int timeout = up.holding() || down.holding() ? 5 : 200;
        if (poll(fds.data(), fds.size(), timeout) < 0 && errno != EINTR)
            return;
        if (fds[0].revents)
            return;
        if (fds[1].revents) {
            if (auto got = receive(front_.get())) {
                Peer *peer = nullptr;
                for (auto &p : peers)
                    if (p.client == got->second)
                        peer = &p;
                if (peer == nullptr) {
                    peers.push_back({got->second, unp::Fd(socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0))});
                    peer = &peers.back();
                }
                up.deliver({std::move(got->first), peer->upstream.get(), server}, blackhole_);
            }
        }
        auto it = peers.begin();
        for (std::size_t i = 2; i < fds.size(); i++, ++it) {
            if (!fds[i].revents)
                continue;
            if (auto got = receive(it->upstream.get()))
                down.deliver({std::move(got->first), front_.get(), it->client}, blackhole_);
        }
        up.flush_if_old();
        down.flush_if_old();
    }
}

}  // namespace socklab::test
