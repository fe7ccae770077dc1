// SPDX-License-Identifier: MIT
// The load generator counts exactly the requests it made, and sees a bad
// reply, a refused connection and a slow client for what they are.  The
// server in most of these tests is the test itself, so the counts are
// checked against an independent tally.
#include "process.hpp"

#include <gtest/gtest.h>

#include <arpa/inet.h>

#include <atomic>
#include <cstring>
#include <map>
#include <span>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

using namespace socklab::test;

namespace {

// A minimal server of the designs' service (or of echo), one thread per
// connection, counting connections and requests.  `corrupt` flips the
// first byte of every reply.
class TestServer {
public:
    explicit TestServer(bool echo = false, bool corrupt = false)
        : listener_(unp::listen_tcp("127.0.0.1", "0")), echo_(echo), corrupt_(corrupt)
    {
        port_ = unp::local_port(listener_.get());
        acceptor_ = std::thread([this] { accept_loop(); });
    }
    ~TestServer()
    {
        stopping_ = true;
        shutdown(listener_.get(), SHUT_RDWR);  // wakes accept()
        acceptor_.join();
        for (auto &t : workers_)
            t.join();
    }
    int port() const { return port_; }
    long connections() const { return connections_; }
    long requests() const { return requests_; }

private:
    void accept_loop()
    {
        for (;;) {
            int fd = accept(listener_.get(), nullptr, nullptr);
            if (fd < 0) {
                if (stopping_)
                    return;
                continue;
            }
            connections_++;
            workers_.emplace_back([this, fd] { serve(unp::Fd(fd)); });
        }
    }

    void serve(unp::Fd fd)
    {
        try {
            for (;;) {
                std::string reply;
                if (echo_) {
                    std::byte buf[4096];
                    std::size_t n = unp::read_some(fd.get(), buf);
                    if (n == 0)
                        return;
                    reply.assign(reinterpret_cast<const char *>(buf), n);  // no request boundaries to count
                } else {
                    uint32_t h[4];
                    if (unp::read_full(fd.get(), std::as_writable_bytes(std::span(h))) != sizeof h)
                        return;
                    uint32_t length = ntohl(h[0]), size = ntohl(h[1]), tag = ntohl(h[3]);
                    std::vector<std::byte> rest(length - 16);
                    unp::read_full(fd.get(), rest);
                    reply.resize(size);
                    for (uint32_t i = 0; i < size; i++)
                        reply[i] = static_cast<char>((tag + i) & 0xff);
                    requests_++;
                }
                if (corrupt_ && !reply.empty())
                    reply[0] = static_cast<char>(reply[0] ^ 0x55);
                unp::write_all(fd.get(), reply);
            }
        } catch (const std::system_error &) {
            // the client reset: its problem, not the server's
        }
    }

