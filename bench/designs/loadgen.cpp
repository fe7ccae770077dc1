// SPDX-License-Identifier: MIT
// loadgen - the load generator of the designs bench.
//
// Usage: loadgen [options] HOST PORT           a server already running
//        loadgen [options] -- SERVER [ARG...]  start SERVER (it must print
//                        "listening on <addr>, port <n>"; give it port 0),
//                        load it, stop it (SIGTERM to its process group),
//                        and report the CPU time of all its processes
//
//   -c C      concurrent clients, one thread each (default 1)
//   -n R      requests per client (default 100)
//   -k        keep-alive: each client sends its R requests on one connection
//             (default: a new connection for every request)
//   -q BYTES  request size, header included (>= 16; default 16)
//   -r BYTES  reply size (default 64)
//   -w USEC   work: the server waits USEC before each reply (default 0)
//   -t USEC   trickle: send each request in 4-byte pieces, USEC apart
//   -s K      K more clients, slow ones: they trickle their requests (-t,
//             default 2000 us) over and over until the C clients are done;
//             the results are the C clients', the slow ones only counted
//   -e        echo mode, for echo servers (tcpserv00, tcpserv01): send
//             BYTES of data (-q) and expect them back; no header
//   -T MS     timeout for each connect, read and write (default 5000)
//   -p PID    the running server's pid, to report its CPU time
//   -l LABEL  name of this run in the output (default: the server's name)
//   --csv     one CSV line of results; --header prints the header line
//
// Every reply is checked byte for byte.  Prints the requests that
// succeeded and failed (refused, reset, timed out, bad reply: short or
// wrong), wall time, requests per second, latency percentiles (p50, p90,
// p99, max; from connect, or from the first byte sent with -k, to the last
// byte of the reply) and the server's CPU time, user + system, children
// included.  Exit status 0 if every request succeeded, 2 if some failed,
// 1 on a usage or setup error.
#include "service.h"
#include "unp.h"
#include "unp.hpp"

#include <getopt.h>
#include <netinet/tcp.h>
#include <sys/prctl.h>
#include <sys/resource.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <cmath>
#include <latch>
#include <string>
#include <thread>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

struct Options {
    std::string host, port;
    std::vector<std::string> server;  // argv of the server to start, if any
    int clients = 1;
    long requests = 100;
    bool keepalive = false;
    bool echo = false;
    std::uint32_t request_size = kHeaderSize;
    std::uint32_t reply_size = 64;
    std::uint32_t work_usec = 0;
    std::uint32_t trickle_usec = 0;
    int slow_clients = 0;
    int timeout_ms = 5000;
    pid_t pid = 0;
    std::string label;
    bool csv = false, header = false;
};

enum class Outcome { ok, refused, reset, timed_out, bad_reply, other, count_ };
constexpr std::size_t kOutcomes = static_cast<std::size_t>(Outcome::count_);

// What one client thread counted.
struct Tally {
    std::array<long, kOutcomes> counts{};  // by Outcome: see operator[]
    std::vector<double> latency_us;  // of the successful requests
    Clock::time_point began, ended;  // this client's first and last moment
    void add(Outcome o) { counts[static_cast<std::size_t>(o)]++; }
    long operator[](Outcome o) const { return counts[static_cast<std::size_t>(o)]; }
    long failed() const { return total() - (*this)[Outcome::ok]; }
    long total() const
    {
        long n = 0;
        for (long c : counts)
            n += c;
        return n;
    }
    void merge(const Tally &t)
    {
        for (std::size_t k = 0; k < kOutcomes; k++)
            counts[k] += t.counts[k];
        latency_us.insert(latency_us.end(), t.latency_us.begin(), t.latency_us.end());
    }
};

Outcome outcome_of(int err)
{
    switch (err) {
    case ECONNREFUSED:
        return Outcome::refused;
    case ECONNRESET:
    case EPIPE:
        return Outcome::reset;
    case EAGAIN:       // SO_RCVTIMEO / SO_SNDTIMEO expired
    case EINPROGRESS:  // connect() under SO_SNDTIMEO
    case ETIMEDOUT:
        return Outcome::timed_out;
    default:
        return Outcome::other;
    }
}

// The server's address: an address, never a name to look up.
unp::Address resolve(const std::string &host, const std::string &port)
{
    try {
        return unp::numeric_address(host, port);
    } catch (const std::system_error &e) {
        err_quit("loadgen: %s (give a numeric address: 127.0.0.1, ::1)", e.what());
    }
}

