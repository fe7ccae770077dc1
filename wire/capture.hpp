// SPDX-License-Identifier: MIT
// capture.hpp - the libpcap side of tcpview: a live capture on an
// interface, or a saved capture file, with a filter and an optional copy
// of what was shown into a pcap file that Wireshark and tcpdump open.
#ifndef WIRE_CAPTURE_HPP
#define WIRE_CAPTURE_HPP

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>

struct pcap;
struct pcap_dumper;
struct bpf_program;

namespace wire {

class Capture {
public:
    // Called for each frame: its number in the capture (1, 2, ..., as
    // tcpdump -# and Wireshark count; for a file, frames the filter left
    // out are counted too), capture time (microseconds since the epoch) and
    // the captured bytes; return true to copy the frame to the dump file.
    using Handler = std::function<bool(uint64_t number, int64_t time_us, std::span<const uint8_t> frame)>;

    // What dispatch() returns besides a number of frames.
    static constexpr int end_of_file = -1;
    static constexpr int read_failed = -2;  // error() says why

    // A live capture: immediate delivery, a short timeout, no promiscuous
    // mode.  Packets are buffered from the moment this returns.  On failure
    // the object is not open() and error() says why; permission_denied()
    // tells a missing privilege apart from other failures.
    static Capture live(const std::string &interface);
    static Capture file(const std::string &path);  // needs no privilege

    Capture(Capture &&) noexcept;
    Capture &operator=(Capture &&) = delete;
    ~Capture();

    bool open() const { return handle_ != nullptr; }
    bool permission_denied() const { return permission_denied_; }
    const std::string &error() const { return error_; }

    // A pcap filter expression, as tcpdump takes it ("tcp port 9877").  A
    // live capture filters in the kernel; a file is filtered here, frame by
    // frame, so the frame numbers stay the file's.
    bool set_filter(const std::string &expression);
    // Frames a file's filter left out.
    uint64_t filtered() const { return filtered_; }
    // Frames read so far (the last frame's number), and the first one's time.
    uint64_t frames() const { return frames_; }
    int64_t first_time_us() const { return first_time_us_; }
    // Copy kept frames to path (pcap format).
    bool dump_to(const std::string &path);
    int link() const;
    // A descriptor to poll() for packets (-1 for files).
    int selectable_fd() const;
    // Hands every frame available now to fn.  Returns the number of frames,
    // 0 if none were waiting, end_of_file, or read_failed (a live capture
    // that failed, a file cut short or holding a record it cannot hold).
    int dispatch(const Handler &fn);
    // Frames the kernel dropped because the buffer was full (live only).
    unsigned dropped();

private:
    Capture() = default;
    pcap *handle_ = nullptr;
    pcap_dumper *dumper_ = nullptr;
    bool live_ = false;
    bool permission_denied_ = false;
    std::string error_;
    std::unique_ptr<::bpf_program, void (*)(::bpf_program *)> file_filter_{nullptr, nullptr};
    uint64_t frames_ = 0, filtered_ = 0;
    int64_t first_time_us_ = 0;
};

class Viewer;

// The one packet handler of tcpview -r, the live capture and --run: each
// frame to the viewer, numbered as the capture numbers it, with the
// capture's first frame as time 0, until count frames were shown (0: no
// limit).
class Feed {
public:
    Feed(Capture &capture, Viewer &viewer, long count = 0)
        : capture_(capture), viewer_(viewer), count_(count) {}
    Capture::Handler handler();
    bool done() const { return count_ > 0 && shown_ >= count_; }
    long shown() const { return shown_; }

private:
    Capture &capture_;
    Viewer &viewer_;
    long count_;
    long shown_ = 0;
    bool started_ = false;
};

// The one-line message for a live capture without privilege: what is
// needed and how to grant it to this program.
std::string privilege_message(const std::string &interface, const std::string &program);

}  // namespace wire

#endif  // WIRE_CAPTURE_HPP
