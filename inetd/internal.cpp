// SPDX-License-Identifier: MIT
// The built-in services.  Writes use send(..., MSG_NOSIGNAL): a client
// that has gone must never raise SIGPIPE in tinyinetd itself.
#include "internal.h"

#include <array>

namespace {

// A line of the daytime service: "Tue Dec  1 19:27:38 2026\r\n".
size_t daytime_line(char *buf, size_t size)
{
    time_t ticks = time(nullptr);
    struct tm now;
    localtime_r(&ticks, &now);
    return strftime(buf, size, "%a %b %e %H:%M:%S %Y\r\n", &now);
}

// RFC 868: seconds since 1900-01-01 00:00 UTC, 32 bits, network order.
uint32_t time_since_1900()
{
    constexpr uint32_t kFrom1900To1970 = 2208988800U;
    return htonl(static_cast<uint32_t>(time(nullptr)) + kFrom1900To1970);
}

// RFC 864: line `first` of the pattern: 72 of the 95 printable characters,
// starting one further along than the line before, then CR LF.
void chargen_line(unsigned first, char line[74])
{
    for (unsigned i = 0; i < 72; i++)
        line[i] = static_cast<char>(' ' + (first + i) % 95);
    line[72] = '\r';
    line[73] = '\n';
}

void echo_stream(int fd)
{
    char buf[BUFFSIZE];
    ssize_t n;
    while ((n = read(fd, buf, sizeof buf)) > 0)
        if (send(fd, buf, n, MSG_NOSIGNAL) < 0)
            return;
}

void discard_stream(int fd)
{
    char buf[BUFFSIZE];
    while (read(fd, buf, sizeof buf) > 0) {
    }
}

void chargen_stream(int fd)
{
    char line[74];
    for (unsigned first = 0;; first++) {  // until the client closes or resets
        chargen_line(first, line);
        if (send(fd, line, sizeof line, MSG_NOSIGNAL) < 0)
            return;
    }
}

void daytime_stream(int fd)
{
    char buf[64];
    send(fd, buf, daytime_line(buf, sizeof buf), MSG_NOSIGNAL);
}

void time_stream(int fd)
{
    uint32_t t = time_since_1900();
    send(fd, &t, sizeof t, MSG_NOSIGNAL);
}

void echo_dgram(int fd, const SA *sa, socklen_t len, const char *req, size_t n)
{
    sendto(fd, req, n, 0, sa, len);
}

void discard_dgram(int, const SA *, socklen_t, const char *, size_t) {}

void chargen_dgram(int fd, const SA *sa, socklen_t len, const char *, size_t)
{
    static unsigned first = 0;  // the next datagram gets the next line
    char line[74];
    chargen_line(first++, line);
    sendto(fd, line, sizeof line, 0, sa, len);
}

void daytime_dgram(int fd, const SA *sa, socklen_t len, const char *, size_t)
{
    char buf[64];
    sendto(fd, buf, daytime_line(buf, sizeof buf), 0, sa, len);
}

void time_dgram(int fd, const SA *sa, socklen_t len, const char *, size_t)
{
    uint32_t t = time_since_1900();
    sendto(fd, &t, sizeof t, 0, sa, len);
}

const std::array<Internal, 5> kInternals = {{
    {"echo", echo_stream, echo_dgram, true},
    {"discard", discard_stream, discard_dgram, true},
    {"chargen", chargen_stream, chargen_dgram, true},
    {"daytime", daytime_stream, daytime_dgram, false},
    {"time", time_stream, time_dgram, false},
}};

}  // namespace

const Internal *find_internal(const std::string &name)
{
    for (const auto &s : kInternals)
        if (name == s.name)
            return &s;
    return nullptr;
}
