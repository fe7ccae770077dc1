// SPDX-License-Identifier: MIT
// A real browser: headless Chromium (Debian's package) loads the sample
// site from httpserv02 and httpserv03.  The server's log must show the
// page, the stylesheet, the favicon and every image fetched with 200; the
// DOM Chromium built must hold the page's text; its screenshot must show
// something (not one colour).  Where Chromium is missing or cannot start
// here, the tests skip and say why.  Label "browser" (ctest -L browser,
// or -LE browser to leave them out).
#include "http_support.hpp"
#include "ft_support.hpp"
#include "png_pixels.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <unistd.h>

using namespace socklab::test;
using ::testing::HasSubstr;

namespace {

const char kChromium[] = "/usr/bin/chromium";

// Chromium with the flags that keep it to this one page: no sandbox (we
// may be root), no GPU, no QUIC, no background traffic, a fresh profile.
struct Browser {
    TempDir profile;
    std::string run(const std::vector<std::string> &what, ExitStatus &status, std::string &errors)
    {
        std::vector<std::string> argv = {kChromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                                         "--no-first-run", "--disable-background-networking",
                                         "--disable-component-update", "--disable-sync",
                                         "--user-data-dir=" + profile.path()};
        argv.insert(argv.end(), what.begin(), what.end());
        Process p = Process::start(argv);
        std::string out = p.read_rest(Millis(60000));
        status = p.wait(Millis(30000));
        errors = p.stderr_text();
        return out;
    }
};

void load_site(const char *server)
{
    if (access(kChromium, X_OK) != 0)
        GTEST_SKIP() << kChromium << " is not installed (scripts/install-deps.sh installs it)";
    HttpServer s(server, site_dir());
    std::string url = "http://127.0.0.1:" + std::to_string(s.port) + "/";
    Browser browser;
    ExitStatus st;
    std::string errors;
    std::string dom = browser.run({"--dump-dom", url}, st, errors);
    if (dom.empty())
        GTEST_SKIP() << "Chromium did not start here (" << st.describe() << "): " << errors.substr(0, 2000);
    EXPECT_THAT(dom, HasSubstr("<h1>socklab: the HTTP lab</h1>"));
    EXPECT_THAT(dom, HasSubstr("This page came from one of the kit's servers."));
    EXPECT_THAT(dom, HasSubstr("img/stripes.gif"));

    std::string shot = browser.profile / "shot.png";
    browser.run({"--screenshot=" + shot, "--window-size=800,600", "--hide-scrollbars", url}, st, errors);
    std::string why;
    auto img = decode_png(read_file(shot), &why);
    ASSERT_TRUE(img) << shot << ": " << why << "; chromium: " << st.describe() << " " << errors.substr(0, 2000);
    EXPECT_EQ(img->width, 800u);
    EXPECT_GE(distinct_colours(*img), 3u) << "the screenshot is (nearly) blank";

    // Every file the page needs, fetched with 200, in whatever order the
    // browser chose (across both loads).
    for (const char *path : {"/", "/style.css", "/img/dot.png", "/img/stripes.gif", "/img/logo.svg", "/favicon.ico"}) {
        std::string wanted = std::string("\"GET ") + path + " HTTP/1.1\" 200 ";
        auto logged = [&] { return s.process.stdout_seen().find(wanted) != std::string::npos; };
        s.log_for(std::string("GET ") + path + " HTTP/1.1", Millis(logged() ? 0 : 3000));  // reads the log so far
        EXPECT_TRUE(logged()) << path << " was not fetched with 200; the log:\n" << s.process.stdout_seen();
    }
    EXPECT_EQ(s.process.stdout_seen().find("\" 404 "), std::string::npos) << s.process.stdout_seen();
}

TEST(HttpBrowser, ChromiumLoadsTheSiteFromHttpserv02) { load_site("httpserv02"); }
TEST(HttpBrowser, ChromiumLoadsTheSiteFromHttpserv03) { load_site("httpserv03"); }

// The decoder the screenshot check relies on, on pictures whose colours
// are known: the sample site's dot (blue on cream) is two colours.
TEST(HttpBrowser, PngDecoderCountsColours)
{
    std::string why;
    auto dot = decode_png(read_file(site_dir() + "/img/dot.png"), &why);
    ASSERT_TRUE(dot) << why;
    EXPECT_EQ(dot->width, 48u);
    EXPECT_EQ(distinct_colours(*dot), 2u);
    EXPECT_FALSE(decode_png("GIF89a not a png", &why));
    EXPECT_EQ(why, "not a PNG file");
}

}  // namespace
