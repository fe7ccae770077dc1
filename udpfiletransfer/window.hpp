// SPDX-License-Identifier: MIT
// window.hpp - the two ends of one transfer, as state machines that the
// client's loop and the server's loop drive with the datagrams and
// timeouts they see.  The same code sends in both directions: the server's
// Sender for a get, the client's for a put.
//
// Blocks are numbered from 1; block s holds the file's bytes from
// (s-1)*1024, and the first block shorter than 1024 bytes (0 bytes if the
// size is a multiple of 1024) is the last.  Window 1 is stop-and-wait.
// With a window of N, up to N blocks are in flight: selective repeat.
// ACK s says "every block up to s arrived" (cumulative), and its 32-bit
// SACK map which of the 32 blocks after s+1 arrived early; the receiver
// keeps those, so a lost block costs one retransmission, not the window.
// The sender resends a block when its own timer (its last send + RTO)
// runs out, or at once when three blocks sent after it have been SACKed
// (it is lost, not late: TCP's duplicate-ACK threshold, RFC 6675).
#ifndef UDPFT_WINDOW_HPP
#define UDPFT_WINDOW_HPP

#include "rtt.hpp"
#include "udpft.hpp"

#include <sys/socket.h>

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace udpft {

struct Stats {
    std::uint64_t bytes = 0;
    std::uint64_t blocks = 0;           // distinct blocks delivered
    std::uint64_t retransmissions = 0;  // blocks sent again (sender)
    std::uint64_t timeouts = 0;
    std::uint64_t duplicates = 0;       // blocks that arrived twice (receiver)
    std::uint64_t bogus_acks = 0;       // ACKs for blocks never sent (sender)
    std::uint64_t again_seen = 0;       // retransmitted copies that arrived (receiver)
};

// Reads block seq of filefd (size bytes long) and sends it as DATA to to
// (nullptr on a connected socket).  False if the file is shorter than it
// was or a call failed (errno says which).
bool send_file_block(int sockfd, const sockaddr *to, socklen_t tolen, int filefd, std::uint64_t size,
                     std::size_t block, std::uint32_t tid, std::uint32_t seq, bool again);

class Sender {
public:
    // send(seq, again) reads block seq and sends it (again: a copy sent
    // before); false if it cannot (the file shrank, a read failed): the
    // transfer then fails.
    Sender(std::uint64_t size, std::size_t block, std::uint16_t window, std::function<bool(std::uint32_t, bool)> send);

    void start(Clock::time_point now);                      // the first window
    void on_ack(std::uint32_t seq, std::uint32_t sack, Clock::time_point now);  // any ACK of this transfer
    void on_timeout(Clock::time_point now);                 // deadline() has passed

    bool done() const { return base_ > last_; }  // every block acknowledged
    bool failed() const { return failed_; }      // gave up, or send() failed
    bool gave_up() const { return tries_ > kMaxTries; }
    Clock::time_point deadline() const { return deadline_; }
    const Stats &stats() const { return stats_; }
    const Rtt &rtt() const { return rtt_; }
    Rtt &rtt() { return rtt_; }

private:
    struct Flight {
        Clock::time_point sent;  // the last copy
        int copies = 0;
        bool sacked = false;     // the receiver has it (not yet in order)
    };
    Flight &slot(std::uint32_t seq) { return flight_[seq % window_]; }
    bool send_block(std::uint32_t seq, Clock::time_point now);
    void resend_lost(Clock::time_point now);
    void fill(Clock::time_point now);
    void set_deadline();
    std::uint32_t last_;           // the final (short) block's number
    std::uint32_t base_ = 1;       // oldest block not yet acknowledged
    std::uint32_t next_ = 1;       // next block never sent
    std::uint16_t window_;
    std::function<bool(std::uint32_t, bool)> send_;
    std::vector<Flight> flight_;   // blocks base_..next_-1, indexed by seq % window
    int tries_ = 0;
    bool failed_ = false;
    Rtt rtt_;
    Clock::time_point deadline_{};
    Stats stats_;
};

class Receiver {
public:
    // write(bytes) appends to the file; false on a write error.
    Receiver(std::size_t block, std::uint16_t window, std::function<bool(std::string_view)> write);

    // One DATA block: writes what is now in order and returns the ACK to
    // send (the last block in order so far).
    std::uint32_t on_data(std::uint32_t seq, std::uint8_t flags, std::string_view bytes);

    bool complete() const { return complete_; }
    bool failed() const { return failed_; }  // a write failed
    std::uint32_t acked() const { return expected_ - 1; }
    std::uint32_t sack() const;  // bit i: block acked() + 2 + i has arrived
    const Stats &stats() const { return stats_; }

private:
    bool deliver(std::string_view bytes);
    std::uint32_t expected_ = 1;  // the next block to write
    std::size_t block_;
    std::uint16_t window_;
    std::function<bool(std::string_view)> write_;
    std::map<std::uint32_t, std::string> early_;  // arrived ahead of expected_
    bool complete_ = false, failed_ = false;
    Stats stats_;
};

}  // namespace udpft

#endif  // UDPFT_WINDOW_HPP