// A connected socket with the timeouts set, or an empty Fd with errno.
unp::Fd connect_to(const unp::Address &t, int timeout_ms)
{
    unp::Fd fd(socket(t.family(), SOCK_STREAM, 0));
    if (!fd)
        return fd;
    struct timeval tv {timeout_ms / 1000, (timeout_ms % 1000) * 1000};
    int on = 1;  // trickled pieces go out at once, not held back by Nagle
    if (setsockopt(fd.get(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv) < 0 ||
        setsockopt(fd.get(), SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv) < 0 ||
        setsockopt(fd.get(), IPPROTO_TCP, TCP_NODELAY, &on, sizeof on) < 0 ||
        connect(fd.get(), t.sa(), t.len) < 0) {
        int saved = errno;
        fd.reset();
        errno = saved;
    }
    return fd;
}

void pause_usec(std::uint32_t usec)
{
    struct timespec ts {static_cast<time_t>(usec / 1'000'000), static_cast<long>(usec % 1'000'000) * 1000};
    while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
        ;
}

// One request on a connected socket: send it (in pieces, trickle_usec
// apart, if trickle_usec > 0), read and check the reply.
Outcome exchange(int fd, std::uint32_t tag, std::uint32_t trickle_usec, const Options &o,
                 std::vector<unsigned char> &request)
{
    // The request: the pattern from byte 0 (echo) or a header then the
    // pattern from byte 16.
    for (std::size_t i = 0; i < request.size(); i += kChunk)
        memcpy(request.data() + i, pattern_at(tag, i), std::min(kChunk, request.size() - i));
    if (!o.echo)
        encode_header(Request{o.request_size, o.reply_size, o.work_usec, tag}, request.data());

    std::size_t piece = trickle_usec ? 4 : request.size();
    for (std::size_t i = 0; i < request.size(); i += piece) {
        if (i > 0)
            pause_usec(trickle_usec);  // a slow client: the server waits for the rest
        if (writen(fd, request.data() + i, std::min(piece, request.size() - i)) < 0)
            return outcome_of(errno);
    }

    std::uint64_t expected = o.echo ? o.request_size : o.reply_size;
    unsigned char buf[kChunk];
    for (std::uint64_t got = 0; got < expected;) {
        ssize_t n = read(fd, buf, std::min<std::uint64_t>(sizeof buf, expected - got));
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return outcome_of(errno);
        if (n == 0)
            return Outcome::bad_reply;  // EOF: the reply is short
        if (memcmp(buf, pattern_at(tag, got), static_cast<std::size_t>(n)) != 0)
            return Outcome::bad_reply;  // someone else's bytes, or garbage
        got += static_cast<std::uint64_t>(n);
    }
    return Outcome::ok;
}

// One client: R requests, or with `slow` as many as it can, trickled,
// until `stop` is set.
void run_client(int id, bool slow, const Options &o, const unp::Address &t, std::latch &start,
                const std::atomic<bool> &stop, Tally &tally)
{
    std::vector<unsigned char> request(o.request_size);
    if (!slow)
        tally.latency_us.reserve(static_cast<std::size_t>(o.requests));
    // With slow clients, only they trickle; otherwise -t applies to all.
    std::uint32_t trickle = (slow || o.slow_clients == 0) ? o.trickle_usec : 0;
    start.arrive_and_wait();  // all clients begin together
    tally.began = Clock::now();
    unp::Fd fd;
    for (long r = 0; slow ? !stop.load() : r < o.requests; r++) {
        // A tag unique to this client and request: a reply meant for
        // another client or an earlier request fails the check.
        auto tag = static_cast<std::uint32_t>(id * 7919 + r * 104729);
        auto t0 = Clock::now();
        if (!fd && !(fd = connect_to(t, o.timeout_ms))) {
            tally.add(outcome_of(errno));
            continue;
        }
        Outcome result = exchange(fd.get(), tag, trickle, o, request);
        tally.add(result);
        if (result == Outcome::ok && !slow)
            tally.latency_us.push_back(std::chrono::duration<double, std::micro>(Clock::now() - t0).count());
        if (!o.keepalive || result != Outcome::ok)
            fd.reset();  // we close first: the TIME_WAIT is on our side
    }
    fd.reset();
    tally.ended = Clock::now();
}

// ---- the server's CPU time ----

struct CpuTime {
    double user = 0, sys = 0;  // seconds, children included
};

// From /proc/<pid>/stat: utime, stime, cutime, cstime (fields 14 to 17).
bool read_proc_cpu(pid_t pid, CpuTime &cpu)
{
    auto st = unp::read_proc_stat(pid);
    if (!st)
        return false;
    double tick = static_cast<double>(sysconf(_SC_CLK_TCK));
    cpu.user = static_cast<double>(st->utime + static_cast<unsigned long long>(st->cutime)) / tick;
    cpu.sys = static_cast<double>(st->stime + static_cast<unsigned long long>(st->cstime)) / tick;
    return true;
}

// ---- starting and stopping the server ----

struct Server {
    pid_t pid = -1;
    unp::Fd out;  // its stdout
    std::thread drain;
};

// Starts argv in its own process group, with stdout on a pipe, and returns
// the port from its "listening on <addr>, port <n>" line.
int start_server(const std::vector<std::string> &argv, Server &s)
{
    int p[2];
    Pipe(p);
    s.pid = Fork();
    if (s.pid == 0) {
        setpgid(0, 0);  // its own group: we can end it and any children
        Dup2(p[1], STDOUT_FILENO);
        close(p[0]);
        close(p[1]);
        std::vector<char *> args;
        for (const auto &a : argv)
            args.push_back(const_cast<char *>(a.c_str()));
        args.push_back(nullptr);
        execvp(args[0], args.data());
        err_sys("loadgen: cannot run %s", args[0]);
    }
    setpgid(s.pid, s.pid);  // also here, so it holds before we signal the group
    close(p[1]);
    s.out.reset(p[0]);

    unp::LineReader lines(s.out.get());
    auto deadline = Clock::now() + std::chrono::seconds(10);
    while (auto line = lines.read_line(deadline)) {
        if (auto port = unp::parse_listening(*line)) {
            // From now on its output is read and dropped, so a chatty
            // server never blocks on a full pipe.
            s.drain = std::thread([fd = s.out.get()] {
                char buf[4096];
                while (read(fd, buf, sizeof buf) > 0 || errno == EINTR)
                    ;
            });
            return *port;
        }
    }
    if (lines.at_eof())
        err_quit("loadgen: %s ended before it printed \"listening on ..., port N\"", argv[0].c_str());
    err_quit("loadgen: %s printed no \"listening on ..., port N\" line within 10 s", argv[0].c_str());
}

// SIGTERM to the server's process group, then reap every process of it.
// loadgen is a "child subreaper" (see main), so children the server leaves
// behind are handed to us, not to init: the CPU time of all of them ends
// up in our RUSAGE_CHILDREN, even of fork children the server had not yet
// reaped when it was told to stop.
CpuTime stop_server(Server &s)
{
    killpg(s.pid, SIGTERM);
    auto deadline = Clock::now() + std::chrono::seconds(5);
    for (;;) {
        pid_t r = waitpid(-1, nullptr, WNOHANG);
        if (r < 0 && errno == ECHILD)
            break;  // all reaped
        if (r > 0)
            continue;
        if (Clock::now() > deadline) {
            killpg(s.pid, SIGKILL);  // it ignored SIGTERM: no more waiting
            while (waitpid(-1, nullptr, 0) > 0 || errno == EINTR)
                ;
            break;
        }
        pause_usec(1000);
    }
    if (s.drain.joinable())
        s.drain.join();  // EOF once the whole group is gone
    s.out.reset();
    struct rusage ru {};
    getrusage(RUSAGE_CHILDREN, &ru);
    auto secs = [](const timeval &tv) { return static_cast<double>(tv.tv_sec) + static_cast<double>(tv.tv_usec) / 1e6; };
    return CpuTime{secs(ru.ru_utime), secs(ru.ru_stime)};
}

// ---- results ----

double percentile(const std::vector<double> &sorted, double p)
{
    if (sorted.empty())
        return 0;
    auto rank = static_cast<std::size_t>(std::ceil(p / 100.0 * static_cast<double>(sorted.size())));
    return sorted[std::clamp<std::size_t>(rank, 1, sorted.size()) - 1];  // nearest rank
}

const char *const usage_text =
    "usage: loadgen [-c clients] [-n requests] [-k] [-q request-bytes] [-r reply-bytes]\n"
    "               [-w work-usec] [-t trickle-usec] [-s slow-clients] [-e] [-T timeout-ms]\n"
    "               [-p pid] [-l label] [--csv] [--header] {HOST PORT | -- SERVER [ARG...]}";

[[noreturn]] void usage()
{
    err_quit("%s", usage_text);
}

long number(const char *arg, long lo, long hi)
{
    char *end;
    errno = 0;
    long v = strtol(arg, &end, 10);
    if (*arg == '\0' || *end != '\0' || errno != 0 || v < lo || v > hi) {
        err_msg("loadgen: %s is not a number from %ld to %ld", arg, lo, hi);
        usage();
    }
    return v;
}

Options parse(int argc, char **argv)
{
    Options o;
    static const struct option longopts[] = {
        {"csv", no_argument, nullptr, 'C'}, {"header", no_argument, nullptr, 'H'}, {nullptr, 0, nullptr, 0}};
    check_usage(argc, argv, true, usage_text);  // -h/--help before getopt sees them
    int c;
    while ((c = getopt_long(argc, argv, "+c:n:kq:r:w:t:s:eT:p:l:", longopts, nullptr)) != -1) {
        switch (c) {
        case 'c': o.clients = static_cast<int>(number(optarg, 1, 10000)); break;
        case 'n': o.requests = number(optarg, 1, 100'000'000); break;
        case 'k': o.keepalive = true; break;
        case 'q': o.request_size = static_cast<std::uint32_t>(number(optarg, 1, kMaxLength)); break;
        case 'r': o.reply_size = static_cast<std::uint32_t>(number(optarg, 0, kMaxLength)); break;
        case 'w': o.work_usec = static_cast<std::uint32_t>(number(optarg, 0, kMaxWorkUsec)); break;
        case 't': o.trickle_usec = static_cast<std::uint32_t>(number(optarg, 0, 10'000'000)); break;
        case 's': o.slow_clients = static_cast<int>(number(optarg, 0, 10000)); break;
        case 'e': o.echo = true; break;
        case 'T': o.timeout_ms = static_cast<int>(number(optarg, 1, 3'600'000)); break;
        case 'p': o.pid = static_cast<pid_t>(number(optarg, 1, 1 << 30)); break;
        case 'l': o.label = optarg; break;
        case 'C': o.csv = true; break;
        case 'H': o.header = true; break;
        default: usage();
        }
    }
    if (!o.echo && o.request_size < kHeaderSize) {
        err_msg("loadgen: a request is at least its %zu-byte header (-q)", kHeaderSize);
        usage();
    }
    if (o.slow_clients > 0 && o.trickle_usec == 0)
        o.trickle_usec = 2000;
    if (optind < argc && strcmp(argv[optind - 1], "--") == 0) {
        o.server.assign(argv + optind, argv + argc);
        if (o.label.empty())
            o.label = basename(argv[optind]);
        o.host = "127.0.0.1";
    } else if (argc - optind == 2) {
        o.host = argv[optind];
        o.port = argv[optind + 1];
        if (o.label.empty())
            o.label = o.host + ":" + o.port;
    } else if (!(o.header && argc == optind)) {
        usage();
    }
    return o;
}

const char *kCsvHeader =
    "label,clients,requests_per_client,mode,request_bytes,reply_bytes,work_us,trickle_us,slow_clients,slow_ok,"
    "ok,refused,reset,timed_out,bad_reply,other,wall_s,requests_per_s,p50_ms,p90_ms,p99_ms,max_ms,"
    "server_user_s,server_sys_s";

// What a run measured: the C measured clients' tally, the slow ones', the
// wall time and the server's CPU time (NAN when unknown).
struct Results {
    Tally all, slow;
    double wall = 0;
    double user = NAN, sys = NAN;
};

// Runs the C measured clients and the K slow ones against target; the wall
// time is from the first measured client's start to the last one's end, as
// the clients saw it (this thread may run late on a busy machine).
Results run_clients(const Options &o, const unp::Address &target)
{
    int nthreads = o.clients + o.slow_clients;  // 0..C-1 measured, C.. slow
    std::vector<Tally> tallies(static_cast<std::size_t>(nthreads));
    std::latch start(nthreads + 1);
    std::atomic<bool> stop{false};
    std::vector<std::thread> threads;
    for (int i = 0; i < nthreads; i++)
        threads.emplace_back(run_client, i, i >= o.clients, std::cref(o), std::cref(target), std::ref(start),
                             std::cref(stop), std::ref(tallies[static_cast<std::size_t>(i)]));
    start.arrive_and_wait();
    for (int i = 0; i < o.clients; i++)
        threads[static_cast<std::size_t>(i)].join();
    stop = true;  // the slow clients finish the request they are in
    for (int i = o.clients; i < nthreads; i++)
        threads[static_cast<std::size_t>(i)].join();

    Results r;
    auto first = tallies[0].began, last = tallies[0].ended;
    for (int i = 0; i < nthreads; i++) {
        const Tally &t = tallies[static_cast<std::size_t>(i)];
        if (i < o.clients) {
            first = std::min(first, t.began);
            last = std::max(last, t.ended);
        }
        (i < o.clients ? r.all : r.slow).merge(t);
    }
    r.wall = std::chrono::duration<double>(last - first).count();
    std::sort(r.all.latency_us.begin(), r.all.latency_us.end());
    return r;
}

void print_results(const Options &o, const Results &r)
{
    const Tally &a = r.all;
    long ok = a[Outcome::ok];
    const auto &lat = a.latency_us;
    double p50 = percentile(lat, 50) / 1000, p90 = percentile(lat, 90) / 1000, p99 = percentile(lat, 99) / 1000,
           pmax = percentile(lat, 100) / 1000;
    std::uint32_t reply = o.echo ? o.request_size : o.reply_size;
    if (o.csv) {
        printf("%s,%d,%ld,%s,%u,%u,%u,%u,%d,%ld,%ld,%ld,%ld,%ld,%ld,%ld,%.4f,%.0f,%.3f,%.3f,%.3f,%.3f,%.3f,%.3f\n",
               o.label.c_str(), o.clients, o.requests, o.keepalive ? "keepalive" : "connection", o.request_size,
               reply, o.work_usec, o.trickle_usec, o.slow_clients, r.slow[Outcome::ok], ok, a[Outcome::refused],
               a[Outcome::reset], a[Outcome::timed_out], a[Outcome::bad_reply], a[Outcome::other], r.wall,
               ok / r.wall, p50, p90, p99, pmax, r.user, r.sys);
        return;
    }
    printf("%s: %d client%s x %ld request%s, %s, request %u B, reply %u B%s, work %u us, trickle %u us\n",
           o.label.c_str(), o.clients, o.clients == 1 ? "" : "s", o.requests, o.requests == 1 ? "" : "s",
           o.keepalive ? "one connection per client" : "one connection per request", o.request_size, reply,
           o.echo ? " (echo)" : "", o.work_usec, o.trickle_usec);
    printf("  requests    %ld ok, %ld failed (refused %ld, reset %ld, timed out %ld, bad reply %ld, other %ld)\n", ok,
           a.failed(), a[Outcome::refused], a[Outcome::reset], a[Outcome::timed_out], a[Outcome::bad_reply],
           a[Outcome::other]);
    if (o.slow_clients > 0)
        printf("  slow        %d client%s trickling: %ld requests made, %ld ok (not in the figures below)\n",
               o.slow_clients, o.slow_clients == 1 ? "" : "s", r.slow.total(), r.slow[Outcome::ok]);
    printf("  wall        %.3f s, %.0f requests/s\n", r.wall, ok / r.wall);
    printf("  latency     p50 %.3f ms, p90 %.3f, p99 %.3f, max %.3f\n", p50, p90, p99, pmax);
    if (!std::isnan(r.user))
        printf("  server CPU  %.2f s (user %.2f, sys %.2f), children included\n", r.user + r.sys, r.user, r.sys);
}

}  // namespace

