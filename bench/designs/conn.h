// SPDX-License-Identifier: MIT
// conn.h - one client of an event-driven server (serv_select, serv_poll,
// serv_epoll): the service of service.h as a state machine over a
// non-blocking socket.
//
// A blocking server keeps its place in the conversation on its stack (which
// line of serve_request() it is in); an event loop serves many clients from
// one thread, so each client's place is kept here instead.  advance() does
// all the reading and writing the socket allows right now, never blocks,
// and says what the connection waits for next; the loop watches for that.
//
// The work time is a wait, as for a disk or a database: the connection
// asks for a timer, and the loop serves other clients meanwhile.  (Sleeping
// in the loop instead would stall every client, like the iterative server.)
#ifndef BENCH_DESIGNS_CONN_H
#define BENCH_DESIGNS_CONN_H

#include "service.h"

#include <chrono>
#include <cstdint>

using Clock = std::chrono::steady_clock;

enum class Want {
    read,   // wait until the socket is readable
    write,  // wait until it is writable (the reply did not fit)
    timer,  // wait until ready_at(): the request's work time
    close,  // the client closed, reset, or sent a bad header: close the socket
};

class Conn {
public:
    explicit Conn(int fd) noexcept : fd_(fd) {}
    int fd() const noexcept { return fd_; }
    Want want() const noexcept { return want_; }
    Clock::time_point ready_at() const noexcept { return ready_at_; }

    // Reads, writes, or notes the time as far as possible without blocking;
    // returns (and remembers) what it waits for next.  The caller closes
    // the descriptor when it returns Want::close.
    Want advance(Clock::time_point now);

private:
    enum class State { header, body, work, reply };
    Want step(Clock::time_point now);

    int fd_;
    Want want_ = Want::read;
    State state_ = State::header;
    unsigned char header_[kHeaderSize];
    std::size_t have_ = 0;      // header bytes read so far
    Request req_;
    std::uint64_t left_ = 0;    // request bytes still to read
    std::uint64_t sent_ = 0;    // reply bytes written so far
    Clock::time_point ready_at_{};
};

#endif  // BENCH_DESIGNS_CONN_H
