// SPDX-License-Identifier: MIT
// HttpLab: the checks the exercises grader runs on a student's httpserv02
// (exercises/labs/http.exercise): the sockets, the request line, the
// answer's head (CRLF line ends), the 404, a large file through
// sendfile(), and the fork server's duties (each side closes what it does
// not use; SIGCHLD reaps the children).  The messages say what a typical
// mistake looks like from outside.
#include "http_support.hpp"
#include "ft_support.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <csignal>

using namespace socklab::test;
using ::testing::HasSubstr;

namespace {

constexpr const char *kServer = "httpserv02";

// The raw head of one answer, up to and including the empty line (or
// whatever came before the close or the deadline).
std::string raw_head(Client &c)
{
    std::string head;
    while (head.find("\r\n\r\n") == std::string::npos && head.find("\n\n") == std::string::npos) {
        std::string byte = c.recv_exact(1, 3s);
        if (byte.empty())
            break;
        head += byte;
    }
    return head;
}

}  // namespace

TEST(HttpLab, ServerPrintsThePortItListensOn)
{
    HttpServer s(kServer, site_dir());
    EXPECT_GT(s.port, 0);
}

TEST(HttpLab, GetOfAFileAnswers200WithItsBytesAndLength)
{
    HttpServer s(kServer, site_dir());
    ASSERT_GT(s.port, 0);
    auto r = fetch(s.port, request("/notes.txt"));
    ASSERT_TRUE(r) << "no well-formed answer (a status line and headers, each ending in CRLF)";
    std::string want = read_file(site_dir() + "/notes.txt");
    EXPECT_EQ(r->status_line, "HTTP/1.1 200 OK");
    EXPECT_EQ(r->header("content-length"), std::to_string(want.size()));
    EXPECT_EQ(r->body, want);
}

TEST(HttpLab, EveryLineOfTheHeadEndsWithCrlf)
{
    HttpServer s(kServer, site_dir());
    ASSERT_GT(s.port, 0);
    Client c(s.port);
    ASSERT_TRUE(c.send(request("/notes.txt", "HEAD", "Connection: close\r\n")));
    std::string head = raw_head(c);
    ASSERT_FALSE(head.empty()) << "no answer";
    EXPECT_TRUE(head.size() >= 4 && head.compare(head.size() - 4, 4, "\r\n\r\n") == 0)
        << "the head must end with an empty line, CRLF CRLF; it ends with "
        << testing::PrintToString(head.substr(head.size() > 8 ? head.size() - 8 : 0));
    for (std::size_t at = head.find('\n'); at != std::string::npos; at = head.find('\n', at + 1))
        if (at == 0 || head[at - 1] != '\r') {
            ADD_FAILURE() << "a line of the head ends with a bare LF, not CRLF: "
                          << testing::PrintToString(head.substr(0, at + 1));
            break;
        }
}

TEST(HttpLab, TheRequestLineIsReadAsMethodTargetAndVersion)
{
    HttpServer s(kServer, site_dir());
    ASSERT_GT(s.port, 0);
    auto head = fetch(s.port, request("/style.css", "HEAD", "Connection: close\r\n"), true);
    ASSERT_TRUE(head);
    EXPECT_EQ(head->status, 200) << "HEAD /style.css HTTP/1.1";
    EXPECT_EQ(head->header("content-type"), "text/css; charset=utf-8");
    EXPECT_TRUE(s.log_for("HEAD /style.css HTTP/1.1")) << "the log names the request line as sent";
    auto bad = fetch(s.port, "GET /style.css\r\n\r\n");
    ASSERT_TRUE(bad) << "no answer to a request line of two words";
    EXPECT_EQ(bad->status, 400) << "GET /style.css (no version) is not a request line";
    auto extra = fetch(s.port, "GET / HTTP/1.1 now\r\nHost: x\r\n\r\n");
    ASSERT_TRUE(extra);
    EXPECT_EQ(extra->status, 400) << "four words are not a request line either";
}

