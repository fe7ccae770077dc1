// SPDX-License-Identifier: MIT
// progress.hpp - ftcli02's progress bar on stderr, for a person watching a
// large file arrive: name, percentage, bar, bytes, rate, time left.
// Redrawn in place ("\r") at most ten times a second; drawn only when
// stderr is a terminal (off one, nothing: a log gets no '\r' frames).
//
// Every frame fits the terminal's width (TIOCGWINSZ), one column short of
// it so the cursor never reaches the last column and wraps: a long name is
// shortened in the middle ("my-ve...notes.txt") and, on a narrow terminal,
// fields are dropped, least important first: rate, bytes, bar, time left.
// A resized terminal (SIGWINCH) gets a frame of its new width at once:
// the signal interrupts the client's blocking call, which then calls
// update() again (the handler is installed only while a bar is shown, so
// the prompt's read is never interrupted).
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
    ~Progress();
    Progress(const Progress &) = delete;
    Progress &operator=(const Progress &) = delete;
    void update(std::uint64_t done);  // cheap when nothing is to be drawn
    void finish();                    // the final state, then a newline
    void abandon();                   // ends the line so an error starts on its own

    // The frame for `width` columns (at most width - 1 characters): what
    // draw() prints after its '\r'.  Public so it can be read in one place.
    std::string frame(std::uint64_t done, bool final, std::size_t width) const;

private:
    void draw(std::uint64_t done, bool final);
    using Clock = std::chrono::steady_clock;
    std::string name_;  // escaped: printable ASCII only, one column a byte
    std::uint64_t total_;
    bool on_;
    bool drawn_ = false;
    std::size_t width_ = 80;  // the terminal's columns
    Clock::time_point start_ = Clock::now(), last_{};
};

}  // namespace ft

#endif  // FT_PROGRESS_HPP
