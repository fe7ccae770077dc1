// SPDX-License-Identifier: MIT
// FiletransferTerminal: ftcli02 as a person sees it in a terminal window,
// on a pseudo-terminal (Terminal, ft_support.hpp): the progress bar never
// wider than the window (80 columns, 40, and a window narrowed in the
// middle of a transfer), and Ctrl-D at the prompt.
#include "ft_support.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <signal.h>

#include <algorithm>

using namespace socklab::test;
using ::testing::ContainsRegex;
using ::testing::EndsWith;
using ::testing::HasSubstr;
using ::testing::Not;

namespace {

// ftserv02 serving a fresh directory.
struct Server {
    Server()
    {
        proc = Process::run("ftserv02", {"-d", served.path(), "0"});
        port = proc.wait_for_port();
    }
    TempDir served;
    Process proc = Process::start({"/bin/true"});
    int port = 0;
};

// A local name long enough to fill any line: the bar must shorten it.
const std::string kLongName = std::string(90, 'n') + "-notes.bin";

// The frames of a progress bar (the ones with a percentage in them).
std::vector<std::string> bar_frames(const std::string &output)
{
    std::vector<std::string> all = frames(output), bars;
    std::copy_if(all.begin(), all.end(), std::back_inserter(bars),
                 [](const std::string &f) { return f.find('%') != std::string::npos; });
    return bars;
}

// Every frame narrower than cols: one column short of the edge, where the
// cursor would wrap to a new line and each '\r' redraw would leave a stale
// line behind.
void expect_fit(const std::vector<std::string> &bars, std::size_t cols, const std::string &output)
{
    for (const std::string &f : bars)
        EXPECT_LT(f.size(), cols) << "a frame of " << f.size() << " columns on a " << cols
                                  << "-column terminal: [" << f << "]\nall output: " << output;
}

// Fetches a 4 MiB file into kLongName on a terminal of cols columns.
std::string bar_at(int cols)
{
    Server srv;
    write_file(srv.served / "big", random_bytes(4 << 20));
    TempDir here;
    write_file(here / "requests", "big " + kLongName + "\n");
    Terminal t({program_path("ftcli02"), "127.0.0.1", std::to_string(srv.port)}, cols,
               {here.path(), here / "requests"});
    EXPECT_EQ(t.wait().describe(), "exit 0") << t.output();
    EXPECT_EQ(read_file(here / kLongName).size(), 4u << 20);
    return t.output();
}

}  // namespace

TEST(FiletransferTerminal, BarFitsAnEightyColumnTerminal)
{
    std::string out = bar_at(80);
    std::vector<std::string> bars = bar_frames(out);
    ASSERT_FALSE(bars.empty()) << "no progress bar on a terminal: " << out;
    expect_fit(bars, 80, out);
    // The last frame: the name shortened in the middle, every field kept.
    const std::string &last = bars.back();
    EXPECT_THAT(last, ContainsRegex("^n+\\.\\.\\.notes\\.bin 100% \\[#{10,24}\\] 4\\.0 MiB / 4\\.0 MiB  "
                                    "[0-9.]+ [KMG]?i?B/s  in 0:0[0-9]$")) << last;
}

TEST(FiletransferTerminal, BarDropsFieldsOnAFortyColumnTerminal)
{
    std::string out = bar_at(40);
    std::vector<std::string> bars = bar_frames(out);
    ASSERT_FALSE(bars.empty()) << out;
    expect_fit(bars, 40, out);
    // The percentage and the (shortened) name stay; the rate goes first.
    EXPECT_THAT(bars.back(), HasSubstr("...s.bin 100% [")) << bars.back();
    EXPECT_THAT(bars.back(), Not(HasSubstr("/s"))) << bars.back();
}

TEST(FiletransferTerminal, BarOnATinyTerminalIsThePercentageOrNothing)
{
    std::string out = bar_at(6);
    expect_fit(bar_frames(out), 6, out);
    out = bar_at(3);
    EXPECT_TRUE(bar_frames(out).empty()) << out;
}

// The window narrowed from 80 to 40 columns while the file is halfway:
// the bar is redrawn at the new width at once (SIGWINCH), without waiting
// for more bytes, and no later frame is wider.
TEST(FiletransferTerminal, BarFollowsAResizedTerminal)
{
    Server srv;
    ASSERT_NE(srv.port, 0);
    write_file(srv.served / "big", random_bytes(8 << 20));
    PausingRelay relay(srv.port, 3 << 20);  // the transfer stands still after 3 MiB
    TempDir here;
    write_file(here / "requests", "big " + kLongName + "\n");
    Terminal t({program_path("ftcli02"), "127.0.0.1", std::to_string(relay.port())}, 80,
               {here.path(), here / "requests"});
    ASSERT_TRUE(relay.wait_paused());
    ASSERT_TRUE(t.read_until([](const std::string &o) { return !bar_frames(o).empty(); })) << t.output();
    std::size_t before = t.output().size();
    t.resize(40);
    auto narrow_frame = [&](const std::string &o) {
        for (const std::string &f : bar_frames(o.substr(before)))
            if (f.size() < 40)
                return true;
        return false;
    };
    // The kernel signals the resize; should the signal come before the
    // client blocks in splice(), it is only seen at the next byte, so the
    // test repeats it (as a window manager does while a window is dragged).
    bool redrawn = eventually([&] {
        if (t.read_until(narrow_frame, 200ms))
            return true;
        kill(t.pid(), SIGWINCH);
        return false;
    });
    EXPECT_TRUE(redrawn) << "no 40-column frame after the resize, with the transfer standing still:\n"
                         << t.output();
    std::size_t resized_at = t.output().size();
    relay.resume();
    EXPECT_EQ(t.wait().describe(), "exit 0") << t.output();
    EXPECT_EQ(read_file(here / kLongName).size(), 8u << 20);
    expect_fit(bar_frames(t.output().substr(0, before)), 80, t.output());
    std::vector<std::string> after = bar_frames(t.output().substr(resized_at));
    ASSERT_FALSE(after.empty()) << "no frame after the transfer resumed: " << t.output();
    expect_fit(after, 40, t.output());
    EXPECT_THAT(after.back(), HasSubstr("100%"));
}

// Ctrl-D at the prompt ends the session with a newline, so the shell's
// prompt starts on a line of its own (as LotteryClient does).
TEST(FiletransferTerminal, CtrlDAtThePromptEndsTheLine)
{
    Server srv;
    ASSERT_NE(srv.port, 0);
    TempDir here;
    Terminal t({program_path("ftcli02"), "127.0.0.1", std::to_string(srv.port)}, 80, {here.path(), ""});
    ASSERT_TRUE(t.read_until([](const std::string &o) { return o.find("ftcli02> ") != std::string::npos; }))
        << t.output();
    t.type("\x04");  // Ctrl-D on an empty line: end of input
    EXPECT_EQ(t.wait().describe(), "exit 0") << t.output();
    std::string out = t.output();
    std::string after = out.substr(out.rfind("ftcli02> ") + 9);
    EXPECT_THAT(after, EndsWith("\n")) << "the shell's prompt would follow \"ftcli02> \" on the same line: ["
                                       << out << "]";
}
