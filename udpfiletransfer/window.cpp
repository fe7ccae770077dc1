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
    Flight &f = flight_[seq % window_];
    bool again = seq < next_;
    if (again) {
        stats_.retransmissions++;
        f.copies++;
    } else {
        f = {now, 1};
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

void Sender::start(Clock::time_point now)
{
    fill(now);
    deadline_ = now + rtt_.rto();
}

void Sender::on_ack(std::uint32_t seq, Clock::time_point now)
{
    if (done() || failed_)
        return;
    if (seq >= next_) {  // acknowledges a block never sent: a confused or hostile peer
        stats_.bogus_acks++;
        return;
    }
    if (seq + 1 < base_)
        return;  // an old ACK, overtaken by a later one
    if (seq + 1 == base_) {
        // The receiver is still missing base_: after three such ACKs it is
        // surely lost, not late.
        if (++dupacks_ == 3 && send_block(base_, now))
            deadline_ = now + rtt_.rto();
        return;
    }
    const Flight &f = flight_[seq % window_];
    if (f.copies == 1)  // Karn: only a block sent once gives a true round trip
        rtt_.measured(std::chrono::duration_cast<Micros>(now - f.sent));
    base_ = seq + 1;
    dupacks_ = 0;
    tries_ = 0;
    fill(now);
    deadline_ = now + rtt_.rto();
}

void Sender::on_timeout(Clock::time_point now)
{
    if (done() || failed_)
        return;
    stats_.timeouts++;
    if (++tries_ > kMaxTries) {
        failed_ = true;
        return;
    }
    rtt_.timed_out();
    for (std::uint32_t seq = base_; seq < next_; seq++)  // go back N: all in flight
        if (!send_block(seq, now))
            return;
    deadline_ = now + rtt_.rto();
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
