// SPDX-License-Identifier: MIT
// The attacks, one row each: what a hostile or broken client does.  Each
// returns the connections it keeps open; the harness closes them.
#include "hostile.hpp"

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

namespace {

using Held = std::vector<Client>;

std::string garbage(std::size_t n, unsigned seed)
{
    std::mt19937 rng(seed);
    std::string s(n, '\0');
    for (char &c : s)
        c = static_cast<char>(rng());
    return s;
}

Held one(int port, std::string_view bytes, bool keep)
{
    Held held;
    held.emplace_back(port);
    send_for(held.back(), bytes);
    if (!keep)
        held.clear();  // closed: FIN
    return held;
}

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
    };
    return table;
}

}  // namespace socklab::hostile
