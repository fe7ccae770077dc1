// SPDX-License-Identifier: MIT
// tcpview --svg and --html: the ladder diagram of a daytime exchange and of
// a file transfer, parsed by a real XML parser (xmllint), one arrow per
// segment or per folded run with the right counts, and rendered by
// headless Chromium to a PNG that is not blank (skipped where Chromium
// cannot start).
#include "frames.hpp"
#include "process.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <regex>

using namespace socklab::test;
using namespace wire_test;
using ::testing::HasSubstr;
using C = Conversation;

namespace {

std::string slurp(const std::string &path)
{
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
}

// The arrows: one <g class="..." data-count="N"> each.
std::vector<std::pair<std::string, int>> arrows(const std::string &svg)
{
    std::vector<std::pair<std::string, int>> v;
    static const std::regex re(R"re(<g class="(\w+)" data-count="(\d+)">)re");
    for (auto it = std::sregex_iterator(svg.begin(), svg.end(), re); it != std::sregex_iterator(); ++it)
        v.emplace_back((*it)[1], std::stoi((*it)[2]));
    return v;
}

std::string tool(std::initializer_list<const char *> paths)
{
    for (const char *p : paths)
        if (access(p, X_OK) == 0)
            return p;
    return "";
}

void expect_well_formed(const std::string &path)
{
    std::string xmllint = tool({"/usr/bin/xmllint"});
    if (xmllint.empty()) {
        ADD_FAILURE() << "xmllint is not installed (libxml2-utils)";
        return;
    }
    auto p = Process::start({xmllint, "--noout", path});
    p.read_rest();
    EXPECT_EQ(p.wait().describe(), "exit 0") << p.stderr_text();
}

std::string draw(const TempDir &dir, const Conversation &c, const std::string &name)
{
    c.write(dir.file(name + ".pcap"));
    auto p = Process::run("tcpview", {"--svg", dir.file(name + ".svg"), "--html", dir.file(name + ".html"),
                                      "-r", dir.file(name + ".pcap")});
    std::string out = p.read_rest();
    EXPECT_EQ(p.wait().describe(), "exit 0") << p.stderr_text();
    EXPECT_THAT(out, HasSubstr("[tcpview] ladder diagram written to " + dir.file(name + ".svg")));
    return slurp(dir.file(name + ".svg"));
}

}  // namespace

TEST(Ladder, DaytimeIsOneArrowPerSegmentWithTheSocketCalls)
{
    TempDir dir;
    std::string svg = draw(dir, daytime(), "daytime");
    expect_well_formed(dir.file("daytime.svg"));
    auto a = arrows(svg);
    ASSERT_EQ(a.size(), 8u) << svg;
    for (const auto &[kind, count] : a)
        EXPECT_EQ(count, 1);
    EXPECT_THAT(svg, HasSubstr(">connect()</text>"));
    EXPECT_THAT(svg, HasSubstr(">connect() returns</text>"));
    EXPECT_THAT(svg, HasSubstr(">write()</text>"));
    EXPECT_THAT(svg, HasSubstr(">close()</text>"));
    EXPECT_THAT(svg, HasSubstr(">[P.] seq 1:27 ack 1 len 26</text>"));
    EXPECT_THAT(svg, HasSubstr(">client 127.0.0.1.52875</text>"));
    std::string html = slurp(dir.file("daytime.html"));
    EXPECT_THAT(html, HasSubstr("<li>red, thick: RST"));
    EXPECT_THAT(html, HasSubstr("<svg xmlns"));
}

TEST(Ladder, AFileTransferFoldsItsRunsAndDrawsRstAndRetransmissionsApart)
{
    C c(100, 200, 40000, 9877);
    c.syn();
    c.syn_ack();
    c.ack(C::client);
    c.data(C::client, "get file\n");
    for (int i = 0; i < 40; ++i)
        c.data(C::server, std::string(1000, 'f'), false);
    c.resend_last();
    c.ack(C::client);
    c.data(C::client, "more?\n");
    c.rst(C::server);
    TempDir dir;
    std::string svg = draw(dir, c, "transfer");
    expect_well_formed(dir.file("transfer.svg"));
    auto a = arrows(svg);
    // SYN, SYN+ACK, ACK, request, 40 data folded, the retransmission, ACK, data, RST.
    ASSERT_EQ(a.size(), 9u) << svg;
    EXPECT_EQ(a[4], (std::pair<std::string, int>{"folded", 40}));
    EXPECT_EQ(a[5].first, "retransmission");
    EXPECT_EQ(a[8].first, "rst");
    EXPECT_THAT(svg, HasSubstr(">[.] x40 seq 1:40001, 40000 bytes</text>"));
    int total = 0;
    for (const auto &[kind, count] : a)
        total += count;
    EXPECT_EQ(total, 48);  // every segment drawn, folded or not
}

TEST(Ladder, ChromiumRendersItToAPictureThatIsNotBlank)
{
    std::string chromium = tool({"/usr/bin/chromium", "/usr/bin/chromium-browser"});
    if (chromium.empty())
        GTEST_SKIP() << "Chromium is not installed";
    TempDir dir;
    draw(dir, daytime(), "daytime");
    // A blank page of the same size, to compare with.
    std::ofstream(dir.file("blank.svg")) << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"800\" "
                                            "height=\"400\"><rect width=\"100%\" height=\"100%\" fill=\"#fff\"/></svg>\n";
    auto render = [&](const std::string &svg, const std::string &png) {
        auto p = Process::start({chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                                 "--no-first-run", "--disable-background-networking",
                                 "--disable-component-update", "--disable-sync",
                                 "--user-data-dir=" + dir.file("profile"), "--window-size=800,400",
                                 "--screenshot=" + png, svg});
        p.read_rest(30s);
        return p.wait().describe() == "exit 0" && std::filesystem::exists(png);
    };
    if (!render(dir.file("blank.svg"), dir.file("blank.png")))
        GTEST_SKIP() << "headless Chromium cannot start here";
    ASSERT_TRUE(render(dir.file("daytime.svg"), dir.file("daytime.png")));
    std::string png = slurp(dir.file("daytime.png")), blank = slurp(dir.file("blank.png"));
    EXPECT_EQ(png.substr(1, 3), "PNG");
    // Lines and text compress far worse than a white page of the same size.
    EXPECT_GT(png.size(), 3 * blank.size()) << png.size() << " vs " << blank.size();
}
