// SPDX-License-Identifier: MIT
// UDPFTServer - the course's UDP file transfer server, made correct: every
// block numbered and acknowledged, lost ones sent again, duplicates
// recognised, and never a byte from (or a file put) outside the served
// directory.  Protocol: PROTOCOL.md.
//
// usage: UDPFTServer [-d DIR] [port]     (DIR: default "."; port: default
//                                         9877, 0 lets the kernel pick)
//
// One process and one socket serve every client: each transfer is keyed
// by the client's address and the transfer id its request chose, and has
// its own window, round-trip estimate and timers.  A get sends the file
// (Sender); a put receives it (Receiver) into a temporary file beside the
// target, renamed only when the last block has arrived.  A client that
// vanishes is forgotten: a get after 8 unanswered retransmissions, a put
// after 10 s without a datagram (its temporary file removed).
// Each transfer, and each datagram ignored, is logged on stderr.
//
// Observe: `sudo tcpdump -i lo -n udp port P`: a request, then DATA and
// ACK alternating (stop-and-wait), or bursts of DATA (UDPFTClient -w 32);
// kill the client mid-transfer and watch the retransmissions back off
// (20 ms, 40 ms, ... 2 s) until the server gives up.
#include "unp.h"
#include "served_dir.hpp"
#include "store.hpp"
#include "udpft.hpp"
#include "window.hpp"

#include <cctype>
#include <map>
#include <optional>
#include <string>
#include <system_error>

namespace {

using udpft::Clock;

// One transfer in progress (or just finished, lingering for duplicates).
struct Transfer {
    std::string peer;          // "127.0.0.1:40000", for the log
    sockaddr_storage addr{};
    socklen_t addrlen = 0;
    std::uint32_t tid = 0;
    std::string path;
    bool put = false, force = false;
    std::size_t block = udpft::kBlock;      // bytes per block, as the request asked
    unp::Fd file;                           // get: the file sent
    std::optional<udpft::Sender> sender;    // get
    udpft::Upload upload;                   // put: the temporary file
    std::optional<udpft::Receiver> receiver;  // put
    Clock::time_point heard;                // last datagram from the client
    bool finished = false;                  // put: renamed; re-ACKs duplicates until linger ends
};

// A put's client silent this long is gone: longer than the silence of a
// client still within its retry budget (8 tries, RTO doubling to 2 s).
constexpr auto kPutIdle = std::chrono::seconds(10);
constexpr auto kLinger = std::chrono::seconds(2);      // a finished put answers duplicates this long
constexpr std::size_t kMaxTransfers = 64;

int sockfd;
std::map<std::string, Transfer> transfers;  // key: peer address and tid
const ft::ServedDir *served;                // where gets read from
const udpft::Store *stored;                 // where puts are written

void handle(const unsigned char *buf, std::size_t n, const sockaddr_storage &from, socklen_t fromlen);
int ms_to_next_timer();
void run_timers();

}  // namespace

