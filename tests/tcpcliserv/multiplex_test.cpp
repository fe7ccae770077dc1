// SPDX-License-Identifier: MIT
// One process, many clients: tcpservselect01 and tcpservpoll01.  Every
// test runs against both servers.
#include "helpers.hpp"

#include <gmock/gmock.h>

#include <poll.h>
#include <sys/resource.h>

using namespace socklab::test;

namespace {

const char *const kServers[] = {"tcpservselect01", "tcpservpoll01"};

// Each client sends its own lines, all before any reads, then each reads
// its own echo back: the server must keep every connection's bytes apart.
void expect_each_client_gets_its_own_bytes(std::vector<Client> &clients, int round)
{
    for (size_t i = 0; i < clients.size(); i++) {
        std::string line = "round " + std::to_string(round) + " client " + std::to_string(i) + " " +
                           std::string(i * 37 % 500, static_cast<char>('a' + i % 26));
        ASSERT_TRUE(clients[i].send(line + "\n")) << "client " << i;
    }
    for (size_t i = 0; i < clients.size(); i++) {
        auto line = clients[i].recv_line();
        ASSERT_TRUE(line) << "client " << i << " got nothing";
        EXPECT_THAT(*line, ::testing::StartsWith("round " + std::to_string(round) + " client " +
                                                 std::to_string(i) + " "));
        EXPECT_EQ(line->size(), 16 + std::to_string(i).size() + i * 37 % 500);
    }
}

}  // namespace

TEST(Multiplex, HundredConcurrentClientsEachGetTheirOwnBytes)
{
    for (const char *name : kServers) {
        SCOPED_TRACE(name);
        Server s = start_server(name);
        ASSERT_NE(s.port, 0);
        int fds_before = s.proc.open_fds();

        std::vector<Client> clients;
        for (int i = 0; i < 100; i++) {
            clients.emplace_back(s.port);
            ASSERT_TRUE(clients.back().connected()) << "client " << i;
        }
        expect_each_client_gets_its_own_bytes(clients, 1);
        expect_each_client_gets_its_own_bytes(clients, 2);
        EXPECT_TRUE(s.proc.children().empty()) << "one process, no fork";
        EXPECT_EQ(s.proc.open_fds(), fds_before + 100);

        clients.clear();  // all leave: every descriptor is closed again
        EXPECT_TRUE(eventually([&] { return s.proc.open_fds() == fds_before; }))
            << s.proc.open_fds() << " open, " << fds_before << " before";
    }
}

TEST(Multiplex, ClientThatResetsLeavesTheOthersServed)
{
    for (const char *name : kServers) {
        SCOPED_TRACE(name);
        Server s = start_server(name);
        ASSERT_NE(s.port, 0);
        std::vector<Client> clients;
        for (int i = 0; i < 10; i++)
            clients.emplace_back(s.port);
        expect_each_client_gets_its_own_bytes(clients, 1);

        // One client resets with data in flight; another resets right away.
        // Client 3 never reads its echo, so all 200000 bytes fit only if the
        // kernel's buffers have grown large enough: send what fits now,
        // without blocking, rather than wait on buffer sizes.
        std::string flood(200000, 'r');
        ASSERT_GT(::send(clients[3].fd(), flood.data(), flood.size(), MSG_DONTWAIT | MSG_NOSIGNAL), 0)
            << strerror(errno);
        clients[3].reset();
        Client(s.port).reset();
        clients.erase(clients.begin() + 3);

        expect_each_client_gets_its_own_bytes(clients, 2);
        EXPECT_TRUE(s.proc.running()) << s.proc.stderr_text();
    }
}

