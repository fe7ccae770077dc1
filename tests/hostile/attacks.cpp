// SPDX-License-Identifier: MIT
// The attacks, one row each: what a hostile or broken client does.  Each
// returns the connections it keeps open; the harness closes them.
#include "hostile.hpp"
#include "udp_socket.hpp"

#include <poll.h>
#include <sys/socket.h>

#include <random>
#include <thread>

namespace socklab::hostile {

std::size_t send_for(Client &c, std::string_view bytes, Millis timeout)
{
    auto deadline = std::chrono::steady_clock::now() + timeout;
    std::size_t done = 0;
    while (done < bytes.size() && c.connected()) {
        auto left = std::chrono::duration_cast<Millis>(deadline - std::chrono::steady_clock::now()).count();
        pollfd p{c.fd(), POLLOUT, 0};
        if (left <= 0 || poll(&p, 1, static_cast<int>(left)) != 1 || !(p.revents & POLLOUT))
            break;
        ssize_t n = ::send(c.fd(), bytes.data() + done, bytes.size() - done, MSG_DONTWAIT | MSG_NOSIGNAL);
        if (n < 0 && (errno == EINTR || errno == EAGAIN))
            continue;
        if (n <= 0)
            break;
        done += static_cast<std::size_t>(n);
    }
    return done;
}

std::string garbage(std::size_t n, unsigned seed)
{
    std::mt19937 rng(seed);
    std::string s(n, '\0');
    for (char &c : s)
        c = static_cast<char>(rng());
    return s;
}

std::vector<Client> one(int port, std::string_view bytes, bool keep)
{
    std::vector<Client> held;
    held.emplace_back(port);
    send_for(held.back(), bytes);
    if (!keep)
        held.clear();  // closed: FIN
    return held;
}

void send_draining(Client &c, std::string_view bytes, Millis timeout)
{
    auto deadline = std::chrono::steady_clock::now() + timeout;
    std::size_t done = 0;
    char sink[65536];
    while (done < bytes.size()) {
        auto left = std::chrono::duration_cast<Millis>(deadline - std::chrono::steady_clock::now()).count();
        pollfd p{c.fd(), POLLIN | POLLOUT, 0};
        if (left <= 0 || poll(&p, 1, static_cast<int>(left)) != 1)
            return;
        if ((p.revents & POLLIN) && ::recv(c.fd(), sink, sizeof sink, MSG_DONTWAIT) <= 0)
            return;  // the server closed (or reset): it refused the rest
        if (!(p.revents & POLLOUT))
            continue;
        ssize_t n = ::send(c.fd(), bytes.data() + done, std::min<std::size_t>(bytes.size() - done, 1 << 16),
                           MSG_DONTWAIT | MSG_NOSIGNAL);
        if (n < 0 && errno != EINTR && errno != EAGAIN)
            return;
        done += n > 0 ? static_cast<std::size_t>(n) : 0;
    }
}

namespace {

using Held = std::vector<Client>;
using test::UdpSocket;

Held garbage_sizes(int port, const Server &, const std::string &)
{
    for (std::size_t n : {std::size_t{1}, std::size_t{4096}, std::size_t{1} << 20})
        one(port, garbage(n, static_cast<unsigned>(n)), false);
    return {};
}

Held half_then_close(int port, const Server &s, const std::string &dir)
{
    std::string req = s.request(dir);
    return one(port, req.substr(0, req.size() / 2), false);
}

Held half_then_hang(int port, const Server &s, const std::string &dir)
{
    std::string req = s.request(dir);
    return one(port, req.substr(0, req.size() / 2), true);
}

// Slowloris: a request a byte at a time, 20 ms apart, the connection kept.
Held slowloris(int port, const Server &s, const std::string &dir)
{
    Held held;
    held.emplace_back(port);
    for (char c : s.request(dir).substr(0, 10)) {
        send_for(held.back(), std::string_view(&c, 1));
        std::this_thread::sleep_for(20ms);  // the attack is the slowness itself
    }
    return held;
}

Held long_line(int port, const Server &, const std::string &)
{
    return one(port, std::string(64 << 10, 'x'), false);  // 64 KiB, no newline, then EOF
}

// 10 MiB of one line (a newline at the very end), sent as fast as the
// server takes it while its answers are read: a server must neither grow
// without bound nor choke.
Held ten_mib_line(int port, const Server &, const std::string &)
{
    Client c(port);
    send_draining(c, std::string(10 << 20, 'x') + "\n", 5s);
    return {};
}

Held nul_bytes(int port, const Server &, const std::string &)
{
    return one(port, std::string(4096, '\0') + "\n", false);
}

Held unknown(int port, const Server &s, const std::string &dir)
{
    return one(port, s.unknown(dir), false);
}

// A request for a large reply, then RST while the reply is on its way.
Held reset_mid_reply(int port, const Server &s, const std::string &dir)
{
    Client c(port);
    send_for(c, s.large(dir));
    c.recv_exact(1000, 1s);
    c.reset();
    return {};
}

// Asks for large replies and never reads them: the server's writes block.
Held never_reads(int port, const Server &s, const std::string &dir)
{
    Held held;
    held.emplace_back(port);
    std::string large = s.large(dir);
    for (int i = 0; i < 4; i++)
        send_for(held.back(), large, 300ms);
    return held;
}

// Abusive connections (garbage, held) beside which good clients must be served.
Held many_abusive(int port, const Server &, const std::string &)
{
    Held held;
    for (int i = 0; i < 30; i++) {
        held.emplace_back(port);
        send_for(held.back(), garbage(512, static_cast<unsigned>(i)), 100ms);
    }
    return held;
}

Held idle(int port, const Server &, const std::string &)
{
    Held held;
    for (int i = 0; i < 30; i++)
        held.emplace_back(port);
    return held;
}

// ---- datagrams: nothing is held (there is no connection); the server
// must answer a correct client afterwards, and keep what it promised.

// 0 B (a valid datagram with no payload) to 65,507 B (the largest over IPv4).
Held datagram_garbage(int port, const Server &, const std::string &)
{
    UdpSocket u;
    for (std::size_t n : {0, 1, 3, 512, 1472, 8192, 65507})
        u.send_to(garbage(n, static_cast<unsigned>(n)), port);
    return {};
}

// Every prefix of the protocol's messages (truncated), and the message
// it does not know.
Held datagram_truncated(int port, const Server &s, const std::string &dir)
{
    UdpSocket u;
    for (const std::string &msg : {s.request(dir), s.large(dir)})
        for (std::size_t n = 0; n < msg.size() && n < 64; n++)
            u.send_to(msg.substr(0, n), port);
    u.send_to(s.unknown(dir), port);
    return {};
}

// 40 source ports (40 "clients"), each a correct request and garbage,
// then gone without reading the answers: what arrives there draws ICMP
// port unreachable.
Held datagram_flood(int port, const Server &s, const std::string &dir)
{
    std::vector<UdpSocket> ports(40);
    for (std::size_t i = 0; i < ports.size(); i++) {
        ports[i].send_to(s.request(dir), port);
        ports[i].send_to(garbage(100, static_cast<unsigned>(i)), port);
    }
    return {};
}

// A client that asks, hears the first answer and vanishes: the server's
// next datagrams to it draw ICMP port unreachable.
Held datagram_vanished(int port, const Server &s, const std::string &dir)
{
    UdpSocket u;
    u.send_to(s.large(dir), port);
    u.recv(2s);
    return {};
}

}  // namespace

const std::vector<Attack> &attacks()
{
    static const std::vector<Attack> table = {
        {"Garbage1BTo1MiB", garbage_sizes},
        {"HalfMessageThenClose", half_then_close},
        {"HalfMessageThenHang", half_then_hang},
        {"Slowloris", slowloris},
        {"Line64KiB", long_line},
        {"NulBytes", nul_bytes},
        {"UnknownCommandOrLength", unknown},
        {"ResetMidReply", reset_mid_reply},
        {"NeverReads", never_reads},
        {"ManyAbusiveBesideGoodOnes", many_abusive},
        {"IdleConnections", idle},
        // 40 connections held against a limit of 32 descriptors.
        {"OutOfDescriptors", idle, 32},
        {"Line10MiB", ten_mib_line, 0, Transport::tcp, true},
        {"DatagramGarbage0BTo64KiB", datagram_garbage, 0, Transport::udp},
        {"DatagramTruncatedOrUnknown", datagram_truncated, 0, Transport::udp},
        {"DatagramFloodFromManyPorts", datagram_flood, 0, Transport::udp},
        {"DatagramFromVanishedClient", datagram_vanished, 0, Transport::udp},
    };
    return table;
}

}  // namespace socklab::hostile
