// SPDX-License-Identifier: MIT
// web: against httpserv02 every file arrives; against a server of the
// test's own, exactly #conns requests are in flight at once.
#include "nonblock_support.hpp"

#include <gmock/gmock.h>

#include <unistd.h>

#include <sstream>

using namespace socklab::test;
using namespace std::chrono_literals;

namespace {

void answer(unp::Fd &conn, const std::string &body)
{
    std::string reply = "HTTP/1.0 200 OK\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
    ASSERT_EQ(write(conn.get(), reply.data(), reply.size()), static_cast<ssize_t>(reply.size()));
    conn.reset();  // HTTP/1.0: the close ends the reply
}

}  // namespace

TEST(Web, FetchesTheSiteFromHttpserv02)
{
    Process server = Process::run("httpserv02", {"-d", SOCKLAB_HTTP_SITE, "0"});
    int port = server.wait_for_port();
    ASSERT_NE(port, 0);
    std::vector<std::string> files = {"/style.css", "/notes.txt", "/favicon.ico", "/img/dot.png", "/result.html"};
    std::vector<std::string> args = {"3", "127.0.0.1", std::to_string(port), "/"};
    args.insert(args.end(), files.begin(), files.end());
    Process web = Process::run("web", args);
    std::string out = web.read_rest(20s);
    ExitStatus st = web.wait();
    EXPECT_TRUE(st.exited && st.code == 0) << st.describe() << web.stderr_text();
    EXPECT_THAT(out, ::testing::ContainsRegex("end-of-file on home page / \\([1-9][0-9]* bytes\\)"));
    for (const std::string &f : files)
        EXPECT_THAT(out, ::testing::ContainsRegex("end-of-file on " + f + " \\([1-9][0-9]* bytes\\)")) << out;
    // Three connects were started before the first file was over.
    size_t first_end = out.find("end-of-file on /");
    EXPECT_LT(out.find("connecting to /favicon.ico"), first_end) << out;
    EXPECT_GT(out.find("connecting to /img/dot.png"), first_end) << "a fourth connect while three were open";
}

TEST(Web, ThreeRequestsInFlightAtOnceNeverFour)
{
    Listener l;
    ASSERT_NE(l.port, 0);
    Process web = Process::run("web", {"3", "127.0.0.1", std::to_string(l.port), "/", "/a", "/b", "/c", "/d"});

    unp::Fd home = l.accept();
    ASSERT_TRUE(home);
    EXPECT_THAT(read_request(home.get()), ::testing::StartsWith("GET / HTTP/1.0\r\n"));
    answer(home, "home");

    // Three requests arrive while none of them has been answered: the
    // connects and GETs went out together, not one after another.
    std::vector<unp::Fd> conns;
    std::string paths;
    for (int i = 0; i < 3; i++) {
        conns.push_back(l.accept());
        ASSERT_TRUE(conns.back()) << "connection " << i + 1 << " never came";
        std::string req = read_request(conns.back().get());
        ASSERT_FALSE(req.empty()) << "no request on connection " << i + 1;
        paths += req.substr(4, 2);
    }
    EXPECT_EQ(paths, "/a/b/c");
    EXPECT_FALSE(wait_fd(l.fd.get(), POLLIN, 300ms)) << "a fourth connection while three are open";

    answer(conns[1], "bbbb");  // one ends: its slot goes to /d
    unp::Fd d = l.accept();
    ASSERT_TRUE(d);
    EXPECT_THAT(read_request(d.get()), ::testing::StartsWith("GET /d HTTP/1.0\r\n"));
    answer(d, "dd");
    answer(conns[0], "a");
    answer(conns[2], "ccc");

    std::string out = web.read_rest(10s);
    EXPECT_EQ(web.wait().code, 0) << web.stderr_text();
    EXPECT_THAT(out, ::testing::HasSubstr("end-of-file on /b (42 bytes)"));
    EXPECT_THAT(out, ::testing::HasSubstr("end-of-file on /d (40 bytes)"));
}

TEST(Web, Usage)
{
    Process p = Process::run("web", {"3", "127.0.0.1"});
    EXPECT_EQ(p.wait().code, 1);
    EXPECT_THAT(p.stderr_text(), ::testing::HasSubstr("usage: web"));
}