int main(int argc, char **argv)
{
    Options o = parse(argc, argv);
    if (o.header)
        printf("%s\n", kCsvHeader);
    if (o.host.empty())
        return 0;  // --header alone
    Signal(SIGPIPE, SIG_IGN);  // a server that resets us: EPIPE, counted

    Server server;
    // Orphans of the server come to us (see stop_server), not to init.
    if (!o.server.empty() && prctl(PR_SET_CHILD_SUBREAPER, 1) < 0)
        err_sys("prctl(PR_SET_CHILD_SUBREAPER) error");
    if (!o.server.empty())
        o.port = std::to_string(start_server(o.server, server));
    unp::Address target = resolve(o.host, o.port);
    pid_t cpu_pid = !o.server.empty() ? server.pid : o.pid;
    CpuTime cpu0, cpu1;
    bool have_cpu = cpu_pid > 0 && read_proc_cpu(cpu_pid, cpu0);

    Results r = run_clients(o, target);

    if (!o.server.empty())
        cpu1 = stop_server(server);  // every process of its group, reaped
    else if (have_cpu)
        have_cpu = read_proc_cpu(cpu_pid, cpu1);
    if (have_cpu) {
        r.user = cpu1.user - cpu0.user;
        r.sys = cpu1.sys - cpu0.sys;
    }
    print_results(o, r);
    fflush(stdout);
    return r.all.failed() == 0 && r.slow.total() == r.slow[Outcome::ok] ? 0 : 2;
}
