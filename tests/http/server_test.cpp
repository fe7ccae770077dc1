// SPDX-License-Identifier: MIT
// httpserv01/02/03 end to end on loopback, with raw sockets and with curl:
// what every server must do, whatever its design.  (Keep-alive, and the
// tests that need more than one client at a time, are in
// concurrency_test.cpp.)
#include "http_support.hpp"
#include "ft_support.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <regex>

using namespace socklab::test;
using ::testing::HasSubstr;
using ::testing::MatchesRegex;

namespace {

class HttpServers : public ::testing::TestWithParam<const char *> {};

TEST_P(HttpServers, ServesEverySiteFileByteExactWithItsType)
{
    HttpServer s(GetParam(), site_dir());
    const std::pair<const char *, const char *> files[] = {
        {"/index.html", "text/html; charset=utf-8"}, {"/style.css", "text/css; charset=utf-8"},
        {"/favicon.ico", "image/x-icon"},            {"/img/dot.png", "image/png"},
        {"/img/stripes.gif", "image/gif"},           {"/img/logo.svg", "image/svg+xml"},
        {"/result.html", "text/html; charset=utf-8"}, {"/notes.txt", "text/plain; charset=utf-8"},
    };
    for (const auto &[path, type] : files) {
        auto r = fetch(s.port, request(path));
        ASSERT_TRUE(r) << path;
        std::string want = read_file(site_dir() + path);
        EXPECT_EQ(r->status, 200) << path;
        EXPECT_EQ(r->header("content-type"), type) << path;
        EXPECT_EQ(r->header("content-length"), std::to_string(want.size())) << path;
        EXPECT_EQ(r->body, want) << path;
    }
    auto root = fetch(s.port, request("/"));
    ASSERT_TRUE(root);
    EXPECT_EQ(root->body, read_file(site_dir() + "/index.html"));  // a directory serves its index.html
}

TEST_P(HttpServers, LogsEachRequestInCommonLogFormat)
{
    HttpServer s(GetParam(), site_dir());
    ASSERT_TRUE(fetch(s.port, request("/style.css")));
    auto line = s.log_for("GET /style.css HTTP/1.1");
    ASSERT_TRUE(line);
    std::string size = std::to_string(read_file(site_dir() + "/style.css").size());
    EXPECT_THAT(*line, MatchesRegex(R"(127\.0\.0\.1 - - \[[0-9]{2}/[A-Z][a-z]{2}/[0-9]{4}:[0-9:]{8} \+0000\] )"
                                    R"("GET /style\.css HTTP/1\.1" 200 )" + size + R"( port=[0-9]+)"));
}

TEST_P(HttpServers, CurlSeesStatusTypeAndLength)
{
    HttpServer s(GetParam(), site_dir());
    std::string base = "http://127.0.0.1:" + std::to_string(s.port);
    EXPECT_EQ(curl({"-o", "/dev/null", "-w", "%{http_code} %{content_type} %{size_download}", base + "/img/dot.png"}),
              "200 image/png " + std::to_string(read_file(site_dir() + "/img/dot.png").size()));
    EXPECT_EQ(curl({base + "/notes.txt"}), read_file(site_dir() + "/notes.txt"));
    // -L follows the site's redirect to the page it names.
    EXPECT_EQ(curl({"-L", base + "/redirect"}), read_file(site_dir() + "/result.html"));
    EXPECT_EQ(curl({"-o", "/dev/null", "-w", "%{http_code}", base + "/nope"}), "404");
}

TEST_P(HttpServers, HeadSendsTheHeadersWithoutTheBody)
{
    HttpServer s(GetParam(), site_dir());
    Client c(s.port);
    ASSERT_TRUE(c.send(request("/img/stripes.gif", "HEAD", "Connection: close\r\n")));
    auto r = read_response(c, true);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200);
    EXPECT_EQ(r->header("content-length"), std::to_string(read_file(site_dir() + "/img/stripes.gif").size()));
    EXPECT_EQ(r->header("content-type"), "image/gif");
    EXPECT_EQ(c.recv_all(), "");  // nothing after the head, then the close
    EXPECT_TRUE(s.log_for("HEAD /img/stripes.gif HTTP/1.1"));
}