int main(int argc, char **argv)
{
    int c;
    ssize_t n;
    struct sockaddr_in servaddr;
    struct sockaddr_storage cliaddr;
    socklen_t len;
    static unsigned char buf[65536];
    const char *dirname = ".";
    const char *usage = "usage: UDPFTServer [-d DIR] [port]";

    check_usage(argc, argv, true, usage);  // -h/--help before getopt sees them
    while ((c = getopt(argc, argv, "d:")) != -1) {
        if (c != 'd')
            err_quit("%s", usage);
        dirname = optarg;
    }
    if (argc - optind > 1)
        err_quit("%s", usage);
    int port = optind < argc ? Parse_port(argv[optind]) : SERV_PORT;

    std::optional<ft::ServedDir> dir;
    std::optional<udpft::Store> store;
    try {
        dir.emplace(dirname);
        store.emplace(dirname);
    } catch (const std::system_error &e) {
        std::string call = e.what();  // "open: No such file or directory"
        err_quit("UDPFTServer: %s: %s error: %s", dirname, call.substr(0, call.find(':')).c_str(),
                 e.code().message().c_str());
    }

    sockfd = Socket(AF_INET, SOCK_DGRAM, 0);                        //@blank (a) socket(): an IPv4 UDP socket
    bzero(&servaddr, sizeof servaddr);
    servaddr.sin_family = AF_INET;
    servaddr.sin_addr.s_addr = htonl(INADDR_ANY);                   //@blank (b) sin_addr: any interface
    servaddr.sin_port = htons(static_cast<uint16_t>(port));         //@blank (c) sin_port: the port
    Bind(sockfd, (SA *) &servaddr, sizeof servaddr);  //@blank (d) bind()
    int rcvbuf = 4 << 20;  // room for many clients' windows at once
    setsockopt(sockfd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);
    print_listening(sockfd);
    fprintf(stderr, "UDPFTServer: serving %s\n", dir->path().c_str());
    served = &*dir;
    stored = &*store;

    for (;;) {
        // Wait for a datagram, or until the next transfer's timer is due.
        struct pollfd pfd = {sockfd, POLLIN, 0};
        if (poll(&pfd, 1, ms_to_next_timer()) < 0 && errno != EINTR)
            err_sys("poll error");
        // Every datagram waiting, not one per poll(): fewer system calls
        // under load (at most 64, so the timers still run).
        for (int i = 0; i < 64 && (pfd.revents & POLLIN); i++) {
            //@blank-begin (e) recvfrom(): a datagram waiting (without blocking), and who sent it
            len = sizeof cliaddr;
            n = recvfrom(sockfd, buf, sizeof buf, MSG_DONTWAIT, (SA *) &cliaddr, &len);
            //@blank-end
            if (n < 0)
                break;  // EAGAIN: none left
            handle(buf, static_cast<std::size_t>(n), cliaddr, len);
        }
        run_timers();
    }
}

namespace {

// One log line: who, what, how it went (paths escaped, long ones cut).
void log_line(const std::string &peer, std::string_view what, std::string_view path, const std::string &result)
{
    std::string line = "UDPFTServer: " + peer + " " + std::string(what) + " \"";
    for (std::size_t i = 0; i < path.size() && i < 100; i++) {
        unsigned char ch = static_cast<unsigned char>(path[i]);
        if (isprint(ch) && ch != '"' && ch != '\\') {
            line += static_cast<char>(ch);
        } else {
            char esc[8];
            snprintf(esc, sizeof esc, "\\x%02x", ch);
            line += esc;
        }
    }
    if (path.size() > 100)
        line += "...(" + std::to_string(path.size()) + " bytes)";
    line += "\" " + result + "\n";
    ssize_t ignored = write(STDERR_FILENO, line.data(), line.size());
    (void)ignored;
}

void send_to(const sockaddr_storage &to, socklen_t tolen, const std::string &dgram)
{
    // Nothing to do about a failure: the client's timer resends.
    sendto(sockfd, dgram.data(), dgram.size(), 0, (const SA *) &to, tolen);  //@blank (f) sendto(): dgram to the client at to
}

std::string stats_text(const udpft::Stats &s)
{
    return std::to_string(s.bytes) + " bytes, " + std::to_string(s.retransmissions) + " retransmissions, " +
           std::to_string(s.duplicates) + " duplicates";
}

}  // namespace

