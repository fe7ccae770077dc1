// SPDX-License-Identifier: MIT
// Confinement: nothing outside the served directory is ever sent, however
// the path is spelled, with openat2(RESOLVE_BENEATH) and with the fallback
// (HTTPSERV_NO_OPENAT2=1: one openat(O_NOFOLLOW) per component).
#include "http_support.hpp"
#include "ft_support.hpp"

#include <gtest/gtest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <tuple>

using namespace socklab::test;

namespace {

const char kSecret[] = "the secret outside the served directory\n";

// base/secret.txt outside; base/served/ holds a file, links in and out, a
// FIFO and a subdirectory.
struct Tree {
    TempDir base;
    std::string served = base / "served";
    Tree()
    {
        write_file(base / "secret.txt", kSecret);
        mkdir(served.c_str(), 0755);
        mkdir((served + "/sub").c_str(), 0755);
        write_file(served + "/a.txt", "inside\n");
        EXPECT_EQ(symlink("a.txt", (served + "/in-link").c_str()), 0);
        EXPECT_EQ(symlink("../secret.txt", (served + "/out-link").c_str()), 0);
        EXPECT_EQ(symlink((base / "secret.txt").c_str(), (served + "/abs-link").c_str()), 0);
        EXPECT_EQ(symlink("..", (served + "/sub/up").c_str()), 0);
        EXPECT_EQ(symlink("../..", (served + "/sub/upup").c_str()), 0);
        EXPECT_EQ(mkfifo((served + "/fifo").c_str(), 0644), 0);
    }
};

class HttpConfinement : public ::testing::TestWithParam<std::tuple<const char *, bool>> {
protected:
    HttpServer start(const Tree &t)
    {
        Process::Options o;
        if (std::get<1>(GetParam()))
            o.env.push_back("HTTPSERV_NO_OPENAT2=1");
        return HttpServer(std::get<0>(GetParam()), t.served, {}, o);
    }
};

TEST_P(HttpConfinement, RefusesEveryWayOut)
{
    Tree t;
    HttpServer s = start(t);
    const std::pair<std::string, int> attacks[] = {
        {"/../secret.txt", 403},
        {"/%2e%2e/secret.txt", 403},
        {"/%2E%2e%2fsecret.txt", 403},  // the '/' encoded too
        {"/sub/../../secret.txt", 403},
        {"http://127.0.0.1/../secret.txt", 403},  // absolute-form
        {"/out-link", 403},
        {"/abs-link", 403},
        {"/sub/upup/secret.txt", 403},  // a link out on the way
        {"/a.txt%00.html", 400},
        {"//" + t.base.path() + "/secret.txt", 404},  // an absolute path is taken below the directory
        {"/fifo", 403},                               // not a regular file, and no wait for a writer
        {"/sub", 301},
    };
    for (const auto &[path, status] : attacks) {
        auto r = fetch(s.port, request(path));
        ASSERT_TRUE(r) << path;
        EXPECT_EQ(r->status, status) << path;
        EXPECT_EQ(r->body.find("secret outside"), std::string::npos) << path;
    }
    auto inside = fetch(s.port, request("/a.txt"));
    ASSERT_TRUE(inside);
    EXPECT_EQ(inside->body, "inside\n");
    EXPECT_TRUE(s.process.running());
}

TEST_P(HttpConfinement, LinksThatStayInsideFollowOnlyWithOpenat2)
{
    Tree t;
    HttpServer s = start(t);
    bool fallback = std::get<1>(GetParam()) || s.process.stderr_text().find("fallback") != std::string::npos;
    for (const char *path : {"/in-link", "/sub/up/a.txt"}) {
        auto r = fetch(s.port, request(path));
        ASSERT_TRUE(r) << path;
        if (fallback) {
            EXPECT_EQ(r->status, 403) << path;  // the walk follows no link at all
        } else {
            EXPECT_EQ(r->status, 200) << path;
            EXPECT_EQ(r->body, "inside\n") << path;
        }
    }
}

INSTANTIATE_TEST_SUITE_P(Http, HttpConfinement,
                         ::testing::Combine(::testing::Values("httpserv01", "httpserv02", "httpserv03"), ::testing::Bool()),
                         [](const auto &info) {
                             return std::string(std::get<0>(info.param)) +
                                    (std::get<1>(info.param) ? "_fallback" : "_openat2");
                         });

}  // namespace