TEST_P(HttpServers, DirectoryWithoutSlashIsMovedAndListed)
{
    HttpServer s(GetParam(), site_dir());
    auto moved = fetch(s.port, request("/img?x=1"));
    ASSERT_TRUE(moved);
    EXPECT_EQ(moved->status, 301);
    EXPECT_THAT(moved->status_line, HasSubstr("301 Moved Permanently"));
    EXPECT_EQ(moved->header("location"), "/img/?x=1");
    auto listing = fetch(s.port, request("/img/"));
    ASSERT_TRUE(listing);
    EXPECT_EQ(listing->status, 200);
    EXPECT_THAT(listing->body, HasSubstr("<title>Index of /img/</title>"));
    for (const char *name : {"dot.png", "logo.svg", "stripes.gif", "../"})
        EXPECT_THAT(listing->body, HasSubstr(std::string("<a href=\"") + name + "\">")) << name;
}

TEST_P(HttpServers, TheSiteRedirectsAsItsTableSays)
{
    HttpServer s(GetParam(), site_dir());
    auto r = fetch(s.port, request("/redirect"));
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 301);
    EXPECT_EQ(r->header("location"), "/result.html");
    auto table = fetch(s.port, request("/.redirects"));
    ASSERT_TRUE(table);
    EXPECT_EQ(table->status, 404);  // dotfiles are never served
}

TEST_P(HttpServers, MissingFileIs404WithAnHtmlBody)
{
    HttpServer s(GetParam(), site_dir());
    auto r = fetch(s.port, request("/error.does.not.exist"));
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status_line.substr(9), "404 Not Found");
    EXPECT_EQ(r->header("content-type"), "text/html; charset=utf-8");
    EXPECT_THAT(r->body, HasSubstr("<h1>404 Not Found</h1>"));
    EXPECT_EQ(r->header("content-length"), std::to_string(r->body.size()));
    EXPECT_TRUE(s.log_for("GET /error.does.not.exist HTTP/1.1"));
}

TEST_P(HttpServers, AnswersBadRequestsWithTheirStatusAndGoesOn)
{
    HttpServer s(GetParam(), site_dir());
    const std::pair<std::string, int> cases[] = {
        {"GARBAGE\r\n\r\n", 400},
        {"GET / HTTP/1.1\r\n\r\n", 400},  // HTTP/1.1 without Host
        {"GET / HTTP/1.1\r\nHost: x\r\nbroken header\r\n\r\n", 400},
        {"GET /%zz HTTP/1.1\r\nHost: x\r\n\r\n", 400},
        {"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc", 405},
        {"DELETE /index.html HTTP/1.1\r\nHost: x\r\n\r\n", 405},
        {"GET /" + std::string(9000, 'a') + " HTTP/1.1\r\nHost: x\r\n\r\n", 414},
        {"GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(9000, 'b') + "\r\n\r\n", 431},
        {"GET / HTTP/3.0\r\nHost: x\r\n\r\n", 505},
    };
    for (const auto &[raw, status] : cases) {
        auto r = fetch(s.port, raw);
        ASSERT_TRUE(r) << raw.substr(0, 40);
        EXPECT_EQ(r->status, status) << raw.substr(0, 40);
        if (status == 405) {
            EXPECT_EQ(r->header("allow"), "GET, HEAD");
        }
    }
    auto ok = fetch(s.port, request("/"));  // and it still serves
    ASSERT_TRUE(ok);
    EXPECT_EQ(ok->status, 200);
}

TEST_P(HttpServers, ClientSendingNothingGets408AfterTheTimeout)
{
    HttpServer s(GetParam(), site_dir());  // -t 2
    Client c(s.port);
    ASSERT_TRUE(c.send("GET / HTTP/1.1\r\nHost: x\r\n"));  // the empty line never comes
    auto start = std::chrono::steady_clock::now();
    auto r = read_response(c, false, Millis(6000));
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 408);
    EXPECT_EQ(r->header("connection"), "close");
    EXPECT_GE(std::chrono::steady_clock::now() - start, Millis(1500));
    EXPECT_TRUE(c.closed_by_peer());
    EXPECT_TRUE(s.log_for("GET / HTTP/1.1"));  // logged with 408
}

