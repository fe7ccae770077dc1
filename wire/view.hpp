// SPDX-License-Identifier: MIT
// view.hpp - what tcpview prints: one line per segment in tcpdump's style
// with a note, and a summary per connection with the handout's seq/ack
// table.  Feed it frames (from a file, a live capture, or a test) and call
// summary() at the end.
#ifndef WIRE_VIEW_HPP
#define WIRE_VIEW_HPP

#include "conversation.hpp"
#include "ladder.hpp"
#include "segment.hpp"

#include <cstdint>
#include <ostream>
#include <span>
#include <string>
#include <utility>
#include <vector>

namespace wire {

struct ViewOptions {
    bool absolute_time = false;  // time of day (tcpdump) instead of seconds since the first segment
    int server_port = -1;        // names the server when no SYN was captured
    size_t table_rows = 30;      // rows of the seq/ack table shown per connection (0: all)
    bool absolute_seq = false;   // raw sequence numbers (tcpdump -S) instead of relative ones
    size_t width = 0;            // compact layout for a terminal this wide (0: the full line)
    bool hex = false;            // the payload in hex and ASCII under each line (tcpdump -X)
    bool only_server_port = false;  // skip frames not to or from server_port (--run)
    bool follow = false;         // each direction's payload reassembled, after the summary
    std::string svg_path;        // the ladder diagram as SVG, written at the summary ("": none)
    std::string html_path;       // the same in an HTML page with a legend
};

// The captured payload as tcpdump -X shows bytes: offset, 16 bytes in hex,
// the same as ASCII ('.' for the unprintable), one line each.
std::string hex_dump(const Segment &s);

// The options as tcpdump prints them: "mss 65495,sackOK,TS val 1 ecr 0,nop,wscale 7".
// SACK edges are shown relative to peer_isn.
std::string options_text(const Segment &s, uint32_t peer_isn);

// "  3 0.000104 127.0.0.1.40000 > 127.0.0.1.13: Flags [P.], seq 1:27, ack 1, win 512,
//  options [...], length 26  | data: 26 bytes from the server: ..."
struct LineOptions {
    bool absolute_time = false;
    bool absolute_seq = false;
    size_t width = 0;  // > 0: no options, the note wrapped under the line to this width
};
std::string format_line(const Segment &s, const Annotated &a, const Tracker &t, const LineOptions &o);

// A stream as --follow prints it: printable ASCII, newline and tab as
// they are, a backslash doubled, every other byte as \xNN.
std::string follow_text(const std::string &bytes);

// The summary of one connection (several lines, each ending in '\n').
struct TableOptions {
    size_t rows = 30;  // 0: every row
    bool absolute_seq = false;
};
std::string format_summary(const Connection &c, int64_t first_time_us, const TableOptions &table);

class Viewer {
public:
    Viewer(std::ostream &out, ViewOptions options)
        : out_(out), options_(options), tracker_(options.server_port)
    {
        if (options.follow)
            tracker_.keep_streams();
    }

    // One captured frame, number in the capture (0: the one after the last);
    // prints its line and returns true if it is TCP, UDP or ICMP.  Other
    // frames are counted for the summary's "skipped" line.
    bool frame(int link, int64_t time_us, std::span<const uint8_t> bytes, uint64_t number = 0);
    void segment(const Segment &s);
    // A frame not shown (not decoded, or of another port with only_port).
    void skip(const std::string &what, uint64_t count = 1);
    // Time 0 (else the first frame's time).
    void set_origin(int64_t time_us)
    {
        tracker_.set_origin(time_us);
        origin_set_ = true;
    }
    // Prints the summary of every connection seen (or that none was).
    void summary();
    const Tracker &tracker() const { return tracker_; }

private:
    std::ostream &out_;
    ViewOptions options_;
    Tracker tracker_;
    bool of_server_port(const Packet &p) const;
    void write_ladders();
    std::vector<Rung> rungs_;

    uint64_t frames_ = 0;
    bool origin_set_ = false;
    uint64_t datagrams_ = 0, icmp_ = 0, unreachable_ = 0;
    // What was skipped, in the order first seen, and how often.
    std::vector<std::pair<std::string, uint64_t>> skipped_;
};

}  // namespace wire

#endif  // WIRE_VIEW_HPP
