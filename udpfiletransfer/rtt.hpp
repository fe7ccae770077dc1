// SPDX-License-Identifier: MIT
// rtt.hpp - the retransmission timeout, adapted to the measured round trip
// (Jacobson/Karels, as the book's rtt_* functions of chapter 22 and RFC
// 6298): a smoothed round-trip time and its mean deviation, updated from
// each measurement, and RTO = srtt + 4 * rttvar, kept between a floor and
// a cap.  Each timeout doubles the RTO until the next measurement
// (exponential backoff), until the next measurement or progress.  Karn's rule is the caller's: measure only blocks
// sent once, since the ACK of a retransmitted one cannot say which copy
// it answers.
#ifndef UDPFT_RTT_HPP
#define UDPFT_RTT_HPP

#include <algorithm>
#include <chrono>

namespace udpft {

using Clock = std::chrono::steady_clock;
using Micros = std::chrono::microseconds;

inline constexpr Micros kRtoInitial{250'000};  // before any measurement
inline constexpr Micros kRtoFloor{20'000};     // never retransmit sooner than this
inline constexpr Micros kRtoCap{2'000'000};    // nor wait longer than this
inline constexpr int kMaxTries = 8;            // timeouts in a row without progress: give up

class Rtt {
public:
    // One round trip of m, from a block sent once.
    void measured(Micros m)
    {
        double x = static_cast<double>(m.count());
        if (!have_) {
            srtt_ = x;
            rttvar_ = x / 2;
            have_ = true;
        } else {
            double delta = x - srtt_;
            srtt_ += delta / 8;                             // gain 1/8
            rttvar_ += ((delta < 0 ? -delta : delta) - rttvar_) / 4;  // gain 1/4
        }
        backoff_ = 1;
    }
    void timed_out() { backoff_ = std::min(backoff_ * 2, 64); }
    // The peer acknowledged something new: the path works again, so the
    // backoff ends even without a measurement (under heavy loss, Karn's
    // rule may leave none for a long time, and the RTO would stay at its
    // cap).
    void progressed() { backoff_ = 1; }
    Micros rto() const
    {
        Micros base = have_ ? Micros(static_cast<long>(srtt_ + 4 * rttvar_)) : kRtoInitial;
        return std::clamp(base * backoff_, kRtoFloor, kRtoCap);
    }
    Micros srtt() const { return Micros(static_cast<long>(srtt_)); }

private:
    double srtt_ = 0, rttvar_ = 0;  // microseconds
    bool have_ = false;
    int backoff_ = 1;
};

}  // namespace udpft

#endif  // UDPFT_RTT_HPP