namespace {

void refuse(const sockaddr_storage &to, socklen_t tolen, std::uint32_t tid, int code, const std::string &why)
{
    send_to(to, tolen, udpft::encode_error(tid, static_cast<udpft::Code>(code), why));
}

// A get: open the file (as ftserv02 does) and send the first window.
void start_get(Transfer &t, std::uint16_t window)
{
    ft::Opened f = served->open(t.path);
    if (f.status != ft::kOk) {
        refuse(t.addr, t.addrlen, t.tid, f.status, f.reason);
        log_line(t.peer, "get", t.path, "refused: " + f.reason);
        return;
    }
    Transfer &kept = transfers[t.peer + "/" + std::to_string(t.tid)] = std::move(t);
    kept.file = std::move(f.fd);
    kept.sender.emplace(f.size, kept.block, window, [&kept, size = f.size](std::uint32_t seq, bool again) {
        return udpft::send_file_block(sockfd, (const SA *) &kept.addr, kept.addrlen,
                                      kept.file.get(), size, kept.block, kept.tid, seq, again);
    });
    kept.sender->start(Clock::now());
}

// A put: a temporary file beside the target, then ACK 0: "send block 1".
void start_put(Transfer &t, std::uint16_t window)
{
    std::string why;
    int code = stored->begin(t.path, t.force, &t.upload, &why);
    if (code != 0) {
        refuse(t.addr, t.addrlen, t.tid, code, why);
        log_line(t.peer, "put", t.path, "refused: " + why);
        return;
    }
    Transfer &kept = transfers[t.peer + "/" + std::to_string(t.tid)] = std::move(t);
    kept.receiver.emplace(kept.block, window, [&kept](std::string_view bytes) {
        return writen(kept.upload.fd(), bytes.data(), bytes.size()) == static_cast<ssize_t>(bytes.size());
    });
    send_to(kept.addr, kept.addrlen, udpft::encode_ack(kept.tid, 0));
}

// A DATA block of a put.
void on_data(Transfer &t, const udpft::Packet &p, const std::string &key)
{
    std::uint32_t ack = t.receiver->on_data(p.seq, p.flags, p.body);
    if (t.receiver->failed()) {
        std::string why = std::string("server error: write: ") + strerror(errno);
        refuse(t.addr, t.addrlen, t.tid, udpft::kServerError, why);
        log_line(t.peer, "put", t.path, why);
        transfers.erase(key);  // the Upload removes its temporary file
        return;
    }
    if (t.receiver->complete() && !t.finished) {
        std::string why;
        if (int code = t.upload.commit(t.force, &why); code != 0) {
            refuse(t.addr, t.addrlen, t.tid, code, why);
            log_line(t.peer, "put", t.path, "refused: " + why);
            transfers.erase(key);
            return;
        }
        t.finished = true;  // the final ACK goes only after the rename
        log_line(t.peer, "put", t.path, "ok " + stats_text(t.receiver->stats()));
    }
    send_to(t.addr, t.addrlen, udpft::encode_ack(t.tid, ack, t.receiver->sack()));
}

// An ACK of a get.
void on_ack(Transfer &t, const udpft::Packet &p, const std::string &key)
{
    t.sender->on_ack(p.seq, p.sack, Clock::now());
    if (t.sender->failed()) {
        std::string why = std::string("server error: read: ") + strerror(errno);
        refuse(t.addr, t.addrlen, t.tid, udpft::kServerError, why);
        log_line(t.peer, "get", t.path, why);
        transfers.erase(key);
    } else if (t.sender->done()) {
        log_line(t.peer, "get", t.path, "ok " + stats_text(t.sender->stats()));
        transfers.erase(key);
    }
}

// A new request: checked, then started (or refused).
void on_request(const udpft::Packet &p, const sockaddr_storage &from, socklen_t fromlen, const std::string &peer)
{
    const char *what = p.type == udpft::kRrq ? "get" : "put";
    if (transfers.size() >= kMaxTransfers) {
        refuse(from, fromlen, p.tid, udpft::kServerError, "server busy: try again later");
        log_line(peer, what, p.body, "refused: busy");
        return;
    }
    if (p.window == 0 || p.window > udpft::kMaxWindow || p.block == 0 || p.block > udpft::kMaxBlock) {
        std::string why = "bad request: window " + std::to_string(p.window) + " (1.." +
                          std::to_string(udpft::kMaxWindow) + "), block " + std::to_string(p.block) + " (1.." +
                          std::to_string(udpft::kMaxBlock) + ")";
        refuse(from, fromlen, p.tid, udpft::kBadRequest, why);
        log_line(peer, what, p.body, "refused: " + why);
        return;
    }
    Transfer t;
    t.peer = peer;
    t.addr = from;
    t.addrlen = fromlen;
    t.tid = p.tid;
    t.path = std::string(p.body);
    t.put = p.type == udpft::kWrq;
    t.force = (p.flags & udpft::kForce) != 0;
    t.block = p.block;
    t.heard = Clock::now();
    if (t.put)
        start_put(t, p.window);
    else
        start_get(t, p.window);
}

void handle(const unsigned char *buf, std::size_t n, const sockaddr_storage &from, socklen_t fromlen)
{
    std::string peer = Sock_ntop((const SA *) &from, fromlen);
    udpft::Malformed bad;
    auto p = udpft::decode({buf, n}, &bad);
    if (!p) {
        log_line(peer, "datagram", "", "ignored: " + bad.reason);
        return;
    }
    std::string key = peer + "/" + std::to_string(p->tid);
    auto it = transfers.find(key);
    if (p->type == udpft::kRrq || p->type == udpft::kWrq) {
        if (it == transfers.end())
            on_request(*p, from, fromlen, peer);
        else if (it->second.receiver && it->second.receiver->acked() == 0)
            send_to(from, fromlen, udpft::encode_ack(p->tid, 0));  // a repeated put: ACK 0 was lost
        return;  // a repeated get: its DATA is on the way
    }
    if (it == transfers.end()) {
        if (p->type != udpft::kError)  // never answer an error with an error
            refuse(from, fromlen, p->tid, udpft::kUnknownTransfer, "unknown transfer");
        return;
    }
    Transfer &t = it->second;
    t.heard = Clock::now();
    if (p->type == udpft::kError) {
        log_line(peer, t.put ? "put" : "get", t.path, "cancelled by the client: " + std::string(p->body));
        transfers.erase(it);
    } else if (p->type == udpft::kData && t.receiver) {
        on_data(t, *p, key);
    } else if (p->type == udpft::kAck && t.sender) {
        on_ack(t, *p, key);
    }
}

// When the transfer's next timer fires.
Clock::time_point due(const Transfer &t)
{
    if (t.sender)
        return t.sender->deadline();
    return t.heard + (t.finished ? kLinger : kPutIdle);
}

int ms_to_next_timer()
{
    if (transfers.empty())
        return -1;
    auto next = Clock::time_point::max();
    for (const auto &[key, t] : transfers)
        next = std::min(next, due(t));
    auto left = std::chrono::duration_cast<std::chrono::microseconds>(next - Clock::now()).count();
    return left <= 0 ? 0 : static_cast<int>((left + 999) / 1000);
}

void run_timers()
{
    auto now = Clock::now();
    for (auto it = transfers.begin(); it != transfers.end();) {
        Transfer &t = it->second;
        bool drop = false;
        if (due(t) > now) {
            ++it;
            continue;
        }
        if (t.sender) {
            t.sender->on_timeout(now);
            if (t.sender->failed()) {
                log_line(t.peer, "get", t.path,
                         t.sender->gave_up() ? "gave up: no ACK after " + std::to_string(udpft::kMaxTries) +
                                                   " retransmissions (the client is gone)"
                                             : std::string("server error: read: ") + strerror(errno));
                refuse(t.addr, t.addrlen, t.tid, udpft::kTimedOut, "timed out");
                drop = true;
            }
        } else if (!t.finished) {
            log_line(t.peer, "put", t.path, "gave up: the client sent nothing for 10 s (partial file removed)");
            refuse(t.addr, t.addrlen, t.tid, udpft::kTimedOut, "timed out");
            drop = true;
        } else {
            drop = true;  // a finished put's linger is over
        }
        it = drop ? transfers.erase(it) : std::next(it);
    }
}

}  // namespace
