// SPDX-License-Identifier: MIT
#include "lottery_testing.hpp"

#include <poll.h>

#include <thread>

namespace lottery_testing {

std::string send_garbage(Client &c, size_t bytes, size_t expected_size)
{
    // 0x7f7f7f7f: never 0, 1 or 2, so every word is an unknown command.
    std::string garbage(bytes, '\x7f');
    bool sent = false;
    std::thread sender([&] { sent = c.send(garbage); });
    std::string answers = c.recv_exact(expected_size, 30s);
    sender.join();
    EXPECT_TRUE(sent) << "the server stopped reading the garbage";
    return answers;
}

FakeServer::FakeServer() : listener_(unp::listen_tcp("127.0.0.1", "0"))
{
    port_ = unp::local_port(listener_.get());
}

bool FakeServer::accept(Millis timeout)
{
    pollfd p{listener_.get(), POLLIN, 0};
    if (poll(&p, 1, static_cast<int>(timeout.count())) != 1)
        return false;
    conn_.reset(::accept(listener_.get(), nullptr, nullptr));
    return static_cast<bool>(conn_);
}

std::string FakeServer::read(size_t n, Millis timeout)
{
    auto deadline = std::chrono::steady_clock::now() + timeout;
    std::string got;
    while (got.size() < n) {
        auto left = std::chrono::duration_cast<Millis>(deadline - std::chrono::steady_clock::now());
        pollfd p{conn_.get(), POLLIN, 0};
        if (left.count() <= 0 || poll(&p, 1, static_cast<int>(left.count())) != 1)
            break;
        char buf[4096];
        ssize_t r = ::read(conn_.get(), buf, std::min(sizeof buf, n - got.size()));
        if (r <= 0)
            break;
        got.append(buf, static_cast<size_t>(r));
    }
    return got;
}

bool FakeServer::send(std::string_view bytes)
{
    return ::send(conn_.get(), bytes.data(), bytes.size(), MSG_NOSIGNAL) ==
           static_cast<ssize_t>(bytes.size());
}

bool FakeServer::closed_by_peer(Millis timeout)
{
    pollfd p{conn_.get(), POLLIN, 0};
    if (poll(&p, 1, static_cast<int>(timeout.count())) != 1)
        return false;
    char c;
    return ::read(conn_.get(), &c, 1) <= 0;
}

void FakeServer::close_connection() { conn_.reset(); }

}  // namespace lottery_testing
