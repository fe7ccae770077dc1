// SPDX-License-Identifier: MIT
// Every server design of bench/designs serves the same service correctly:
// eight clients at once, every reply the right size and content, and a
// client that misbehaves costs only its own connection.  No timings here:
// speed is what bench/run.sh measures.
#include "process.hpp"

#include <gtest/gtest.h>

#include <arpa/inet.h>

#include <cstring>
#include <string>
#include <thread>
#include <vector>

using namespace socklab::test;

namespace {

struct Design {
    const char *name;  // for the test's name
    const char *program;
    std::vector<std::string> args;  // before the port
};

// gtest prints the parameter in test listings: its program and options.
void PrintTo(const Design &d, std::ostream *os)
{
    *os << d.program;
    for (const auto &a : d.args)
        *os << ' ' << a;
}

const Design kDesigns[] = {
    {"iterative", "serv_iterative", {}},
    {"fork", "serv_fork", {}},
    {"prefork", "serv_prefork", {"-n", "3"}},
    {"prefork_lock", "serv_prefork", {"-l", "-n", "3"}},
    {"thread", "serv_thread", {}},
    {"prethread", "serv_prethread", {"-n", "3"}},
    {"select", "serv_select", {}},
    {"poll", "serv_poll", {}},
    {"epoll", "serv_epoll", {}},
};

// The wire format, written out here rather than borrowed from service.h,
// so a mistake there cannot hide behind the same mistake here.
std::string header(uint32_t length, uint32_t reply, uint32_t work_usec, uint32_t tag)
{
    std::string h;
    for (uint32_t v : {length, reply, work_usec, tag}) {
        uint32_t net = htonl(v);
        h.append(reinterpret_cast<const char *>(&net), 4);
    }
    return h;
}

// Byte i of the reply to a request tagged `tag` is (tag + i) mod 256.
std::string expected_reply(uint32_t tag, size_t n)
{
    std::string s(n, '\0');
    for (size_t i = 0; i < n; i++)
        s[i] = static_cast<char>((tag + i) & 0xff);
    return s;
}

struct Exchange {
    uint32_t padding, reply, work_usec;
    bool trickle;  // send the header in two pieces, a moment apart
};

// One client: the exchanges on one connection, then one more on a fresh
// connection.  Returns "" if every reply was right, else what went wrong.
std::string run_client(int port, int id)
{
    const Exchange exchanges[] = {
        {0, 64, 0, false},       // the bench's tiny request
        {0, 0, 0, false},        // an empty reply
        {100'000, 10, 0, false}, // a long request: the server reads it all
        {0, 300'000, 0, false},  // a long reply: partial writes
        {0, 100, 2000, false},   // work time: the server waits 2 ms
        {5, 33, 0, true},        // a slow client
    };
    Client c(port);
    if (!c.connected())
        return "client " + std::to_string(id) + ": connect failed: " + strerror(c.errno_value());
    for (size_t k = 0; k < std::size(exchanges); k++) {
        const Exchange &e = exchanges[k];
        auto tag = static_cast<uint32_t>(id * 1000 + k * 37);
        std::string request = header(16 + e.padding, e.reply, e.work_usec, tag) + std::string(e.padding, 'p');
        bool sent = true;
        if (e.trickle) {
            sent = c.send(request.substr(0, 7));
            std::this_thread::sleep_for(20ms);  // pacing the client, not waiting for the server
            sent = sent && c.send(request.substr(7));
        } else {
            sent = c.send(request);
        }
        if (!sent)
            return "client " + std::to_string(id) + ": send failed in exchange " + std::to_string(k);
        std::string reply = c.recv_exact(e.reply, 20s);
        if (reply != expected_reply(tag, e.reply))
            return "client " + std::to_string(id) + ", exchange " + std::to_string(k) + ": got " +
                   std::to_string(reply.size()) + " of " + std::to_string(e.reply) + " bytes" +
                   (reply.size() == e.reply ? ", wrong content" : "");
    }
    c.close();

    Client again(port);
    auto tag = static_cast<uint32_t>(id * 1000 + 999);
    if (!again.send(header(16, 500, 0, tag)) || again.recv_exact(500, 20s) != expected_reply(tag, 500))
        return "client " + std::to_string(id) + ": second connection not served right";
    again.close();
    return "";
}

class DesignTest : public ::testing::TestWithParam<Design> {
protected:
    Process start()
    {
        std::vector<std::string> args = GetParam().args;
        args.push_back("0");
        return Process::run(GetParam().program, args);
    }
};

TEST_P(DesignTest, ServesEightConcurrentClientsCorrectly)
{
    Process server = start();
    int port = server.wait_for_port();
    ASSERT_GT(port, 0) << server.stderr_text();
    int fds_before = server.open_fds();

    std::vector<std::string> problems(8);
    std::vector<std::thread> clients;
    for (int id = 0; id < 8; id++)
        clients.emplace_back([&, id] { problems[static_cast<size_t>(id)] = run_client(port, id); });
    for (auto &t : clients)
        t.join();
    for (const auto &p : problems)
        EXPECT_EQ(p, "");

    EXPECT_TRUE(server.running()) << server.stderr_text();
    // Every connection closed, every child reaped.
    EXPECT_TRUE(eventually([&] { return server.open_fds() == fds_before; }))
        << ::testing::PrintToString(server.fd_targets());
    EXPECT_TRUE(eventually([&] { return server.zombie_children() == 0; }));
}

TEST_P(DesignTest, BadClientsCostOnlyTheirOwnConnection)
{
    Process server = start();
    int port = server.wait_for_port();
    ASSERT_GT(port, 0) << server.stderr_text();

    // A header asking for 1 GiB: the server closes that connection.
    Client greedy(port);
    ASSERT_TRUE(greedy.send(header(16, 1u << 30, 0, 1)));
    EXPECT_TRUE(greedy.closed_by_peer());
    // Half a header, then a reset.
    Client rude(port);
    ASSERT_TRUE(rude.send(header(16, 10, 0, 2).substr(0, 9)));
    rude.reset();
    // Asks for a long reply and resets without reading it.
    Client gone(port);
    ASSERT_TRUE(gone.send(header(16, 5'000'000, 0, 3)));
    gone.reset();

    // Everyone else is still served.
    EXPECT_EQ(run_client(port, 42), "");
    EXPECT_TRUE(server.running()) << server.stderr_text();
    EXPECT_NE(server.stderr_text().find("bad request header"), std::string::npos) << server.stderr_text();
}

TEST_P(DesignTest, WrongArgumentsPrintUsage)
{
    std::vector<std::string> args = GetParam().args;
    args.insert(args.end(), {"1", "2", "3"});
    Process p = Process::run(GetParam().program, args);
    auto st = p.wait();
    EXPECT_TRUE(st.exited && st.code != 0) << st.describe();
    EXPECT_NE(p.stderr_text().find("usage: "), std::string::npos) << p.stderr_text();
}

INSTANTIATE_TEST_SUITE_P(Designs, DesignTest, ::testing::ValuesIn(kDesigns),
                         [](const ::testing::TestParamInfo<Design> &info) { return std::string(info.param.name); });

}  // namespace

namespace {

// kill PID (not the group) on the prefork parent: it ends its children
// and reaps them, so no pool is left accepting on an orphaned socket.
TEST(Prefork, ParentEndsAndReapsItsChildrenOnSigterm)
{
    Process server = Process::run("serv_prefork", {"-n", "3", "0"});
    ASSERT_GT(server.wait_for_port(), 0) << server.stderr_text();
    std::vector<pid_t> children = server.children();
    ASSERT_EQ(children.size(), 3u);

    server.kill(SIGTERM);
    auto st = server.wait();
    EXPECT_TRUE(st.exited && st.code == 0) << st.describe();
    for (pid_t pid : children)
        EXPECT_NE(kill(pid, 0), 0) << "child " << pid << " still exists";
}

}  // namespace
