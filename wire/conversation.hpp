// SPDX-License-Identifier: MIT
// conversation.hpp - TCP segments grouped into connections, with relative
// sequence numbers and a note saying which socket call each segment comes
// from (connect, the listen backlog, write, close, shutdown) and why an RST
// was sent.
//
// The Tracker sees the segments in capture order and only what is on the
// wire; where two socket calls look the same on the wire (close() and
// shutdown(SHUT_WR) both send FIN), the note says so until a later segment
// tells them apart.
#ifndef WIRE_CONVERSATION_HPP
#define WIRE_CONVERSATION_HPP

#include "segment.hpp"

#include <cstdint>
#include <deque>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

namespace wire {

enum Role : int { client = 0, server = 1 };
const char *role_name(int role);

// One side of a connection, as seen from its segments.  Sequence numbers
// here are raw; relative ones are raw minus isn.
struct Side {
    std::string addr;
    uint16_t port = 0;
    bool isn_known = false;
    uint32_t isn = 0;               // the SYN's sequence number (or guessed)
    bool sent_any = false;
    uint32_t next_seq = 0;          // one past the highest sequence number sent
    bool acked_any = false;
    uint32_t last_ack = 0;          // highest acknowledgement number sent
    bool window_known = false;
    uint16_t last_window = 0;
    uint64_t bytes = 0;             // payload bytes, retransmissions not counted
    uint64_t segments = 0;
    uint64_t retransmissions = 0;
    uint64_t last_data_number = 0;  // capture number of its last data segment
    bool fin = false;
    uint32_t fin_seq = 0;           // the sequence number the FIN occupies
    uint64_t fin_number = 0;
    bool fin_acked = false;         // the peer acknowledged this FIN
    bool data_after_own_fin = false;  // the peer sent data after this side's FIN
    bool half_closed = false;       // ...and this side acknowledged it: shutdown(SHUT_WR)
    bool rst = false;
    std::string stream;             // its payload in order, with Tracker::keep_streams
    // What its SYN (or SYN+ACK) offered.
    bool syn_seen = false;
    std::optional<uint16_t> mss;
    std::optional<uint8_t> wscale;  // as offered (may exceed 14)
    bool sack_ok = false, timestamps = false;

    // The shift the window field is scaled by: RFC 7323 caps it at 14, as
    // the receiving kernel does (Linux logs and uses 14).
    std::optional<uint8_t> shift() const;
};

// One row of the handout's table: the state after one segment.
struct TableRow {
    uint64_t number = 0;
    int from = client;
    std::string flags;
    uint32_t seq = 0, length = 0;    // relative
    std::optional<uint32_t> next_seq[2];  // relative: the next byte each side will send
    std::optional<uint32_t> ack[2];  // relative: the last acknowledgement each side sent
    uint32_t isn[2] = {0, 0};        // to show absolute numbers (tcpview -S)
};

// Why an RST was sent, as the segments before it tell.
enum class ResetKind {
    none,
    refused,           // it answers a SYN: nothing listens (ECONNREFUSED)
    data_after_close,  // data reached a side after its close()
    unread_data,       // close() with unread data in the receive buffer
    abortive,          // SO_LINGER {1, 0}
    after_close,       // a segment reached a socket that no longer exists
};

// Who closed first.  Simultaneous: each FIN was sent before the other
// arrived (the second FIN does not acknowledge the first).
enum class CloseKind { open, client_first, server_first, simultaneous };

// The text of a reset cause, for the RST's line and the summary.
std::string reset_text(ResetKind kind, int from, const std::string &endpoint);

struct Connection {
    int id = 0;
    Side side[2];                    // [client], [server]
    bool roles_guessed = false;      // no SYN seen: the lower port is taken for the server
    int stage = 0;                   // handshake: 1 SYN, 2 SYN+ACK, 3 complete
    uint64_t open_number = 0;        // the SYN's capture number, 0 if not seen
    int64_t open_time_us = 0;
    CloseKind close = CloseKind::open;
    int first_closer = -1;           // the side whose FIN came first on the wire
    int reset_by = -1;
    ResetKind reset = ResetKind::none;
    std::vector<TableRow> table;

    // Nothing more will come: reset, or both FINs sent and acknowledged.
    bool finished() const;
};

// What the tracker says about one segment.
struct Annotated {
    int connection = 0;              // Connection::id
    int from = client;
    uint64_t number = 0;             // 1, 2, ... in capture order
    uint32_t rel_seq = 0, rel_ack = 0;
    bool retransmission = false;
    std::string note;
};

class Tracker {
public:
    // server_port, when known (tcpview --run), names the server of a
    // connection whose SYN was not captured.
    explicit Tracker(int server_port = -1) : server_port_(server_port) {}

    Annotated add(const Segment &s);
    // Keep each side's payload (Side::stream), for tcpview --follow.
    void keep_streams() { keep_streams_ = true; }

    const std::deque<Connection> &connections() const { return connections_; }
    const Connection *find(int id) const;
    // At least one connection, and every one finished.
    bool all_finished() const;
    uint64_t count() const { return count_; }
    // Time 0 of the lines: the capture's first frame (set by the Viewer,
    // whatever that frame held), else the first segment.
    int64_t first_time_us() const { return first_time_us_; }
    void set_origin(int64_t time_us)
    {
        first_time_us_ = time_us;
        origin_set_ = true;
    }

private:
    Connection &connection_for(const Segment &s);
    void record_row(Connection &c, const Segment &s, const Annotated &a);

    int server_port_;
    bool keep_streams_ = false;
    uint64_t count_ = 0;
    int64_t first_time_us_ = 0;
    bool origin_set_ = false;
    std::deque<Connection> connections_;  // a deque: references stay valid
    // The latest connection of each address/port pair (either direction).
    std::unordered_map<std::string, size_t> latest_;
};

// The payload as a quoted string a terminal can show: printable ASCII as
// is, \r \n \t escaped, other bytes as '.', cut after max characters with
// "..." (also when the capture holds less than the segment carried).
std::string preview(const Segment &s, size_t max = 32);
// The same for any payload: the captured bytes and the length sent.
std::string preview(std::span<const uint8_t> payload, uint32_t length, size_t max = 32);

// Sequence-number arithmetic modulo 2^32 (RFC 1982): a is after b.
inline bool seq_after(uint32_t a, uint32_t b) { return static_cast<int32_t>(a - b) > 0; }

}  // namespace wire

#endif  // WIRE_CONVERSATION_HPP