    unp::Fd listener_;
    bool echo_, corrupt_;
    int port_ = 0;
    std::atomic<bool> stopping_{false};
    std::atomic<long> connections_{0}, requests_{0};
    std::thread acceptor_;
    std::vector<std::thread> workers_;  // touched by the acceptor thread only, until it is joined
};

// loadgen's --csv line as named fields.
struct Result {
    std::map<std::string, std::string> field;
    long num(const std::string &name) const { return std::stol(field.at(name)); }
};

Result run_loadgen(std::vector<std::string> args, int expect_code)
{
    args.insert(args.begin(), {"--csv", "--header"});
    Process p = Process::run("loadgen", args);
    std::string out = p.read_rest(60s);
    auto st = p.wait(60s);
    EXPECT_TRUE(st.exited) << st.describe();
    EXPECT_EQ(st.code, expect_code) << out << p.stderr_text();
    std::istringstream lines(out);
    std::string header, values;
    std::getline(lines, header);
    std::getline(lines, values);
    Result r;
    std::istringstream hs(header), vs(values);
    for (std::string h, v; std::getline(hs, h, ',') && std::getline(vs, v, ',');)
        r.field[h] = v;
    EXPECT_TRUE(r.field.count("ok")) << out << p.stderr_text();
    return r;
}

TEST(Loadgen, CountsEveryRequestOneConnectionEach)
{
    TestServer server;
    Result r = run_loadgen({"-c", "4", "-n", "25", "-r", "100", "127.0.0.1", std::to_string(server.port())}, 0);
    EXPECT_EQ(r.num("ok"), 100);
    EXPECT_EQ(server.requests(), 100);
    EXPECT_EQ(server.connections(), 100);
    EXPECT_EQ(r.field["mode"], "connection");
}

TEST(Loadgen, CountsEveryRequestOnKeptConnections)
{
    TestServer server;
    Result r = run_loadgen({"-k", "-c", "3", "-n", "40", "-q", "1000", "127.0.0.1", std::to_string(server.port())}, 0);
    EXPECT_EQ(r.num("ok"), 120);
    EXPECT_EQ(server.requests(), 120);
    EXPECT_EQ(server.connections(), 3);
    EXPECT_EQ(r.field["mode"], "keepalive");
}

TEST(Loadgen, EchoModeChecksTheEcho)
{
    TestServer server(/*echo=*/true);
    Result r = run_loadgen({"-e", "-c", "2", "-n", "10", "-q", "3000", "127.0.0.1", std::to_string(server.port())}, 0);
    EXPECT_EQ(r.num("ok"), 20);
    EXPECT_EQ(server.connections(), 20);
}

TEST(Loadgen, CatchesWrongReplies)
{
    TestServer liar(/*echo=*/false, /*corrupt=*/true);
    Result r = run_loadgen({"-c", "2", "-n", "5", "127.0.0.1", std::to_string(liar.port())}, 2);
    EXPECT_EQ(r.num("ok"), 0);
    EXPECT_EQ(r.num("bad_reply"), 10);
}

TEST(Loadgen, CountsRefusedConnections)
{
    RefusingPort refusing;
    ASSERT_NE(refusing.port(), 0);
    const int port = refusing.port();
    Result r = run_loadgen({"-c", "2", "-n", "3", "127.0.0.1", std::to_string(port)}, 2);
    EXPECT_EQ(r.num("ok"), 0);
    EXPECT_EQ(r.num("refused"), 6);
}

TEST(Loadgen, SlowClientsAreCountedApart)
{
    TestServer server;
    Result r = run_loadgen({"-c", "2", "-n", "10", "-s", "1", "-t", "1000", "127.0.0.1", std::to_string(server.port())}, 0);
    EXPECT_EQ(r.num("ok"), 20);
    EXPECT_EQ(r.num("slow_clients"), 1);
    // The slow client's requests are served too, but not in `ok`.
    EXPECT_EQ(server.requests(), 20 + r.num("slow_ok"));
}

TEST(Loadgen, StartsAServerAndReportsItsCpuTime)
{
    Result r = run_loadgen({"-c", "8", "-n", "20", "-w", "100", "--", program_path("serv_fork"), "0"}, 0);
    EXPECT_EQ(r.num("ok"), 160);
    EXPECT_EQ(r.field["label"], "serv_fork");
    EXPECT_NE(r.field["server_user_s"], "nan");
    EXPECT_NE(r.field["server_sys_s"], "nan");
}

TEST(Loadgen, ReportsTheCpuTimeOfARunningServerByPid)
{
    Process server = Process::run("serv_epoll", {"0"});
    int port = server.wait_for_port();
    ASSERT_GT(port, 0);
    Result r = run_loadgen({"-c", "2", "-n", "50", "-p", std::to_string(server.pid()), "127.0.0.1", std::to_string(port)}, 0);
    EXPECT_EQ(r.num("ok"), 100);
    EXPECT_NE(r.field["server_user_s"], "nan");
    EXPECT_TRUE(server.running());  // loadgen leaves a server it did not start alone
}

TEST(Loadgen, WrongArgumentsPrintUsage)
{
    for (std::vector<std::string> args : {std::vector<std::string>{}, {"-c", "0", "127.0.0.1", "1"}, {"-q", "8", "127.0.0.1", "1"}}) {
        Process p = Process::run("loadgen", args);
        auto st = p.wait();
        EXPECT_TRUE(st.exited && st.code == 1) << st.describe();
        EXPECT_NE(p.stderr_text().find("usage: loadgen"), std::string::npos) << p.stderr_text();
    }
}

}  // namespace
