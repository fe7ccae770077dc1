// SPDX-License-Identifier: MIT
#include "progress.hpp"

#include <unistd.h>

#include <cstdio>

namespace ft {
namespace {

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

}  // namespace

Progress::Progress(std::string name, std::uint64_t total, bool enabled, std::uint64_t min_size)
    : name_(std::move(name)), total_(total), on_(enabled && total >= min_size)
{
}

void Progress::update(std::uint64_t done)
{
    done_ = done;
    if (!on_)
        return;
    auto now = Clock::now();
    if (now - last_ < std::chrono::milliseconds(100))
        return;
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
    if (on_ && last_ != Clock::time_point{})
        fputs("\n", stderr);
}

void Progress::draw(std::uint64_t done, bool final)
{
    double secs = std::chrono::duration<double>(Clock::now() - start_).count();
    double rate = secs > 0 ? static_cast<double>(done) / secs : 0;
    int pct = total_ ? static_cast<int>(100.0 * static_cast<double>(done) / static_cast<double>(total_)) : 100;
    constexpr int width = 24;
    std::string bar(width, ' ');
    for (int i = 0; i < width * pct / 100; i++)
        bar[i] = '#';
    std::string tail = final ? "in " + clock_time(secs)
                             : (rate > 0 ? clock_time(static_cast<double>(total_ - done) / rate) + " left" : "");
    fprintf(stderr, "\r%s %3d%% [%s] %s / %s  %s/s  %s\033[K%s", name_.c_str(), pct, bar.c_str(),
            human(static_cast<double>(done)).c_str(), human(static_cast<double>(total_)).c_str(),
            human(rate).c_str(), tail.c_str(), final ? "\n" : "");
    fflush(stderr);
}

}  // namespace ft