TEST(HttpLab, MissingFileAnswers404AndTheServerGoesOn)
{
    HttpServer s(kServer, site_dir());
    ASSERT_GT(s.port, 0);
    auto r = fetch(s.port, request("/no-such-file.html"));
    ASSERT_TRUE(r) << "no answer for a file that does not exist";
    EXPECT_EQ(r->status, 404);
    EXPECT_EQ(r->status_line, "HTTP/1.1 404 Not Found");
    auto next = fetch(s.port, request("/notes.txt"));
    ASSERT_TRUE(next);
    EXPECT_EQ(next->status, 200);
}

TEST(HttpLab, ALargeFileComesWhole)
{
    TempDir dir;
    std::string bytes = random_bytes(3 << 20, 7);  // 3 MiB: many sendfile() calls' worth of socket buffer
    write_file(dir / "big.bin", bytes);
    HttpServer s(kServer, dir.path());
    ASSERT_GT(s.port, 0);
    auto r = fetch(s.port, request("/big.bin"));
    ASSERT_TRUE(r) << "the answer did not come whole within the deadline";
    EXPECT_EQ(r->header("content-length"), std::to_string(bytes.size()));
    EXPECT_EQ(r->body.size(), bytes.size());
    EXPECT_TRUE(r->body == bytes) << "the body differs from the file";
}

TEST(HttpLab, AnIdleClientDoesNotHoldUpTheNext)
{
    HttpServer s(kServer, site_dir());
    ASSERT_GT(s.port, 0);
    Client idle(s.port);  // connected, says nothing: its child waits for it
    ASSERT_TRUE(idle.connected());
    auto r = fetch(s.port, request("/notes.txt"));
    ASSERT_TRUE(r) << "a second client waited behind the first: a child per connection (fork) serves both";
    EXPECT_EQ(r->status, 200);
}

TEST(HttpLab, TheParentClosesEachConnection)
{
    HttpServer s(kServer, site_dir());
    ASSERT_GT(s.port, 0);
    ASSERT_TRUE(fetch(s.port, request("/notes.txt", "GET", "Connection: close\r\n")));
    int before = s.process.open_fds();
    for (int i = 0; i < 5; i++)
        ASSERT_TRUE(fetch(s.port, request("/notes.txt", "GET", "Connection: close\r\n")));
    int after = before;
    // A child's shutdown() sends its FIN anyway: the leak shows in the parent.
    EXPECT_TRUE(eventually([&] { return (after = s.process.open_fds()) <= before; }, 3s))
        << "the server holds " << after - before << " more descriptors after 5 more clients: "
        << "the parent keeps its copy of connfd";
}

TEST(HttpLab, ChildrenAreReapedNoZombies)
{
    HttpServer s(kServer, site_dir());
    ASSERT_GT(s.port, 0);
    for (int i = 0; i < 5; i++)
        ASSERT_TRUE(fetch(s.port, request("/notes.txt", "GET", "Connection: close\r\n")));
    bool none = eventually([&] { return s.process.zombie_children() == 0 && s.process.children().empty(); }, 5s);
    EXPECT_TRUE(none) << s.process.zombie_children()
                      << " zombie children left after 5 clients: no SIGCHLD handler reaps them?";
}

TEST(HttpLab, TheChildDoesNotKeepTheListeningSocket)
{
    HttpServer s(kServer, site_dir());
    ASSERT_GT(s.port, 0);
    Client kept(s.port);  // kept alive: its child lives on while the server is killed
    ASSERT_TRUE(kept.send(request("/notes.txt")));
    ASSERT_TRUE(read_response(kept)) << "no answer";  // so the child is past its close(listenfd)
    s.process.kill(SIGKILL);  // the server only, not its child
    s.process.wait(3s);
    Client late(s.port, "127.0.0.1", 2s);
    EXPECT_FALSE(late.connected())
        << "the server is gone, yet its port still takes connections: the child holds the listening socket";
}

TEST(HttpLab, WrongArgumentsPrintUsage)
{
    Process wrong = Process::run(kServer, {"1", "2"});
    EXPECT_EQ(wrong.wait().describe(), "exit 1");
    EXPECT_THAT(wrong.stderr_text(), HasSubstr("usage: httpserv02"));
}