TEST_P(HttpServers, ClientResettingMidBodyLeavesTheServerServing)
{
    TempDir dir;
    write_file(dir / "big.bin", random_bytes(16 << 20));
    HttpServer s(GetParam(), dir.path());
    for (int i = 0; i < 3; i++) {
        Client c(s.port);
        ASSERT_TRUE(c.send(request("/big.bin")));
        ASSERT_TRUE(read_response(c, true));
        EXPECT_EQ(c.recv_exact(100000).size(), 100000u);
        c.reset();
    }
    auto r = fetch(s.port, request("/big.bin"));
    ASSERT_TRUE(r);
    EXPECT_EQ(r->body, read_file(dir / "big.bin"));
    EXPECT_TRUE(s.process.running());
    EXPECT_TRUE(eventually([&] { return s.process.zombie_children() == 0; }));
}

TEST_P(HttpServers, LeavesNoDescriptorOpenAfterItsClients)
{
    HttpServer s(GetParam(), site_dir());
    int before = s.process.open_fds();
    for (const char *path : {"/", "/img/", "/img", "/nope", "/../x", "/favicon.ico"})
        ASSERT_TRUE(fetch(s.port, request(path, "GET", "Connection: close\r\n"))) << path;
    Client reset(s.port);
    ASSERT_TRUE(reset.send(request("/img/dot.png")));
    reset.reset();
    ASSERT_TRUE(fetch(s.port, "GARBAGE\r\n\r\n"));
    EXPECT_TRUE(eventually([&] { return s.process.open_fds() == before; }))
        << s.process.open_fds() << " descriptors, " << before << " before: "
        << ::testing::PrintToString(s.process.fd_targets());
}

TEST_P(HttpServers, UsageForWrongArgumentsAndHelp)
{
    Process help = Process::run(GetParam(), {"-h"});
    EXPECT_THAT(help.read_rest(), HasSubstr(std::string("usage: ") + GetParam() + " [-d DIR] [-t SECONDS] [port]"));
    EXPECT_EQ(help.wait().code, 0);
    Process wrong = Process::run(GetParam(), {"1", "2"});
    EXPECT_EQ(wrong.wait().code, 1);
    EXPECT_THAT(wrong.stderr_text(), HasSubstr("usage: "));
    Process nodir = Process::run(GetParam(), {"-d", "/no/such/dir", "0"});
    EXPECT_EQ(nodir.wait().code, 1);
    EXPECT_THAT(nodir.stderr_text(), HasSubstr("/no/such/dir: open error: No such file or directory"));
}

INSTANTIATE_TEST_SUITE_P(Http, HttpServers, ::testing::Values("httpserv01", "httpserv02", "httpserv03"),
                         [](const auto &info) { return std::string(info.param); });

}  // namespace

namespace {

// The iterative server's lesson: while one client dawdles, the next waits
// (until the first is cut off by the timeout).  httpserv02/03 serve it at
// once (concurrency_test.cpp).
TEST(HttpIterative, Httpserv01MakesTheNextClientWaitForASlowOne)
{
    HttpServer s("httpserv01", site_dir());  // -t 2
    Client slow(s.port);
    ASSERT_TRUE(slow.send("GET / HTTP/1.1\r\n"));
    // It is first in the listen queue, so accept() takes it first.
    auto start = std::chrono::steady_clock::now();
    auto r = fetch(s.port, request("/notes.txt"));
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200);
    EXPECT_GE(std::chrono::steady_clock::now() - start, Millis(1000));  // it waited for the slow one's 408
    auto cut = read_response(slow);
    ASSERT_TRUE(cut);
    EXPECT_EQ(cut->status, 408);
}

}  // namespace
