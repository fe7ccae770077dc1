// SPDX-License-Identifier: MIT
// UDPFTClient - the course's UDP file transfer client, made correct: the
// file arrives byte-exact through loss, duplication and reordering, or the
// client says why not and exits 1.  Protocol: PROTOCOL.md.
//
// usage: UDPFTClient [-v] [-f] [-w N] <IPaddress> <port> <remote-path> <local-path>
//        UDPFTClient -p [-v] [-f] [-w N] <IPaddress> <port> <local-path> <remote-name>
//        UDPFTClient [-v] [-f] [-w N] <IPaddress> <port>        (interactive)
//
// Get (the default) fetches remote-path into local-path; put (-p) sends
// local-path to be stored on the server as remote-name.  Interactive mode
// reads lines "get REMOTE [LOCAL]", "put LOCAL [REMOTE]" (or just "REMOTE
// [LOCAL]" for a get) until an empty line or end of input.
//   -w N  N blocks in flight (1..256); 1, stop-and-wait, is the default
//   -b BYTES  bytes per block (1..32768; default 1024, which fits any
//         link's MTU; larger blocks are IP-fragmented off loopback)
//   -f    replace an existing file (local for get, remote for put)
//   -v    one line per transfer: bytes, time, retransmissions, RTT, RTO
//
// Nothing half-written: a get writes a temporary file beside local-path
// (".NAME.part-XXXXXX") and renames it once the last block is in; a put
// is renamed by the server only when complete.  A server that stops
// answering is given up on after 8 timeouts in a row (RTO doubling each
// time, at most 2 s): "no answer from the server after 8 tries".
//
// Observe: -v through a lossy link (labnet, or the tests' relay): the
// retransmissions; -w 1 against -w 32 on a large file: the speed.
#include "unp.h"
#include "unp.hpp"
#include "udpft.hpp"
#include "window.hpp"

#include <climits>
#include <iostream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

namespace {

using udpft::Clock;

struct Options {
    bool put = false, force = false, verbose = false;
    std::uint16_t window = 1;
    std::uint16_t block = udpft::kBlock;
};

// The temporary file being written, so a signal handler can remove it.
char tmp_path[PATH_MAX + 32];
volatile sig_atomic_t have_tmp = 0;

extern "C" void remove_tmp_and_die(int signo)
{
    if (have_tmp)
        unlink(tmp_path);  // async-signal-safe
    signal(signo, SIG_DFL);
    raise(signo);
}

// One transfer over the connected socket (below main); true if it worked.
bool get_file(int sockfd, const std::string &remote, std::string local, const Options &opt);
bool put_file(int sockfd, const std::string &local, std::string remote, const Options &opt);
// The interactive session (below main); the number of failed transfers.
int session(int sockfd, const Options &opt);

}  // namespace

