// SPDX-License-Identifier: MIT
#include "window.hpp"

#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>

namespace udpft {

bool send_file_block(int sockfd, const sockaddr *to, socklen_t tolen, int filefd, std::uint64_t size,
                     std::size_t block, std::uint32_t tid, std::uint32_t seq, bool again)
{
    unsigned char buf[kDataHeader + kMaxBlock];
    block = std::clamp<std::size_t>(block, 1, kMaxBlock);
    std::uint64_t offset = static_cast<std::uint64_t>(seq - 1) * block;
    std::size_t len = offset >= size ? 0 : static_cast<std::size_t>(std::min<std::uint64_t>(block, size - offset));
    ssize_t n = len == 0 ? 0 : pread(filefd, buf + kDataHeader, len, static_cast<off_t>(offset));
    if (n != static_cast<ssize_t>(len)) {
        if (n >= 0)
            errno = ESTALE;  // shorter than it was: the file changed under us
        return false;
    }
    put_data_header(buf, tid, seq, again ? kAgain : 0, static_cast<std::uint16_t>(len));
    // A full socket buffer (ENOBUFS, EAGAIN) is a loss like any other:
    // the timeout resends the block.
    return sendto(sockfd, buf, kDataHeader + len, 0, to, tolen) >= 0 || errno == ENOBUFS || errno == EAGAIN ||
           errno == EINTR;
}

Sender::Sender(std::uint64_t size, std::size_t block, std::uint16_t window,
               std::function<bool(std::uint32_t, bool)> send)
    : last_(static_cast<std::uint32_t>(size / block + 1)),
      window_(std::clamp<std::uint16_t>(window, 1, kMaxWindow)),
      send_(std::move(send)),
      flight_(window_)
{
    stats_.bytes = size;
    stats_.blocks = last_;
}

bool Sender::send_block(std::uint32_t seq, Clock::time_point now)
{
    Flight &f = slot(seq);
    bool again = seq < next_;
    if (again) {
        stats_.retransmissions++;
        f.copies++;
        f.sent = now;
    } else {
        f = {now, 1, false};
    }
    if (!send_(seq, again))
        failed_ = true;
    return !failed_;
}

void Sender::fill(Clock::time_point now)
{
    while (!failed_ && next_ <= last_ && next_ < base_ + window_) {
        if (!send_block(next_, now))
            return;
        next_++;
    }
}

// The next timer: the oldest copy in flight of a block not yet SACKed.
void Sender::set_deadline()
{
    auto oldest = Clock::time_point::max();
    for (std::uint32_t seq = base_; seq < next_; seq++)
        if (!slot(seq).sacked)
            oldest = std::min(oldest, slot(seq).sent);
    deadline_ = oldest == Clock::time_point::max() ? Clock::now() + rtt_.rto() : oldest + rtt_.rto();
}

// A block sent once, with three SACKed blocks after it, is lost: resend it.
void Sender::resend_lost(Clock::time_point now)
{
    int sacked_above = 0;
    for (std::uint32_t seq = next_; seq-- > base_ && !failed_;) {
        Flight &f = slot(seq);
        if (f.sacked)
            sacked_above++;
        else if (sacked_above >= 3 && f.copies == 1)
            send_block(seq, now);
    }
}

void Sender::start(Clock::time_point now)
{
    fill(now);
    set_deadline();
}

void Sender::on_ack(std::uint32_t seq, std::uint32_t sack, Clock::time_point now)
{
    if (done() || failed_)
        return;
    if (seq >= next_) {  // acknowledges a block never sent: a confused or hostile peer
        stats_.bogus_acks++;
        return;
    }
    if (seq + 1 < base_)
        return;  // an old ACK, overtaken by a later one
    // A round trip is measured only on a block's first acknowledgement,
    // and only if it was sent once (Karn): a block SACKed long ago and
    // acknowledged in order only now, after a hole was repaired, would
    // count the repair as round-trip time.
    auto first_ack = [&](const Flight &f) {
        if (f.copies == 1 && !f.sacked)
            rtt_.measured(std::chrono::duration_cast<Micros>(now - f.sent));
    };
    bool progress = false;
    if (seq + 1 > base_) {
        first_ack(slot(seq));
        base_ = seq + 1;
        progress = true;
    }
    for (std::uint32_t i = 0; i < 32; i++) {
        std::uint32_t s = seq + 2 + i;
        if ((sack >> i & 1) && s >= base_ && s < next_ && !slot(s).sacked) {
            first_ack(slot(s));
            slot(s).sacked = true;
            progress = true;
        }
    }
    if (progress) {
        tries_ = 0;
        rtt_.progressed();
    }
    resend_lost(now);
    fill(now);
    set_deadline();
}

void Sender::on_timeout(Clock::time_point now)
{
    if (done() || failed_)
        return;
    auto rto = rtt_.rto();
    auto expired = [&](std::uint32_t seq) {
        return !slot(seq).sacked && slot(seq).sent + rto <= now + std::chrono::milliseconds(1);
    };
    bool any = false;
    for (std::uint32_t seq = base_; seq < next_ && !any; seq++)
        any = expired(seq);
    if (!any) {  // the RTO grew since the timer was set: not a timeout yet
        set_deadline();
        return;
    }
    stats_.timeouts++;
    if (++tries_ > kMaxTries) {
        failed_ = true;
        return;
    }
    rtt_.timed_out();
    for (std::uint32_t seq = base_; seq < next_ && !failed_; seq++)
        if (expired(seq))
            send_block(seq, now);  // its timer ran out
    set_deadline();
}

Receiver::Receiver(std::size_t block, std::uint16_t window, std::function<bool(std::string_view)> write)
    : block_(block), window_(std::clamp<std::uint16_t>(window, 1, kMaxWindow)), write_(std::move(write))
{
}

bool Receiver::deliver(std::string_view bytes)
{
    if (!write_(bytes)) {
        failed_ = true;
        return false;
    }
    stats_.bytes += bytes.size();
    stats_.blocks++;
    expected_++;
    if (bytes.size() < block_)
        complete_ = true;  // the short block: the end
    return true;
}

std::uint32_t Receiver::sack() const
{
    std::uint32_t map = 0;
    for (auto it = early_.upper_bound(expected_); it != early_.end() && it->first <= expected_ + 32; ++it)
        map |= 1u << (it->first - expected_ - 1);
    return map;
}

std::uint32_t Receiver::on_data(std::uint32_t seq, std::uint8_t flags, std::string_view bytes)
{
    if (flags & kAgain)
        stats_.again_seen++;
    if (complete_ || failed_ || seq < expected_) {
        stats_.duplicates++;  // already written: the ACK must have been lost
        return acked();
    }
    if (seq >= expected_ + window_ || bytes.size() > block_)
        return acked();  // beyond the window, or larger than agreed: not ours to keep
    if (seq > expected_) {
        if (!early_.emplace(seq, bytes).second)
            stats_.duplicates++;
        return acked();
    }
    if (!deliver(bytes))
        return acked();
    // Blocks that came early may now follow in order.
    for (auto it = early_.begin(); !complete_ && it != early_.end() && it->first == expected_;) {
        if (!deliver(it->second))
            break;
        it = early_.erase(it);
    }
    if (complete_)
        early_.clear();
    return acked();
}

}  // namespace udpft
