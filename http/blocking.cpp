// SPDX-License-Identifier: MIT
#include "blocking.hpp"

#include "unp.h"

#include <poll.h>
#include <sys/sendfile.h>

#include <chrono>
#include <cstring>
#include <system_error>

namespace http {
namespace {

using Clock = std::chrono::steady_clock;

enum class Got { head, eof, timeout };

// Reads into buf until it holds a whole request head (parsed is then
// done), the client closes or resets (eof), or the deadline passes.
Got read_head(int fd, std::string &buf, ParseResult &parsed, Clock::time_point deadline)
{
    for (;;) {
        parsed = parse_request(buf);
        if (parsed.state == Parse::done)
            return Got::head;
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
        if (left <= 0)
            return Got::timeout;
        struct pollfd pfd {fd, POLLIN, 0};
        int n = poll(&pfd, 1, static_cast<int>(left));
        if (n < 0 && errno == EINTR)
            continue;
        if (n == 0)
            return Got::timeout;
        char chunk[4096];
        ssize_t got = read(fd, chunk, sizeof chunk);
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0)
            return Got::eof;  // EOF, or ECONNRESET: nobody to answer
        buf.append(chunk, static_cast<std::size_t>(got));
    }
}

// The head (and a generated body) with send(), a file with sendfile();
// false if the client went away (or stopped reading) before the end.
bool send_response(int fd, const Response &r, std::uint64_t &body_sent)
{
    body_sent = 0;
    std::string out = r.head;
    bool file_follows = r.send_body && r.file;
    if (r.send_body && !r.file)
        out += r.body;
    //@blank-begin (i) send(): the head (and a generated body), MSG_MORE if a file follows; false if it fails
    if (send(fd, out.data(), out.size(), file_follows ? MSG_MORE : 0) != static_cast<ssize_t>(out.size()))
        return false;  // (a blocking send() sends it all, or fails)
    //@blank-end
    if (!file_follows) {
        body_sent = r.send_body ? r.body.size() : 0;
        return true;
    }
    off_t offset = 0;
    while (static_cast<std::uint64_t>(offset) < r.file_size) {
        std::uint64_t left = r.file_size - static_cast<std::uint64_t>(offset);
        //@blank-begin (j) sendfile(): the file from offset on, as much as the socket takes; false if it fails
        ssize_t n = sendfile(fd, r.file.get(), &offset, left < (1u << 30) ? left : (1u << 30));
        if (n < 0 && errno == EINTR)
            continue;
        body_sent = static_cast<std::uint64_t>(offset);
        if (n <= 0)
            return false;  // EPIPE/ECONNRESET, EAGAIN after SO_SNDTIMEO, or the file shrank
        //@blank-end
    }
    return true;
}

}  // namespace

ServerArgs parse_args(int argc, char **argv, const char *usage)
{
    ServerArgs args;
    args.port = SERV_PORT;
    check_usage(argc, argv, true, usage);  // -h/--help before getopt sees them
    int c;
    while ((c = getopt(argc, argv, "d:t:")) != -1) {
        if (c == 'd')
            args.dir = optarg;
        else if (c == 't' && atoi(optarg) > 0)
            args.timeout = atoi(optarg);
        else
            err_quit("%s", usage);
    }
    if (argc - optind > 1)
        err_quit("%s", usage);
    if (optind < argc)
        args.port = Parse_port(argv[optind]);
    return args;
}

Site open_site(const char *prog, const ServerArgs &args, bool persistent)
{
    try {
        return Site(args.dir, persistent);
    } catch (const std::system_error &e) {
        err_quit("%s: %s: open error: %s", prog, args.dir.c_str(), e.code().message().c_str());
    }
}

void serve_connection(int connfd, const Site &site, const sockaddr *peer, socklen_t peerlen, int timeout)
{
    struct timeval tv {timeout, 0};
    setsockopt(connfd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    std::string buf;
    for (bool first = true;; first = false) {
        ParseResult parsed;
        Got got = read_head(connfd, buf, parsed, Clock::now() + std::chrono::seconds(timeout));
        if (got == Got::eof)
            return;  // the client is done (or gone): nothing to answer
        if (got == Got::timeout) {
            if (first || !buf.empty()) {  // a request is overdue; idle kept-alive: just close
                std::uint64_t sent = 0;
                Response r = site.error(408, "No complete request arrived in time.", false);
                send_response(connfd, r, sent);
                write_log(log_line(peer, peerlen, parsed.line, 408, sent));
                lingering_close(connfd);
            }
            return;
        }
        Response r = site.respond(parsed);
        std::uint64_t sent = 0;
        bool ok = send_response(connfd, r, sent);
        write_log(log_line(peer, peerlen, parsed.line, r.status, sent));
        buf.erase(0, parsed.consumed);
        if (!ok)
            return;
        if (!r.keep_alive) {
            lingering_close(connfd);
            return;
        }
    }
}

void lingering_close(int connfd)
{
    shutdown(connfd, SHUT_WR);
    auto deadline = Clock::now() + std::chrono::seconds(1);
    char discard[4096];
    for (;;) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
        struct pollfd pfd {connfd, POLLIN, 0};
        if (left <= 0 || poll(&pfd, 1, static_cast<int>(left)) <= 0)
            return;
        if (read(connfd, discard, sizeof discard) <= 0)
            return;  // the client's FIN (or reset): done
    }
}

}  // namespace http
