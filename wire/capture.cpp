// SPDX-License-Identifier: MIT
// capture.cpp - libpcap: pcap_create/pcap_activate for live captures (so
// immediate mode and the buffer size can be set before activation),
// pcap_open_offline for files, pcap_dump for -w.
#include "capture.hpp"

#include "view.hpp"

#include <pcap/pcap.h>

#include <utility>

namespace wire {

namespace {

constexpr int snapshot_length = 262144;  // whole frames, as tcpdump saves them
constexpr int timeout_ms = 50;           // how long the kernel may hold packets back
constexpr int buffer_bytes = 8 << 20;    // room for a burst (the 1000x experiment)

struct Context {
    const Capture::Handler *fn;
    pcap_dumper_t *dumper;
    const struct bpf_program *filter;  // a file's, applied here
    uint64_t *frames, *filtered;
    int64_t *first_time_us;
};

void on_packet(u_char *user, const struct pcap_pkthdr *h, const u_char *bytes)
{
    auto *ctx = reinterpret_cast<Context *>(user);
    uint64_t number = ++*ctx->frames;
    int64_t t = static_cast<int64_t>(h->ts.tv_sec) * 1000000 + h->ts.tv_usec;
    if (number == 1)
        *ctx->first_time_us = t;
    if (ctx->filter && pcap_offline_filter(ctx->filter, h, bytes) == 0) {
        ++*ctx->filtered;
        return;
    }
    bool keep = (*ctx->fn)(number, t, std::span<const uint8_t>(bytes, h->caplen));
    if (keep && ctx->dumper)
        pcap_dump(reinterpret_cast<u_char *>(ctx->dumper), h, bytes);
}

void free_program(struct bpf_program *p)
{
    pcap_freecode(p);
    delete p;
}

}  // namespace

Capture::Capture(Capture &&o) noexcept
    : handle_(std::exchange(o.handle_, nullptr)), dumper_(std::exchange(o.dumper_, nullptr)),
      live_(o.live_), permission_denied_(o.permission_denied_), error_(std::move(o.error_)),
      file_filter_(std::move(o.file_filter_)), frames_(o.frames_), filtered_(o.filtered_)
{
}

Capture::~Capture()
{
    if (dumper_)
        pcap_dump_close(dumper_);
    if (handle_)
        pcap_close(handle_);
}

Capture Capture::live(const std::string &interface)
{
    Capture c;
    char errbuf[PCAP_ERRBUF_SIZE] = "";
    pcap_t *p = pcap_create(interface.c_str(), errbuf);
    if (!p) {
        c.error_ = errbuf;
        return c;
    }
    pcap_set_snaplen(p, snapshot_length);
    pcap_set_promisc(p, 0);
    pcap_set_timeout(p, timeout_ms);
    pcap_set_immediate_mode(p, 1);  // each packet as it comes, not when a buffer block fills
    pcap_set_buffer_size(p, buffer_bytes);
    int rc = pcap_activate(p);
    if (rc < 0) {
        c.permission_denied_ = rc == PCAP_ERROR_PERM_DENIED;
        c.error_ = rc == PCAP_ERROR ? pcap_geterr(p) : pcap_statustostr(rc);
        if (rc == PCAP_ERROR_NO_SUCH_DEVICE || rc == PCAP_ERROR_PERM_DENIED)
            c.error_ += std::string(" (") + pcap_geterr(p) + ")";
        pcap_close(p);
        return c;
    }
    if (pcap_setnonblock(p, 1, errbuf) != 0) {
        c.error_ = errbuf;
        pcap_close(p);
        return c;
    }
    c.handle_ = p;
    c.live_ = true;
    return c;
}

Capture Capture::file(const std::string &path)
{
    Capture c;
    char errbuf[PCAP_ERRBUF_SIZE] = "";
    c.handle_ = pcap_open_offline(path.c_str(), errbuf);
    if (!c.handle_)
        c.error_ = errbuf;
    return c;
}

bool Capture::set_filter(const std::string &expression)
{
    struct bpf_program prog {};
    if (pcap_compile(handle_, &prog, expression.c_str(), 1, PCAP_NETMASK_UNKNOWN) != 0) {
        error_ = std::string("bad filter \"") + expression + "\": " + pcap_geterr(handle_);
        return false;
    }
    if (!live_) {
        file_filter_ = {new struct bpf_program(prog), free_program};
        return true;
    }
    int rc = pcap_setfilter(handle_, &prog);
    pcap_freecode(&prog);
    if (rc != 0) {
        error_ = pcap_geterr(handle_);
        return false;
    }
    return true;
}

bool Capture::dump_to(const std::string &path)
{
    dumper_ = pcap_dump_open(handle_, path.c_str());
    if (!dumper_) {
        error_ = pcap_geterr(handle_);
        return false;
    }
    return true;
}

int Capture::link() const { return pcap_datalink(handle_); }

int Capture::selectable_fd() const { return live_ ? pcap_get_selectable_fd(handle_) : -1; }

int Capture::dispatch(const Handler &fn)
{
    Context ctx{&fn, dumper_, file_filter_.get(), &frames_, &filtered_, &first_time_us_};
    int n = pcap_dispatch(handle_, -1, on_packet, reinterpret_cast<u_char *>(&ctx));
    if (dumper_)
        pcap_dump_flush(dumper_);
    if (n == PCAP_ERROR) {
        error_ = pcap_geterr(handle_);
        return read_failed;
    }
    if (n < 0 || (!live_ && n == 0))
        return end_of_file;  // a file has no more; PCAP_ERROR_BREAK also ends
    return n;
}

unsigned Capture::dropped()
{
    struct pcap_stat st {};
    if (!live_ || pcap_stats(handle_, &st) != 0)
        return 0;
    return st.ps_drop;
}

Capture::Handler Feed::handler()
{
    return [this](uint64_t number, int64_t t, std::span<const uint8_t> frame) {
        if (done())
            return false;
        if (!started_) {
            viewer_.set_origin(capture_.first_time_us());
            started_ = true;
        }
        if (!viewer_.frame(capture_.link(), t, frame, number))
            return false;
        ++shown_;
        return true;
    };
}

std::string privilege_message(const std::string &interface, const std::string &program)
{
    return "tcpview: capturing on " + interface +
           " needs root or the capabilities CAP_NET_RAW and CAP_NET_ADMIN: run it with sudo, or "
           "grant them once with `sudo setcap cap_net_raw,cap_net_admin=eip " + program +
           "`; reading a saved capture (tcpview -r FILE) needs neither";
}

}  // namespace wire