int main(int argc, char **argv)
{
    int sockfd = -1, c, e;
    Options opt;
    struct addrinfo hints, *res;
    const char *usage = "usage: UDPFTClient [-p] [-v] [-f] [-w N] [-b BYTES] <IPaddress> <port> [<source> <destination>]";

    check_usage(argc, argv, true, usage);  // -h/--help before getopt sees them
    while ((c = getopt(argc, argv, "pvfw:b:")) != -1) {
        switch (c) {
        case 'p': opt.put = true; break;
        case 'v': opt.verbose = true; break;
        case 'f': opt.force = true; break;
        case 'w': {
            char *end = nullptr;
            long w = strtol(optarg, &end, 10);
            if (*end != '\0' || w < 1 || w > udpft::kMaxWindow)
                err_usage("UDPFTClient: -w %s: a window is 1 to %d blocks", optarg, udpft::kMaxWindow);
            opt.window = static_cast<std::uint16_t>(w);
            break;
        }
        case 'b': {
            char *end = nullptr;
            long b = strtol(optarg, &end, 10);
            if (*end != '\0' || b < 1 || b > static_cast<long>(udpft::kMaxBlock))
                err_usage("UDPFTClient: -b %s: a block is 1 to %zu bytes", optarg, udpft::kMaxBlock);
            opt.block = static_cast<std::uint16_t>(b);
            break;
        }
        default: err_quit("%s", usage);
        }
    }
    int nargs = argc - optind;
    if (nargs != 2 && nargs != 4)
        err_quit("%s", usage);
    const char *host = argv[optind], *port = argv[optind + 1];
    Parse_server_port(port);

    bzero(&hints, sizeof hints);
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_DGRAM;
    if ((e = getaddrinfo(host, port, &hints, &res)) != 0)
        err_quit("UDPFTClient: %s: %s", host, gai_strerror(e));
    sockfd = Socket(res->ai_family, res->ai_socktype, res->ai_protocol);
    // Connected UDP: only the server's datagrams reach us, and "nothing
    // listens on that port" comes back as ECONNREFUSED instead of silence.
    Connect(sockfd, res->ai_addr, res->ai_addrlen);
    freeaddrinfo(res);
    int rcvbuf = 1 << 20;  // room for a large window's worth of blocks
    setsockopt(sockfd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);

    for (int signo : {SIGINT, SIGTERM, SIGHUP})
        Signal(signo, remove_tmp_and_die);  // Ctrl-C leaves no temporary file

    if (nargs == 2)
        exit(session(sockfd, opt) == 0 ? 0 : 1);
    bool ok = opt.put ? put_file(sockfd, argv[optind + 2], argv[optind + 3], opt)
                      : get_file(sockfd, argv[optind + 2], argv[optind + 3], opt);
    Close(sockfd);
    exit(ok ? 0 : 1);
}

namespace {

enum class Event { kPacket, kTimeout, kFailed };

std::uint32_t new_tid()
{
    static std::mt19937 rng(std::random_device{}());
    return static_cast<std::uint32_t>(rng());
}

void send_dgram(int sockfd, const std::string &d)
{
    // A failure here is a loss like any other: the timer resends.  An
    // ECONNREFUSED is reported by the next recv().
    ssize_t ignored = send(sockfd, d.data(), d.size(), 0);
    (void)ignored;
}

// Waits until deadline for a datagram of transfer tid: kPacket with p (its
// views into buf), kTimeout, or kFailed with the reason in why.  Datagrams
// of another transfer (late ones of an earlier file) are skipped.
Event wait_packet(int sockfd, std::uint32_t tid, Clock::time_point deadline, std::string &buf, udpft::Packet &p,
                  std::string &why)
{
    for (;;) {
        auto left = std::chrono::duration_cast<std::chrono::microseconds>(deadline - Clock::now()).count();
        if (left <= 0)
            return Event::kTimeout;
        // Take a datagram already waiting without a poll() first: one
        // system call per block instead of two, under load.
        ssize_t n = recv(sockfd, buf.data(), buf.size(), MSG_DONTWAIT);
        if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
            struct pollfd pfd = {sockfd, POLLIN, 0};
            if (poll(&pfd, 1, static_cast<int>((left + 999) / 1000)) == 0)
                return Event::kTimeout;
            continue;
        }
        if (n < 0) {
            why = errno == ECONNREFUSED ? "no server on that port (Connection refused)"
                                        : std::string("recv error: ") + strerror(errno);
            return Event::kFailed;
        }
        auto got = udpft::decode({reinterpret_cast<const unsigned char *>(buf.data()), static_cast<std::size_t>(n)});
        if (got && got->tid == tid) {
            p = *got;
            return Event::kPacket;
        }
    }
}

std::string error_text(const udpft::Packet &p)
{
    return p.body.empty() ? "error " + std::to_string(p.code) : std::string(p.body);
}

std::string gave_up_text()
{
    return "no answer from the server after " + std::to_string(udpft::kMaxTries) + " tries (is it still running?)";
}

