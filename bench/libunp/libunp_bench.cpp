// SPDX-License-Identifier: MIT
// libunp_bench: what libunp's I/O costs, measured on this machine.
//
//   1. readline: the buffered version against the book's one-read(2)-per-
//      byte version, on 8 MiB of 64-byte lines over a socketpair; lines per
//      second and read(2) calls per 4 KiB of input.
//   2. Readn/Writen against a plain read()/write() loop, moving bulk data
//      over loopback TCP; MiB/s of each and their ratio.
//
// usage: libunp_bench [-q]     (-q: smaller sizes, for a smoke run)
#include "unp.h"
#include "unp.hpp"

#include <algorithm>
#include <chrono>
#include <fstream>
#include <functional>
#include <string>
#include <thread>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start)
{
    return std::chrono::duration<double>(Clock::now() - start).count();
}

// read(2) calls made by the calling thread (Linux /proc/thread-self/io).
long thread_read_calls()
{
    std::ifstream in("/proc/thread-self/io");
    std::string key;
    long value = 0;
    while (in >> key >> value)
        if (key == "syscr:")
            return value;
    return 0;
}

struct ReadlineResult {
    double lines_per_sec;
    double reads_per_4k;
};

ReadlineResult run_readline(ssize_t (*reader)(int, void *, size_t), size_t total_bytes)
{
    int fds[2];
    Socketpair(AF_UNIX, SOCK_STREAM, 0, fds);
    const std::string line = std::string(63, 'x') + "\n";
    std::thread writer([&] {
        std::string block;
        for (int i = 0; i < 1024; i++)
            block += line;  // 64 KiB per write
        for (size_t sent = 0; sent < total_bytes; sent += block.size())
            Writen(fds[1], block.data(), block.size());
        Close(fds[1]);
    });
    char buf[MAXLINE];
    long lines = 0;
    size_t bytes = 0;
    ssize_t n;
    long reads_before = thread_read_calls();
    auto start = Clock::now();
    while ((n = reader(fds[0], buf, sizeof buf)) > 0) {
        lines++;
        bytes += static_cast<size_t>(n);
    }
    double elapsed = seconds_since(start);
    long reads = thread_read_calls() - reads_before - 1;  // minus /proc's own read
    writer.join();
    Close(fds[0]);
    if (bytes != total_bytes)
        err_quit("readline lost data: %zu of %zu bytes", bytes, total_bytes);
    return {lines / elapsed, reads / (static_cast<double>(bytes) / 4096)};
}

// Moves `total` bytes over a loopback TCP connection in `chunk`-sized
// calls, with the given send and receive loops; returns MiB/s.
double run_bulk(size_t total, size_t chunk, const std::function<void(int, const char *, size_t)> &send_chunk,
                const std::function<size_t(int, char *, size_t)> &recv_chunk)
{
    unp::Fd listener = unp::listen_tcp("127.0.0.1", "0");
    std::string port = std::to_string(unp::local_port(listener.get()));
    std::thread sender([&] {
        unp::Fd fd = unp::connect_tcp("127.0.0.1", port);
        std::vector<char> buf(chunk, 'b');
        for (size_t sent = 0; sent < total; sent += chunk)
            send_chunk(fd.get(), buf.data(), chunk);
    });
    unp::Fd conn(Accept(listener.get(), nullptr, nullptr));
    std::vector<char> buf(chunk);
    size_t received = 0;
    auto start = Clock::now();
    size_t n;
    while ((n = recv_chunk(conn.get(), buf.data(), chunk)) > 0)
        received += n;
    double elapsed = seconds_since(start);
    sender.join();
    if (received != total)
        err_quit("bulk transfer lost data: %zu of %zu bytes", received, total);
    return static_cast<double>(total) / (1 << 20) / elapsed;
}

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

}  // namespace

int main(int argc, char **argv)
{
    bool quick = argc == 2 && std::string(argv[1]) == "-q";
    check_usage(argc, argv, argc == 1 || quick, "usage: libunp_bench [-q]");
    Signal(SIGPIPE, SIG_IGN);

    const size_t line_bytes = quick ? (1u << 20) : (8u << 20);
    printf("readline over a socketpair: %zu MiB of 64-byte lines\n", line_bytes >> 20);
    ReadlineResult fast = run_readline(readline, line_bytes);
    ReadlineResult slow = run_readline(readline_bytewise, line_bytes);
    printf("  %-20s %12.0f lines/s %8.2f read(2) per 4 KiB\n", "readline (buffered)", fast.lines_per_sec,
           fast.reads_per_4k);
    printf("  %-20s %12.0f lines/s %8.2f read(2) per 4 KiB\n", "readline_bytewise", slow.lines_per_sec,
           slow.reads_per_4k);
    printf("  speed-up: %.1fx (goal: at least 20x, at most 1 read(2) per 4 KiB)\n\n",
           fast.lines_per_sec / slow.lines_per_sec);

    const size_t total = quick ? (64u << 20) : (1u << 30);
    const size_t chunk = 64 * 1024;
    const int runs = quick ? 1 : 5;
    printf("bulk over loopback TCP: %zu MiB in %zu KiB calls, median of %d runs\n", total >> 20, chunk >> 10, runs);
    auto plain_send = [](int fd, const char *p, size_t n) {
        while (n > 0) {  // what a careful programmer writes by hand
            ssize_t w = write(fd, p, n);
            if (w < 0) {
                if (errno == EINTR)
                    continue;
                err_sys("write error");
            }
            p += w;
            n -= static_cast<size_t>(w);
        }
    };
    auto plain_recv = [](int fd, char *p, size_t n) -> size_t {
        ssize_t r;
        while ((r = read(fd, p, n)) < 0 && errno == EINTR) {
        }
        if (r < 0)
            err_sys("read error");
        return static_cast<size_t>(r);
    };
    auto unp_send = [](int fd, const char *p, size_t n) { Writen(fd, p, n); };
    auto unp_recv = [](int fd, char *p, size_t n) -> size_t { return static_cast<size_t>(Readn(fd, p, n)); };
    std::vector<double> plain, wrapped;
    for (int i = 0; i < runs; i++) {  // interleaved, so drift hits both alike
        plain.push_back(run_bulk(total, chunk, plain_send, plain_recv));
        wrapped.push_back(run_bulk(total, chunk, unp_send, unp_recv));
    }
    double p = median(plain), w = median(wrapped);
    printf("  %-20s %10.0f MiB/s\n", "read()/write() loop", p);
    printf("  %-20s %10.0f MiB/s\n", "Readn()/Writen()", w);
    printf("  Readn/Writen at %.1f%% of the plain loop (goal: within 5%%)\n", 100.0 * w / p);
    return 0;
}
