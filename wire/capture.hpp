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

namespace wire {

class Capture {
public:
    // Called for each frame: capture time (microseconds since the epoch)
    // and the captured bytes; return true to copy the frame to the dump file.
    using Handler = std::function<bool(int64_t time_us, std::span<const uint8_t> frame)>;

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

    // A pcap filter expression, as tcpdump takes it ("tcp port 9877").
    bool set_filter(const std::string &expression);
    // Copy kept frames to path (pcap format).
    bool dump_to(const std::string &path);
    int link() const;
    // A descriptor to poll() for packets (-1 for files).
    int selectable_fd() const;
    // Hands every frame available now to fn.  Returns the number of frames,
    // 0 if none were waiting, -1 at the end of a file or on error.
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
};

// The one-line message for a live capture without privilege: what is
// needed and how to grant it to this program.
std::string privilege_message(const std::string &interface, const std::string &program);

}  // namespace wire

#endif  // WIRE_CAPTURE_HPP