TEST(Multiplex, ClientThatNeverReadsDoesNotBlockTheOthers)
{
    for (const char *name : kServers) {
        SCOPED_TRACE(name);
        Server s = start_server(name);
        ASSERT_NE(s.port, 0);
        Client hog(s.port), other(s.port);
        ASSERT_TRUE(hog.connected() && other.connected());

        // The hog sends without reading until every buffer on the way is
        // full: the server has stopped reading from it (a server blocked
        // writing its echo would stop too, but serve no one else).
        fcntl(hog.fd(), F_SETFL, fcntl(hog.fd(), F_GETFL) | O_NONBLOCK);
        std::string chunk(65536, 'h');
        size_t sent = 0;
        for (;;) {
            ssize_t n = ::send(hog.fd(), chunk.data(), chunk.size(), MSG_NOSIGNAL);
            if (n > 0) {
                sent += static_cast<size_t>(n);
                continue;
            }
            ASSERT_TRUE(n < 0 && errno == EAGAIN) << strerror(errno);
            pollfd p{hog.fd(), POLLOUT, 0};
            if (poll(&p, 1, 200) == 0)
                break;  // no room for 200 ms: the server is not reading
            ASSERT_LT(sent, size_t{1} << 30) << "the server never stops reading?";
        }

        ASSERT_TRUE(other.send("am I served?\n"));
        EXPECT_EQ(other.recv_line(), "am I served?");

        // Now the hog reads: every byte it sent comes back.
        std::string back = hog.recv_exact(sent, 20s);
        EXPECT_EQ(back.size(), sent);
        EXPECT_EQ(back.find_first_not_of('h'), std::string::npos);
        EXPECT_TRUE(s.proc.running()) << s.proc.stderr_text();
    }
}

namespace {

// Raises this process's descriptor limit (inherited by the servers it
// starts) to at least n; false if the hard limit does not allow it.
bool allow_descriptors(rlim_t n)
{
    rlimit lim{};
    if (getrlimit(RLIMIT_NOFILE, &lim) != 0 || lim.rlim_max < n)
        return false;
    if (lim.rlim_cur < n) {
        lim.rlim_cur = n;
        return setrlimit(RLIMIT_NOFILE, &lim) == 0;
    }
    return true;
}

}  // namespace

TEST(Multiplex, SelectServerTurnsAwayClientsPastFdSetsize)
{
    if (!allow_descriptors(2 * FD_SETSIZE + 100))
        GTEST_SKIP() << "the descriptor limit is too low for " << FD_SETSIZE << " clients";
    Server s = start_server("tcpservselect01");
    ASSERT_NE(s.port, 0);

    // One client at a time, so the server's descriptors are 4, 5, 6, ...
    // until the one that no fd_set can hold.
    std::vector<Client> clients;
    std::optional<std::string> answer;
    for (int i = 0; i < FD_SETSIZE + 10; i++) {
        clients.emplace_back(s.port);
        ASSERT_TRUE(clients.back().connected()) << "client " << i;
        ASSERT_TRUE(clients.back().send("ping\n"));
        answer = clients.back().recv_line();
        if (answer != "ping")
            break;
    }
    EXPECT_EQ(answer, "too many clients");
    EXPECT_GE(clients.size(), size_t{FD_SETSIZE - 10}) << "turned away too early";
    EXPECT_TRUE(clients.back().closed_by_peer());

    // Everyone admitted before is still served, and so is a newcomer once
    // a place is free.
    ASSERT_TRUE(clients.front().send("first\n"));
    EXPECT_EQ(clients.front().recv_line(), "first");
    clients.erase(clients.begin());
    EXPECT_TRUE(eventually([&] {
        Client newcomer(s.port);
        return newcomer.send("again\n") && newcomer.recv_line() == "again";
    }));
    EXPECT_TRUE(s.proc.running()) << s.proc.stderr_text();
}

TEST(Multiplex, PollServerServesMoreClientsThanFdSetsize)
{
    const int n = FD_SETSIZE + 100;
    if (!allow_descriptors(2 * n + 100))
        GTEST_SKIP() << "the descriptor limit is too low for " << n << " clients";
    Server s = start_server("tcpservpoll01");
    ASSERT_NE(s.port, 0);
    std::vector<Client> clients;
    for (int i = 0; i < n; i++) {
        clients.emplace_back(s.port);
        ASSERT_TRUE(clients.back().connected()) << "client " << i;
    }
    for (int i = 0; i < n; i++)
        ASSERT_TRUE(clients[i].send("client " + std::to_string(i) + "\n"));
    for (int i = 0; i < n; i++)
        ASSERT_EQ(clients[i].recv_line(), "client " + std::to_string(i));
    EXPECT_GE(s.proc.open_fds(), n);
}
