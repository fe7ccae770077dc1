// SPDX-License-Identifier: MIT
// The service as a state machine: header, body, work, reply, and again.
#include "conn.h"

#include "unp.h"

#include <algorithm>

Want Conn::advance(Clock::time_point now)
{
    want_ = step(now);
    return want_;
}

Want Conn::step(Clock::time_point now)
{
    for (;;) {
        switch (state_) {
        case State::header: {
            ssize_t n = read(fd_, header_ + have_, kHeaderSize - have_);
            if (n < 0 && errno == EINTR)
                continue;
            if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
                return Want::read;  // nothing more yet
            if (n <= 0)
                return Want::close;  // EOF (the client is done) or reset
            have_ += static_cast<std::size_t>(n);
            if (have_ < kHeaderSize)
                continue;  // a slow client: part of the header so far
            if (!decode_header(header_, req_)) {
                err_msg("bad request header (length %u, reply %u, work %u): closing the connection",
                        req_.length, req_.reply, req_.work_usec);
                return Want::close;
            }
            left_ = req_.length - kHeaderSize;
            state_ = State::body;
            break;
        }
        case State::body: {
            if (left_ == 0) {
                ready_at_ = now + std::chrono::microseconds(req_.work_usec);
                state_ = State::work;
                break;
            }
            unsigned char discard[BUFFSIZE];
            ssize_t n = read(fd_, discard, std::min<std::uint64_t>(left_, sizeof discard));
            if (n < 0 && errno == EINTR)
                continue;
            if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
                return Want::read;
            if (n <= 0)
                return Want::close;  // gone in the middle of a request
            left_ -= static_cast<std::uint64_t>(n);
            break;
        }
        case State::work:
            if (now < ready_at_)
                return Want::timer;
            sent_ = 0;
            state_ = State::reply;
            break;
        case State::reply: {
            if (sent_ == req_.reply) {
                have_ = 0;  // done: the next request may already be waiting
                state_ = State::header;
                break;
            }
            std::size_t piece = static_cast<std::size_t>(std::min<std::uint64_t>(req_.reply - sent_, kChunk));
            ssize_t n = write(fd_, pattern_at(req_.tag, sent_), piece);
            if (n < 0 && errno == EINTR)
                continue;
            if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
                return Want::write;  // the socket's send buffer is full
            if (n < 0)
                return Want::close;  // EPIPE, ECONNRESET: the client is gone
            sent_ += static_cast<std::uint64_t>(n);
            break;
        }
        }
    }
}
