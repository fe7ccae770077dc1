// SPDX-License-Identifier: MIT
#include "progress.hpp"

#include "unp.h"

#include <sys/ioctl.h>

#include <csignal>
#include <algorithm>
#include <cstdio>
#include <cstring>
#include <vector>

namespace ft {
namespace {

volatile sig_atomic_t resized = 0;  // set by SIGWINCH, read by update()
struct sigaction old_winch;

void on_winch(int)
{
    resized = 1;
}

// The terminal's columns (80 if it does not say).
std::size_t columns()
{
    struct winsize ws;
    if (ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
        return ws.ws_col;
    return 80;
}

std::string human(double bytes)
{
    const char *units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
    int u = 0;
    while (bytes >= 1024 && u < 4) {
        bytes /= 1024;
        u++;
    }
    char buf[32];
    snprintf(buf, sizeof buf, u == 0 ? "%.0f %s" : "%.1f %s", bytes, units[u]);
    return buf;
}

std::string clock_time(double seconds)
{
    long s = static_cast<long>(seconds + 0.5);
    char buf[32];
    snprintf(buf, sizeof buf, "%ld:%02ld", s / 60, s % 60);
    return buf;
}

// name in at most cols columns: the middle replaced by "...", the end (the
// file's extension) kept a little longer than the start.
std::string shorten(const std::string &name, std::size_t cols)
{
    if (name.size() <= cols)
        return name;
    if (cols <= 3)
        return name.substr(name.size() - cols);
    std::size_t head = (cols - 3) / 2;
    return name.substr(0, head) + "..." + name.substr(name.size() - (cols - 3 - head));
}

}  // namespace

Progress::Progress(std::string name, std::uint64_t total, bool enabled, std::uint64_t min_size)
    : total_(total), on_(enabled && total >= min_size)
{
    std::string shown(4 * name.size() + 1, '\0');
    name_ = printable(shown.data(), shown.size(), name.data(), name.size());
    if (!on_)
        return;
    width_ = columns();
    struct sigaction sa = {};
    sa.sa_handler = on_winch;  // no SA_RESTART: the blocked splice() returns EINTR
    sigemptyset(&sa.sa_mask);
    resized = 0;
    sigaction(SIGWINCH, &sa, &old_winch);
}

Progress::~Progress()
{
    if (on_)
        sigaction(SIGWINCH, &old_winch, nullptr);
}

void Progress::update(std::uint64_t done)
{
    if (!on_)
        return;
    auto now = Clock::now();
    if (resized) {  // redraw now, at the new width
        resized = 0;
        width_ = columns();
    } else if (now - last_ < std::chrono::milliseconds(100)) {
        return;
    }
    last_ = now;
    draw(done, false);
}

void Progress::finish()
{
    if (on_)
        draw(total_, true);
}

void Progress::abandon()
{
    if (on_ && drawn_)
        fputs("\n", stderr);
}

std::string Progress::frame(std::uint64_t done, bool final, std::size_t width) const
{
    double secs = std::chrono::duration<double>(Clock::now() - start_).count();
    double rate = secs > 0 ? static_cast<double>(done) / secs : 0;
    int pct = total_ ? static_cast<int>(100.0 * static_cast<double>(done) / static_cast<double>(total_)) : 100;
    char pct_text[8];
    snprintf(pct_text, sizeof pct_text, "%3d%%", pct);
    std::string bytes = human(static_cast<double>(done)) + " / " + human(static_cast<double>(total_));
    std::string speed = human(rate) + "/s";
    std::string tail = final ? "in " + clock_time(secs)
                             : (rate > 0 ? clock_time(static_cast<double>(total_ - done) / rate) + " left" : "");
    constexpr std::size_t kBarMax = 24, kBarMin = 10, kNameMin = 12, kNameShare = 20;
    const std::size_t room = width > 1 ? width - 1 : 0;  // never the last column

    // The fields after the name, least important last: each stage that
    // does not fit drops the last one.  The name gets what the fields
    // leave (shortened, but to no fewer than 12 columns while a field can
    // still go; beyond 20 only what a full bar leaves), the bar the rest,
    // 10 to 24 columns.
    enum Field { kTail, kBar, kBytes, kRate };
    std::vector<Field> kept = {kTail, kBar, kBytes, kRate};
    for (;;) {
        auto has = [&](Field f) { return std::find(kept.begin(), kept.end(), f) != kept.end(); };
        std::string rest;  // what follows the bar
        if (has(kBytes))
            rest += " " + bytes;
        if (has(kRate))
            rest += "  " + speed;
        if (has(kTail) && !tail.empty())
            rest += "  " + tail;
        std::size_t fixed = 1 + strlen(pct_text) + (has(kBar) ? 3 : 0) + rest.size();  // " NN%", " [", "]"
        std::size_t bar_min = has(kBar) ? kBarMin : 0;
        std::size_t name_min = kept.empty() ? std::min<std::size_t>(name_.size(), 4) : std::min(name_.size(), kNameMin);
        if (room >= fixed + bar_min + name_min) {
            std::size_t avail = room - fixed;
            std::size_t name_cols = std::min(name_.size(), avail - bar_min), bar_max = has(kBar) ? kBarMax : 0;
            if (name_cols > kNameShare && avail - name_cols < bar_max)  // a long name shares with the bar
                name_cols = std::max(kNameShare, avail > bar_max ? avail - bar_max : 0);
            std::string line = shorten(name_, name_cols) + " " + pct_text;
            if (has(kBar)) {
                std::string bar(std::min(kBarMax, avail - name_cols), ' ');
                std::fill_n(bar.begin(), bar.size() * static_cast<std::size_t>(pct) / 100, '#');
                line += " [" + bar + "]";
            }
            return line + rest;
        }
        if (kept.empty())  // not even a short name: the percentage alone, if it fits
            return room >= strlen(pct_text) ? pct_text : "";
        kept.pop_back();
    }
}

void Progress::draw(std::uint64_t done, bool final)
{
    // "\r", the frame, then ESC [ K: clears what a longer frame left.
    fprintf(stderr, "\r%s\033[K%s", frame(done, final, width_).c_str(), final ? "\n" : "");
    fflush(stderr);
    drawn_ = true;
}

}  // namespace ft
