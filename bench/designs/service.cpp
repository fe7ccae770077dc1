// SPDX-License-Identifier: MIT
// The service's wire format and its blocking server side.
#include "service.h"

#include "unp.h"

#include <algorithm>
#include <array>
#include <cerrno>
#include <ctime>

namespace {

void put_u32(unsigned char *p, std::uint32_t host_value)
{
    std::uint32_t net = htonl(host_value);
    memcpy(p, &net, sizeof net);
}

std::uint32_t get_u32(const unsigned char *p)
{
    std::uint32_t net;
    memcpy(&net, p, sizeof net);
    return ntohl(net);
}

// byte k of the table is k mod 256, so any run of the pattern starting at
// (tag + offset) mod 256 is a plain slice of it.
struct PatternTable {
    std::array<unsigned char, kChunk + 256> bytes{};
    PatternTable()
    {
        for (std::size_t k = 0; k < bytes.size(); k++)
            bytes[k] = static_cast<unsigned char>(k);
    }
};
const PatternTable table;

}  // namespace

void encode_header(const Request &req, unsigned char out[kHeaderSize])
{
    put_u32(out, req.length);
    put_u32(out + 4, req.reply);
    put_u32(out + 8, req.work_usec);
    put_u32(out + 12, req.tag);
}

bool decode_header(const unsigned char in[kHeaderSize], Request &req)
{
    req.length = get_u32(in);
    req.reply = get_u32(in + 4);
    req.work_usec = get_u32(in + 8);
    req.tag = get_u32(in + 12);
    return req.length >= kHeaderSize && req.length <= kMaxLength && req.reply <= kMaxLength &&
           req.work_usec <= kMaxWorkUsec;
}

const unsigned char *pattern_at(std::uint32_t tag, std::uint64_t offset)
{
    return table.bytes.data() + ((tag + offset) & 0xff);
}

void simulate_work(std::uint32_t usec)
{
    if (usec == 0)
        return;  // even nanosleep(0) sleeps: the timer slack, some 50 us
    struct timespec left {
        static_cast<time_t>(usec / 1'000'000), static_cast<long>(usec % 1'000'000) * 1000
    };
    while (nanosleep(&left, &left) == -1 && errno == EINTR)
        ;  // a signal (SIGCHLD in the fork server) cut the sleep short
}

bool serve_request(int connfd)
{
    unsigned char header[kHeaderSize];
    ssize_t n = readn(connfd, header, sizeof header);
    if (n != static_cast<ssize_t>(sizeof header))
        return false;  // 0: the client closed; short or -1: it went away mid-header
    Request req;
    if (!decode_header(header, req)) {
        err_msg("bad request header (length %u, reply %u, work %u): closing the connection",
                req.length, req.reply, req.work_usec);
        return false;
    }

    // The rest of the request: read and dropped.
    unsigned char discard[BUFFSIZE];
    for (std::size_t left = req.length - kHeaderSize; left > 0;) {
        std::size_t want = std::min(left, sizeof discard);
        if (readn(connfd, discard, want) != static_cast<ssize_t>(want))
            return false;
        left -= want;
    }

    simulate_work(req.work_usec);

    for (std::uint64_t sent = 0; sent < req.reply;) {
        std::size_t piece = static_cast<std::size_t>(std::min<std::uint64_t>(req.reply - sent, kChunk));
        if (writen(connfd, pattern_at(req.tag, sent), piece) < 0)
            return false;  // EPIPE or ECONNRESET: the client is gone
        sent += piece;
    }
    return true;
}

long serve_client(int connfd)
{
    long served = 0;
    while (serve_request(connfd))
        served++;
    return served;
}
