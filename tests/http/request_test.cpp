// SPDX-License-Identifier: MIT
// The HTTP request parser on its own (http/request.cpp): every status it
// gives, the forms of a request it accepts, and where a pipelined next
// request begins.
#include "request.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

using http::Parse;
using http::parse_request;

namespace {

TEST(HttpRequest, ParsesASimpleGet)
{
    std::string in = "GET /index.html HTTP/1.1\r\nHost: x\r\nUser-Agent: t\r\n\r\n";
    auto r = parse_request(in);
    ASSERT_EQ(r.state, Parse::done);
    EXPECT_EQ(r.status, 0);
    EXPECT_EQ(r.consumed, in.size());
    EXPECT_EQ(r.req.method, "GET");
    EXPECT_EQ(r.req.path, "/index.html");
    EXPECT_EQ(r.req.version, "HTTP/1.1");
    EXPECT_EQ(r.line, "GET /index.html HTTP/1.1");
    EXPECT_TRUE(r.req.keep_alive);
    EXPECT_EQ(r.req.header("user-agent").value_or("none"), "t");
}

TEST(HttpRequest, IsIncompleteUntilTheEmptyLine)
{
    std::string in = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";
    for (std::size_t n = 0; n < in.size(); n++)
        EXPECT_EQ(parse_request(in.substr(0, n)).state, Parse::incomplete) << n << " bytes";
    EXPECT_EQ(parse_request(in).state, Parse::done);
}

TEST(HttpRequest, AcceptsBareLfAndSkipsLeadingEmptyLines)
{
    auto r = parse_request("\r\n\nHEAD /a HTTP/1.0\nAccept: */*\n\n");
    ASSERT_EQ(r.state, Parse::done);
    EXPECT_EQ(r.status, 0);
    EXPECT_EQ(r.req.method, "HEAD");
    EXPECT_EQ(r.req.header("accept").value_or(""), "*/*");
    EXPECT_FALSE(r.req.keep_alive);  // HTTP/1.0 closes unless asked
}

TEST(HttpRequest, HeaderNamesAreCaseInsensitiveAndValuesTrimmed)
{
    auto r = parse_request("GET / HTTP/1.1\r\nHOST:   example  \r\nConnection: Keep-Alive, CLOSE\r\n\r\n");
    ASSERT_EQ(r.status, 0);
    EXPECT_EQ(r.req.header("host").value_or(""), "example");
    EXPECT_FALSE(r.req.keep_alive);  // the "close" token, in any case
    auto r10 = parse_request("GET / HTTP/1.0\r\nconnection: keep-alive\r\n\r\n");
    EXPECT_TRUE(r10.req.keep_alive);
}

TEST(HttpRequest, UnfoldsObsoleteLineFolding)
{
    auto r = parse_request("GET / HTTP/1.1\r\nHost: x\r\nX-Long: one\r\n  two\r\n\tthree\r\n\r\n");
    ASSERT_EQ(r.status, 0);
    EXPECT_EQ(r.req.header("x-long").value_or(""), "one two three");
    EXPECT_EQ(parse_request("GET / HTTP/1.1\r\n folded-first\r\n\r\n").status, 400);
}

TEST(HttpRequest, FindsTheNextPipelinedRequest)
{
    std::string first = "GET /a HTTP/1.1\r\nHost: x\r\n\r\n";
    std::string second = "GET /b HTTP/1.1\r\nHost: x\r\n\r\n";
    std::string in = first + second + "GET /c HT";
    auto r = parse_request(in);
    ASSERT_EQ(r.consumed, first.size());
    EXPECT_EQ(r.req.path, "/a");
    in.erase(0, r.consumed);
    r = parse_request(in);
    EXPECT_EQ(r.req.path, "/b");
    in.erase(0, r.consumed);
    EXPECT_EQ(parse_request(in).state, Parse::incomplete);
}

TEST(HttpRequest, DecodesPercentEscapesAndSplitsTheQuery)
{
    auto r = parse_request("GET /a%20b/%41%2fc?x=%20y HTTP/1.1\r\nHost: x\r\n\r\n");
    ASSERT_EQ(r.status, 0);
    EXPECT_EQ(r.req.path, "/a b/A/c");
    EXPECT_EQ(r.req.query, "x=%20y");
    EXPECT_EQ(r.req.target, "/a%20b/%41%2fc?x=%20y");
    auto abs = parse_request("GET http://example/x%2Ey HTTP/1.1\r\nHost: example\r\n\r\n");
    EXPECT_EQ(abs.req.path, "/x.y");  // absolute-form: the path part
}

TEST(HttpRequest, PercentDecodeRefusesBadEscapesAndNul)
{
    std::string out;
    EXPECT_TRUE(http::percent_decode("%2e%2E", out));
    EXPECT_EQ(out, "..");
    EXPECT_FALSE(http::percent_decode("%", out));
    EXPECT_FALSE(http::percent_decode("%4", out));
    EXPECT_FALSE(http::percent_decode("%zz", out));
    EXPECT_FALSE(http::percent_decode("a%00b", out));
    EXPECT_FALSE(http::percent_decode(std::string("a\0b", 3), out));
    EXPECT_EQ(parse_request("GET /a%00b HTTP/1.1\r\nHost: x\r\n\r\n").status, 400);
    EXPECT_EQ(http::percent_encode("a b/ü\"<"), "a%20b/%C3%BC%22%3C");
}

TEST(HttpRequest, AnswersBadRequestLinesWithoutWaitingForHeaders)
{
    for (const char *line : {"GET /\r\n", "GET  / HTTP/1.1\r\n", "GET / HTTP/1.1 extra\r\n", "GET / HTTX/1.1\r\n",
                             "G(T / HTTP/1.1\r\n", "GET index.html HTTP/1.1\r\n", "GET * HTTP/1.1\r\n",
                             "garbage\r\n"}) {
        auto r = parse_request(line);
        EXPECT_EQ(r.state, Parse::done) << line;
        EXPECT_EQ(r.status, 400) << line;
        EXPECT_TRUE(r.close_after) << line;
    }
}

TEST(HttpRequest, RefusesMalformedHeaders)
{
    EXPECT_EQ(parse_request("GET / HTTP/1.1\r\nno colon here\r\n\r\n").status, 400);
    EXPECT_EQ(parse_request("GET / HTTP/1.1\r\nHost : x\r\n\r\n").status, 400);
    EXPECT_EQ(parse_request("GET / HTTP/1.1\r\nHost: x\r\nBad: a\x01z\r\n\r\n").status, 400);
    EXPECT_EQ(parse_request("GET / HTTP/1.1\r\n\r\n").status, 400);  // no Host
    EXPECT_EQ(parse_request("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n").status, 400);
    EXPECT_EQ(parse_request("GET / HTTP/1.1\r\nHost: a\r\nContent-Length: x\r\n\r\n").status, 400);
    EXPECT_EQ(parse_request("GET / HTTP/1.0\r\n\r\n").status, 0);  // HTTP/1.0 needs no Host
}

TEST(HttpRequest, OtherMethodsGet405AndOtherVersions505)
{
    auto r = parse_request("POST /form HTTP/1.1\r\nHost: x\r\n\r\n");
    EXPECT_EQ(r.status, 405);
    EXPECT_FALSE(r.close_after);  // no body: the connection can go on
    auto body = parse_request("PUT /f HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello");
    EXPECT_EQ(body.status, 405);
    EXPECT_TRUE(body.close_after);  // a body the server will not read
    EXPECT_FALSE(body.req.keep_alive);
    EXPECT_EQ(parse_request("GET / HTTP/2.0\r\nHost: x\r\n\r\n").status, 505);
}

TEST(HttpRequest, RequestLineOver8KiBIs414)
{
    std::string path(http::kMaxRequestLine, 'a');
    auto whole = parse_request("GET /" + path + " HTTP/1.1\r\nHost: x\r\n\r\n");
    EXPECT_EQ(whole.status, 414);
    auto unfinished = parse_request("GET /" + path);  // no end of line yet, already too long
    EXPECT_EQ(unfinished.state, Parse::done);
    EXPECT_EQ(unfinished.status, 414);
    std::string fits = "GET /" + std::string(http::kMaxRequestLine - 14, 'a') + " HTTP/1.1";
    ASSERT_EQ(fits.size(), http::kMaxRequestLine);
    EXPECT_EQ(parse_request(fits + "\r\nHost: x\r\n\r\n").status, 0);
}

TEST(HttpRequest, HeaderBlockOver8KiBIs431)
{
    std::string big = "X-Big: " + std::string(http::kMaxHeaderBlock, 'b') + "\r\n";
    EXPECT_EQ(parse_request("GET / HTTP/1.1\r\nHost: x\r\n" + big + "\r\n").status, 431);
    auto unfinished = parse_request("GET / HTTP/1.1\r\nHost: x\r\n" + big);
    EXPECT_EQ(unfinished.state, Parse::done);
    EXPECT_EQ(unfinished.status, 431);
    std::string many;
    for (int i = 0; i < 600; i++)
        many += "X-" + std::to_string(i) + ": 0123456789\r\n";
    EXPECT_EQ(parse_request("GET / HTTP/1.1\r\nHost: x\r\n" + many + "\r\n").status, 431);
}

TEST(HttpRequest, ReasonPhrases)
{
    EXPECT_STREQ(http::reason_phrase(404), "Not Found");
    EXPECT_STREQ(http::reason_phrase(431), "Request Header Fields Too Large");
    EXPECT_STREQ(http::reason_phrase(299), "Unknown");
}

}  // namespace
