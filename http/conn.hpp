// SPDX-License-Identifier: MIT
// conn.hpp - one HTTP client of httpserv03's event loop, as a state
// machine over a non-blocking socket (bench/designs/conn.h's shape, for
// HTTP).
//
// A blocking server keeps its place in the conversation on its stack (the
// line of serve_connection() it is in); an event loop serves every client
// from one thread, so each client's place is kept here instead:
//
//   head    read() into a buffer until parse_request() has a whole head
//   send    send() the response head, sendfile() the file, as far as the
//           socket takes it; then back to head (keep-alive) or to
//   linger  our FIN sent (shutdown), read and drop until the client's FIN
//
// advance() does all the reading and writing the socket allows right now,
// never blocks, and says what it waits for next; the loop watches for that.
// Every state has a deadline (the -t timeout; 1 s for linger): expire()
// is called once it has passed, and answers 408 or gives the client up.
#ifndef HTTP_CONN_HPP
#define HTTP_CONN_HPP

#include "site.hpp"

#include <netinet/in.h>

#include <chrono>
#include <string>

namespace http {

using Clock = std::chrono::steady_clock;

enum class Want {
    read,   // wait until the socket is readable
    write,  // wait until it is writable (the answer did not fit)
    close,  // done, gone, or given up: close the socket
};

class Conn {
public:
    Conn(int fd, const sockaddr_in &peer, const Site &site, std::chrono::seconds timeout);
    int fd() const noexcept { return fd_; }
    Want want() const noexcept { return want_; }
    Clock::time_point deadline() const noexcept { return deadline_; }

    // Reads and writes as far as possible without blocking; returns (and
    // remembers) what it waits for next.  The caller closes the descriptor
    // on Want::close.
    Want advance();
    // The deadline has passed: 408 for an overdue request, else give up.
    Want expire();

private:
    enum class State { head, send, linger };
    Want step();
    Want send_some();    // the send state; Want::close with state_ changed means "go on"
    void finished_response();
    void log() const;

    int fd_;
    sockaddr_in peer_;
    const Site &site_;
    std::chrono::seconds timeout_;
    Want want_ = Want::read;
    State state_ = State::head;
    Clock::time_point deadline_;
    bool first_ = true;     // no request answered yet on this connection
    std::string in_;        // bytes received, not yet parsed
    ParseResult parsed_;    // the request being answered
    Response resp_;
    std::string out_;       // the response head (and generated body)
    std::size_t out_sent_ = 0;
    off_t file_sent_ = 0;
};

}  // namespace http

#endif  // HTTP_CONN_HPP