// Sends the request until the server answers it (a DATA, an ACK or an
// ERROR of this transfer) or the retry budget is spent.  The round trip
// of an answer to the first copy is the first RTT measurement.
Event ask(int sockfd, std::uint32_t tid, const std::string &req, udpft::Rtt &rtt, std::string &buf,
          udpft::Packet &p, std::string &why, std::uint64_t &resent)
{
    for (int tries = 0;; tries++) {
        auto sent = Clock::now();
        send_dgram(sockfd, req);
        Event ev = wait_packet(sockfd, tid, sent + rtt.rto(), buf, p, why);
        if (ev == Event::kFailed)
            return ev;
        if (ev == Event::kPacket) {
            if (tries == 0)
                rtt.measured(std::chrono::duration_cast<udpft::Micros>(Clock::now() - sent));
            return ev;
        }
        if (tries == udpft::kMaxTries) {
            why = gave_up_text();
            return Event::kFailed;
        }
        rtt.timed_out();
        resent++;
    }
}

std::string base_name(std::string path)
{
    while (path.size() > 1 && path.back() == '/')
        path.pop_back();
    std::size_t slash = path.rfind('/');
    return slash == std::string::npos ? path : path.substr(slash + 1);
}

std::string dir_name(const std::string &path)
{
    std::size_t slash = path.rfind('/');
    return slash == std::string::npos ? "." : slash == 0 ? "/" : path.substr(0, slash);
}

void report(const char *what, const std::string &name, const udpft::Stats &s, std::uint64_t retrans,
            const udpft::Rtt &rtt, Clock::time_point start, std::uint16_t window)
{
    double secs = std::chrono::duration<double>(Clock::now() - start).count();
    printf("UDPFTClient: %s %s: %llu bytes in %.3f s (%.1f MiB/s), window %u, %llu retransmissions, "
           "%llu duplicates, rtt %.3f ms, rto %.0f ms\n",
           what, name.c_str(), static_cast<unsigned long long>(s.bytes), secs,
           secs > 0 ? static_cast<double>(s.bytes) / secs / (1 << 20) : 0.0, window,
           static_cast<unsigned long long>(retrans), static_cast<unsigned long long>(s.duplicates),
           static_cast<double>(rtt.srtt().count()) / 1000, static_cast<double>(rtt.rto().count()) / 1000);
    fflush(stdout);
}

}  // namespace

