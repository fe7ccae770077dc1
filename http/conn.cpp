// SPDX-License-Identifier: MIT
// The HTTP connection as a state machine: head, send, and again; linger at
// the end.
#include "conn.hpp"

#include <sys/sendfile.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>

namespace http {

Conn::Conn(int fd, const sockaddr_in &peer, const Site &site, std::chrono::seconds timeout)
    : fd_(fd), peer_(peer), site_(site), timeout_(timeout), deadline_(Clock::now() + timeout)
{
}

Want Conn::advance()
{
    want_ = step();
    return want_;
}

Want Conn::expire()
{
    if (state_ != State::head || !(first_ || !in_.empty()))
        return want_ = Want::close;  // idle kept-alive, a client not reading, or lingering: give up
    parsed_ = ParseResult{};  // the request line, if any, for the log
    parsed_.line = parse_request(in_).line;
    resp_ = site_.error(408, "No complete request arrived in time.", false);
    out_ = resp_.head + resp_.body;
    out_sent_ = 0;
    file_sent_ = 0;
    state_ = State::send;
    deadline_ = Clock::now() + timeout_;
    return advance();
}

Want Conn::step()
{
    for (;;) {
        switch (state_) {
        case State::head: {
            parsed_ = parse_request(in_);
            if (parsed_.state == Parse::done) {
                resp_ = site_.respond(parsed_);
                out_ = resp_.head;
                if (resp_.send_body && !resp_.file)
                    out_ += resp_.body;
                out_sent_ = 0;
                file_sent_ = 0;
                state_ = State::send;
                deadline_ = Clock::now() + timeout_;
                break;
            }
            char chunk[4096];
            ssize_t n = read(fd_, chunk, sizeof chunk);
            if (n < 0 && errno == EINTR)
                continue;
            if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
                return Want::read;  // nothing more yet
            if (n <= 0)
                return Want::close;  // EOF (the client is done) or reset
            in_.append(chunk, static_cast<std::size_t>(n));
            break;
        }
        case State::send: {
            Want w = send_some();
            if (state_ == State::send)
                return w;  // waiting to write, or failed
            break;
        }
        case State::linger: {
            char discard[4096];
            ssize_t n = read(fd_, discard, sizeof discard);
            if (n < 0 && errno == EINTR)
                continue;
            if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
                return Want::read;
            return n > 0 ? Want::read : Want::close;  // the client's FIN (or reset): done
        }
        }
    }
}

// Writes what the socket takes of the head, then of the file.  Changes
// state_ when the response is complete.
Want Conn::send_some()
{
    bool file_follows = resp_.send_body && resp_.file;
    while (out_sent_ < out_.size()) {
        ssize_t n = send(fd_, out_.data() + out_sent_, out_.size() - out_sent_, file_follows ? MSG_MORE : 0);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            return Want::write;  // the socket's send buffer is full
        if (n < 0) {
            log();
            return Want::close;  // EPIPE, ECONNRESET: the client is gone
        }
        out_sent_ += static_cast<std::size_t>(n);
        deadline_ = Clock::now() + timeout_;  // progress
    }
    while (file_follows && static_cast<std::uint64_t>(file_sent_) < resp_.file_size) {
        std::uint64_t left = resp_.file_size - static_cast<std::uint64_t>(file_sent_);
        ssize_t n = sendfile(fd_, resp_.file.get(), &file_sent_, left < (1u << 30) ? left : (1u << 30));
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            return Want::write;
        if (n <= 0) {
            log();
            return Want::close;  // gone, or the file shrank: the length sent cannot be kept
        }
        deadline_ = Clock::now() + timeout_;
    }
    finished_response();
    return Want::read;
}

void Conn::finished_response()
{
    log();
    in_.erase(0, parsed_.consumed);
    resp_.file.reset();
    first_ = false;
    if (resp_.keep_alive) {
        state_ = State::head;  // the next request may already be waiting in in_
        deadline_ = Clock::now() + timeout_;
    } else {
        shutdown(fd_, SHUT_WR);  // our FIN; then read until theirs (see blocking.hpp)
        state_ = State::linger;
        deadline_ = Clock::now() + std::chrono::seconds(1);
    }
}

void Conn::log() const
{
    std::uint64_t body = resp_.file ? static_cast<std::uint64_t>(file_sent_)
                                    : (out_sent_ > resp_.head.size() ? out_sent_ - resp_.head.size() : 0);
    write_log(log_line((const SA *) &peer_, sizeof peer_, parsed_.line, resp_.status, body));
}

}  // namespace http
