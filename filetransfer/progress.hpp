// SPDX-License-Identifier: MIT
// progress.hpp - ftcli02's progress bar on stderr, for a person watching a
// large file arrive: bytes, rate, time left.  Redrawn in place ("\r") at
// most ten times a second; drawn only when stderr is a terminal.
#ifndef FT_PROGRESS_HPP
#define FT_PROGRESS_HPP

#include <chrono>
#include <cstdint>
#include <string>

namespace ft {

class Progress {
public:
    // Draws nothing unless enabled (stderr is a terminal) and the file is
    // at least min_size bytes.
    Progress(std::string name, std::uint64_t total, bool enabled, std::uint64_t min_size = 1 << 20);
    void update(std::uint64_t done);  // cheap when nothing is to be drawn
    void finish();                    // the final state, then a newline
    void abandon();                   // ends the line so an error starts on its own

private:
    void draw(std::uint64_t done, bool final);
    using Clock = std::chrono::steady_clock;
    std::string name_;
    std::uint64_t total_;
    bool on_;
    Clock::time_point start_ = Clock::now(), last_{};
    std::uint64_t done_ = 0;
};

}  // namespace ft

#endif  // FT_PROGRESS_HPP
