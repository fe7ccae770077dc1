// SPDX-License-Identifier: MIT
// ladder.hpp - tcpview --svg and --html: each connection drawn as the
// textbooks draw it, two timelines (client left, server right), time going
// down, one arrow per segment labelled with its flags, seq/ack and length,
// and on the sender's side the socket call behind it.  RSTs are red,
// retransmissions dashed; a run of data segments (or pure ACKs) sent one
// after the other in one direction is folded into one arrow with a count.
#ifndef WIRE_LADDER_HPP
#define WIRE_LADDER_HPP

#include "conversation.hpp"

#include <string>
#include <vector>

namespace wire {

// One segment as the ladder draws it.
struct Rung {
    int connection = 0;
    int from = client;
    std::string flags;
    uint32_t seq = 0, ack = 0, length = 0;  // relative
    bool has_ack = false, retransmission = false, rst = false, syn = false, fin = false;
    std::string call;                       // "connect()", "write()", ... ("" if none)
};

// Runs this long or longer are folded into one arrow.
constexpr size_t fold_at = 4;

// The socket call behind a segment, from its note and its connection.
std::string socket_call(const Segment &s, const Annotated &a, const Connection &c);

// A standalone SVG document.
std::string ladder_svg(const std::vector<Rung> &rungs, const Tracker &tracker);
// An HTML page with the SVG inline and a legend.
std::string ladder_html(const std::vector<Rung> &rungs, const Tracker &tracker);

}  // namespace wire

#endif  // WIRE_LADDER_HPP
