// SPDX-License-Identifier: MIT
// What only the HTTP/1.1 servers do (httpserv02: a child per connection,
// httpserv03: one event loop): keep-alive, pipelining, the idle timeout, a
// slowloris cut off while others are served, a hundred clients at once,
// and nothing left behind (no zombie, no descriptor).
#include "http_support.hpp"
#include "ft_support.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>

using namespace socklab::test;

namespace {

class HttpKeepAlive : public ::testing::TestWithParam<const char *> {};

TEST_P(HttpKeepAlive, TwoRequestsShareOneConnection)
{
    HttpServer s(GetParam(), site_dir());
    Client c(s.port);
    ASSERT_TRUE(c.send(request("/style.css")));
    auto first = read_response(c);
    ASSERT_TRUE(first);
    EXPECT_EQ(first->header("connection"), "keep-alive");
    ASSERT_TRUE(c.send(request("/img/dot.png")));
    auto second = read_response(c);
    ASSERT_TRUE(second);
    EXPECT_EQ(second->body, read_file(site_dir() + "/img/dot.png"));
    auto l1 = s.log_for("GET /style.css HTTP/1.1");
    auto l2 = s.log_for("GET /img/dot.png HTTP/1.1");
    ASSERT_TRUE(l1 && l2);
    EXPECT_EQ(log_port(*l1), log_port(*l2));  // one client port: one connection
}

TEST_P(HttpKeepAlive, ConnectionCloseAndHttp10CloseAfterTheAnswer)
{
    HttpServer s(GetParam(), site_dir());
    Client c(s.port);
    ASSERT_TRUE(c.send(request("/notes.txt", "GET", "Connection: close\r\n")));
    auto r = read_response(c);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->header("connection"), "close");
    EXPECT_TRUE(c.closed_by_peer());
    Client old(s.port);
    ASSERT_TRUE(old.send("GET /notes.txt HTTP/1.0\r\n\r\n"));
    ASSERT_TRUE(read_response(old));
    EXPECT_TRUE(old.closed_by_peer());
}

TEST_P(HttpKeepAlive, AnswersPipelinedRequestsInOrder)
{
    HttpServer s(GetParam(), site_dir());
    Client c(s.port);
    ASSERT_TRUE(c.send(request("/notes.txt") + request("/nope", "HEAD") + request("/style.css")));
    auto a = read_response(c);
    auto b = read_response(c, true);
    auto d = read_response(c);
    ASSERT_TRUE(a && b && d);
    EXPECT_EQ(a->body, read_file(site_dir() + "/notes.txt"));
    EXPECT_EQ(b->status, 404);
    EXPECT_EQ(d->body, read_file(site_dir() + "/style.css"));
}

TEST_P(HttpKeepAlive, IdleConnectionIsClosedSilentlyAfterTheTimeout)
{
    HttpServer s(GetParam(), site_dir());  // -t 2
    Client c(s.port);
    ASSERT_TRUE(c.send(request("/notes.txt")));
    ASSERT_TRUE(read_response(c));
    auto start = std::chrono::steady_clock::now();
    EXPECT_EQ(c.recv_all(Millis(6000)), "");  // no 408 for a connection between requests
    EXPECT_GE(std::chrono::steady_clock::now() - start, Millis(1500));
}

TEST_P(HttpKeepAlive, SlowlorisIsCutOffWhileOthersAreServed)
{
    HttpServer s(GetParam(), site_dir());  // -t 2
    Client slow(s.port);
    ASSERT_TRUE(slow.send("GET / HTTP/1.1\r\n"));
    auto start = std::chrono::steady_clock::now();
    // A header byte every 200 ms: each read brings something, but the head
    // never completes; the timeout is for the whole head.
    std::optional<Response> cut;
    for (int i = 0; i < 30 && !cut; i++) {
        slow.send("X");
        auto other = fetch(s.port, request("/style.css"));  // served meanwhile, at once
        ASSERT_TRUE(other);
        EXPECT_EQ(other->status, 200);
        cut = read_response(slow, false, Millis(200));
    }
    ASSERT_TRUE(cut);
    EXPECT_EQ(cut->status, 408);
    auto took = std::chrono::steady_clock::now() - start;
    EXPECT_GE(took, Millis(1500));
    EXPECT_LE(took, Millis(8000));  // 2 s, and room for a loaded machine
}

TEST_P(HttpKeepAlive, HundredClientsAtOnceAreAllServed)
{
    HttpServer s(GetParam(), site_dir());
    std::vector<std::unique_ptr<Client>> clients;
    for (int i = 0; i < 100; i++) {
        clients.push_back(std::make_unique<Client>(s.port));
        ASSERT_TRUE(clients.back()->connected()) << i;
    }
    const char *paths[] = {"/index.html", "/style.css", "/img/dot.png", "/img/stripes.gif", "/favicon.ico"};
    for (int i = 0; i < 100; i++)
        ASSERT_TRUE(clients[i]->send(request(paths[i % 5]) + request("/img/logo.svg")));
    for (int i = 0; i < 100; i++) {
        auto a = read_response(*clients[i]);
        auto b = read_response(*clients[i]);
        ASSERT_TRUE(a && b) << i;
        EXPECT_EQ(a->body, read_file(site_dir() + paths[i % 5])) << i;
        EXPECT_EQ(b->body, read_file(site_dir() + "/img/logo.svg")) << i;
    }
}

TEST_P(HttpKeepAlive, LeavesNoZombieAndNoDescriptorBehind)
{
    HttpServer s(GetParam(), site_dir());
    int before = s.process.open_fds();
    {
        std::vector<std::unique_ptr<Client>> clients;
        for (int i = 0; i < 20; i++) {
            clients.push_back(std::make_unique<Client>(s.port));
            ASSERT_TRUE(clients.back()->send(request(i % 2 ? "/img/dot.png" : "/nope")));
        }
        for (int i = 0; i < 20; i += 2)
            ASSERT_TRUE(read_response(*clients[i]));
        for (int i = 1; i < 20; i += 2)
            clients[i]->reset();  // some reset, the others close: either way
        Client slow(s.port);
        slow.send("GET /");  // and one that is timed out
        ASSERT_TRUE(read_response(slow, false, Millis(6000)));
    }
    EXPECT_TRUE(eventually([&] { return s.process.open_fds() == before; }))
        << s.process.open_fds() << " descriptors, " << before << " before: "
        << ::testing::PrintToString(s.process.fd_targets());
    EXPECT_TRUE(eventually([&] { return s.process.children().empty(); }));
    EXPECT_EQ(s.process.zombie_children(), 0);
}

INSTANTIATE_TEST_SUITE_P(Http, HttpKeepAlive, ::testing::Values("httpserv02", "httpserv03"),
                         [](const auto &info) { return std::string(info.param); });

}  // namespace