namespace {

// After the last block: the final ACK may be lost, and the server would
// then send the last block again.  Answer any repeat until the server has
// been quiet for two RTOs (at most 1 s in all).
void linger(int sockfd, std::uint32_t tid, udpft::Receiver &rx, const udpft::Rtt &rtt, std::string &buf)
{
    auto end = Clock::now() + std::chrono::seconds(1);
    udpft::Packet p;
    std::string why;
    for (;;) {
        auto quiet = Clock::now() + 2 * rtt.rto();
        if (wait_packet(sockfd, tid, std::min(quiet, end), buf, p, why) != Event::kPacket)
            return;
        if (p.type == udpft::kData)
            send_dgram(sockfd, udpft::encode_ack(tid, rx.on_data(p.seq, p.flags, p.body)));
    }
}

// Receives remote into tmpfd: true once every block is written.
bool receive(int sockfd, int tmpfd, const std::string &remote, const Options &opt)
{
    std::uint32_t tid = new_tid();
    std::string buf(65536, '\0'), why;
    udpft::Packet p;
    udpft::Rtt rtt;
    std::uint64_t resent = 0;
    auto start = Clock::now();
    // Blocks are written 1 MiB at a time, not 1 KiB: far fewer write()s.
    std::string pending;
    auto flush = [&] {
        bool ok = writen(tmpfd, pending.data(), pending.size()) == static_cast<ssize_t>(pending.size());
        pending.clear();
        return ok;
    };
    udpft::Receiver rx(opt.block, opt.window, [&](std::string_view bytes) {
        pending += bytes;
        return pending.size() < (1u << 20) || flush();
    });

    Event ev = ask(sockfd, tid, udpft::encode_request(udpft::kRrq, tid, opt.window, opt.block, 0, remote), rtt, buf, p, why, resent);
    for (int tries = 0; ev != Event::kFailed;) {
        if (ev == Event::kTimeout) {  // nothing for a while: say again where we are
            if (++tries > udpft::kMaxTries) {
                why = gave_up_text();
                break;
            }
            rtt.timed_out();
            resent++;
            send_dgram(sockfd, udpft::encode_ack(tid, rx.acked(), rx.sack()));
        } else if (p.type == udpft::kError) {
            why = error_text(p);
            break;
        } else if (p.type == udpft::kData) {
            tries = 0;
            rtt.progressed();
            std::uint32_t ack = rx.on_data(p.seq, p.flags, p.body);
            if (rx.failed() || (rx.complete() && !flush())) {
                why = std::string("write error: ") + strerror(errno);
                send_dgram(sockfd, udpft::encode_error(tid, udpft::kServerError, "client cancelled: " + why));
                break;
            }
            send_dgram(sockfd, udpft::encode_ack(tid, ack, rx.sack()));
            if (rx.complete()) {
                linger(sockfd, tid, rx, rtt, buf);
                if (opt.verbose)
                    report("get", remote, rx.stats(), rx.stats().again_seen + resent, rtt, start, opt.window);
                return true;
            }
        }
        ev = wait_packet(sockfd, tid, Clock::now() + 2 * rtt.rto(), buf, p, why);
    }
    err_msg("UDPFTClient: %s: %s", remote.c_str(), why.c_str());
    return false;
}

// Gives the complete temporary file its final name.
bool commit(int tmpfd, const std::string &local, bool force)
{
    mode_t mask = umask(0);
    umask(mask);
    if (fchmod(tmpfd, 0666 & ~mask) < 0 || close(tmpfd) < 0) {
        err_ret("UDPFTClient: %s", tmp_path);
        return false;
    }
    int r = force ? rename(tmp_path, local.c_str())
                  : renameat2(AT_FDCWD, tmp_path, AT_FDCWD, local.c_str(), RENAME_NOREPLACE);
    if (r < 0 && !force && errno == EINVAL) {  // a file system without RENAME_NOREPLACE
        r = link(tmp_path, local.c_str());
        if (r == 0)
            unlink(tmp_path);
    }
    if (r < 0) {
        if (errno == EEXIST)
            err_msg("UDPFTClient: %s: file exists (use -f to overwrite)", local.c_str());
        else
            err_ret("UDPFTClient: %s", local.c_str());
        return false;
    }
    return true;
}

bool get_file(int sockfd, const std::string &remote, std::string local, const Options &opt)
{
    struct stat st;
    if (local.empty() || local.back() == '/' || (stat(local.c_str(), &st) == 0 && S_ISDIR(st.st_mode))) {
        std::string base = base_name(remote);
        if (base.empty() || base == "." || base == ".." || base == "/") {
            err_msg("UDPFTClient: %s: name a local file for it", remote.c_str());
            return false;
        }
        local = local.empty() ? base : local + (local.back() == '/' ? "" : "/") + base;
    }
    if (!opt.force && access(local.c_str(), F_OK) == 0) {
        err_msg("UDPFTClient: %s: file exists (use -f to overwrite)", local.c_str());
        return false;
    }
    std::string tmpl = dir_name(local) + "/." + base_name(local) + ".part-XXXXXX";
    if (tmpl.size() >= sizeof tmp_path) {
        err_msg("UDPFTClient: %s: local name too long", local.c_str());
        return false;
    }
    memcpy(tmp_path, tmpl.c_str(), tmpl.size() + 1);
    int tmpfd = mkstemp(tmp_path);
    if (tmpfd < 0) {
        err_ret("UDPFTClient: %s: cannot create a temporary file beside it", local.c_str());
        return false;
    }
    have_tmp = 1;
    bool ok = receive(sockfd, tmpfd, remote, opt) && commit(tmpfd, local, opt.force);
    if (!ok) {
        close(tmpfd);  // EBADF if commit closed it: harmless
        unlink(tmp_path);
    }
    have_tmp = 0;
    return ok;
}

// Sends local (open on fd, size bytes) as remote: true once the server
// has acknowledged the last block, which it does only after the rename.
bool send_file(int sockfd, int fd, std::uint64_t size, const std::string &remote, const Options &opt)
{
    std::uint32_t tid = new_tid();
    std::string buf(65536, '\0'), why;
    udpft::Packet p;
    udpft::Rtt rtt;
    std::uint64_t resent = 0;
    auto start = Clock::now();
    std::string req = udpft::encode_request(udpft::kWrq, tid, opt.window, opt.block,
                                            opt.force ? udpft::kForce : 0, remote);
    Event ev = ask(sockfd, tid, req, rtt, buf, p, why, resent);
    if (ev == Event::kPacket && p.type == udpft::kError)
        why = error_text(p);
    if (ev != Event::kPacket || p.type != udpft::kAck) {
        err_msg("UDPFTClient: %s: %s", remote.c_str(), why.c_str());
        return false;
    }
    udpft::Sender tx(size, opt.block, opt.window, [sockfd, fd, size, tid, &opt](std::uint32_t seq, bool again) {
        return udpft::send_file_block(sockfd, nullptr, 0, fd, size, opt.block, tid, seq, again);
    });
    tx.rtt() = rtt;
    tx.start(Clock::now());
    while (!tx.done() && !tx.failed()) {
        ev = wait_packet(sockfd, tid, tx.deadline(), buf, p, why);
        if (ev == Event::kFailed)
            break;
        if (ev == Event::kTimeout)
            tx.on_timeout(Clock::now());
        else if (p.type == udpft::kError)
            break;
        else if (p.type == udpft::kAck)
            tx.on_ack(p.seq, p.sack, Clock::now());
    }
    if (tx.done()) {
        if (opt.verbose)
            report("put", remote, tx.stats(), tx.stats().retransmissions + resent, tx.rtt(), start, opt.window);
        return true;
    }
    if (ev == Event::kPacket && p.type == udpft::kError)
        why = error_text(p);
    else if (tx.gave_up())
        why = gave_up_text();
    else if (ev != Event::kFailed)
        why = std::string("read error: ") + strerror(errno);
    err_msg("UDPFTClient: %s: %s", remote.c_str(), why.c_str());
    return false;
}

bool put_file(int sockfd, const std::string &local, std::string remote, const Options &opt)
{
    if (remote.empty())
        remote = base_name(local);
    unp::Fd fd(open(local.c_str(), O_RDONLY | O_CLOEXEC));
    struct stat st;
    if (!fd || fstat(fd.get(), &st) < 0) {
        err_ret("UDPFTClient: %s", local.c_str());
        return false;
    }
    if (!S_ISREG(st.st_mode)) {
        err_msg("UDPFTClient: %s: not a regular file", local.c_str());
        return false;
    }
    return send_file(sockfd, fd.get(), static_cast<std::uint64_t>(st.st_size), remote, opt);
}

int session(int sockfd, const Options &opt)
{
    int failures = 0;
    bool prompt = isatty(STDIN_FILENO);
    if (prompt)
        printf("Type \"get REMOTE [LOCAL]\" or \"put LOCAL [REMOTE]\"; an empty line or Ctrl-D ends.\n");
    std::string line;
    for (;;) {
        if (prompt) {
            printf("udpft> ");
            fflush(stdout);
        }
        if (!std::getline(std::cin, line))
            break;
        std::istringstream in(line);
        std::vector<std::string> words;
        for (std::string w; in >> w;)
            words.push_back(w);
        if (words.empty())
            break;
        bool put = words[0] == "put";
        if (put || words[0] == "get")
            words.erase(words.begin());
        if (words.empty() || words.size() > 2) {
            err_msg("UDPFTClient: expected \"get REMOTE [LOCAL]\" or \"put LOCAL [REMOTE]\": %s", line.c_str());
            failures++;
            continue;
        }
        std::string second = words.size() > 1 ? words[1] : "";
        bool ok = put ? put_file(sockfd, words[0], second, opt) : get_file(sockfd, words[0], second, opt);
        failures += ok ? 0 : 1;
    }
    return failures;
}

}  // namespace
