// SPDX-License-Identifier: MIT
// tcpview - see what a lab's programs do on the wire, annotated.
//
// usage: tcpview [-i interface] [-w file | -r file] [-c count] [-t] [-S] [-X] [--rows N|all]
//                [--width N] [--follow] [--svg file] [--html file] [filter expression]
//        tcpview [-w file] [-t] [-S] [-X] [--rows N|all] [--width N] [--follow] [--svg file] [--html file] [--drain seconds]
//                --run 'server command' --run 'client command with {port}' [filter]
//
// Captures TCP on the loopback interface (or -i interface), or reads a
// capture file (-r, no privilege needed), and prints each segment in
// tcpdump's style - time, src.port > dst.port, flags, relative seq and
// ack, window, options, length - followed by a note: which socket call it
// comes from (connect, the listen backlog, write, close, shutdown), what an
// ACK acknowledges, why an RST was sent.  At the end (Ctrl-C, -c count, end
// of the file, or the end of the --run conversation) it prints a summary
// per connection with the handout's seq/ack table.
//
//   tcpview --run './daytimetcpsrv 0' --run './daytimetcpcli 127.0.0.1 {port}'
//   sudo tcpview port 9877            # watch whatever talks to port 9877
//   tcpview -r saved.pcap             # what tcpdump -w or Wireshark saved
//
// A live capture needs root or CAP_NET_RAW and CAP_NET_ADMIN; without them
// tcpview says so in one line and exits 1.
#include "capture.hpp"
#include "run.hpp"
#include "unp.h"
#include "view.hpp"

#include <getopt.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <climits>
#include <csignal>
#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

namespace {

const char *const usage_text =
    "usage: tcpview [-i interface] [-w file | -r file] [-c count] [-t] [-S] [-X] [--rows N|all] "
    "[--width N] [--follow] [--svg file] [--html file] [filter expression]\n"
    "       tcpview [-w file] [-t] [-S] [-X] [--rows N|all] [--width N] [--follow] [--svg file] [--html file] [--drain seconds] --run 'server "
    "command' --run 'client command with {port}' [filter expression]";

// About as wide as a full line with its note is; narrower terminals wrap it.
constexpr unsigned full_line_width = 200;

volatile std::sig_atomic_t stop_requested = 0;

void on_signal(int) { stop_requested = 1; }

std::string this_program()
{
    char path[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", path, sizeof path - 1);
    if (n <= 0)
        return "tcpview";
    path[n] = '\0';
    return path;
}

// A terminal narrower than the full lines gets the compact layout
// (0: the full layout, for files, pipes and wide terminals).
size_t terminal_width()
{
    struct winsize ws {};
    if (!isatty(STDOUT_FILENO) || ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) != 0 || ws.ws_col == 0)
        return 0;
    return ws.ws_col < full_line_width ? ws.ws_col : 0;
}

// The end of a file: a capture cut short (or holding a record libpcap
// cannot take) is reported after what was read, and exits 1.
int report_read_error(const wire::Capture &cap)
{
    fprintf(stderr, "tcpview: capture truncated after frame %llu: %s\n",
            static_cast<unsigned long long>(cap.frames()), cap.error().c_str());
    return 1;
}

int read_file(const std::string &path, const std::string &filter, const wire::ViewOptions &view,
              const std::string &dump, long count)
{
    wire::Capture cap = wire::Capture::file(path);
    if (!cap.open())
        err_quit("tcpview: cannot read %s: %s", path.c_str(), cap.error().c_str());
    if (!filter.empty() && !cap.set_filter(filter))
        err_quit("tcpview: %s", cap.error().c_str());
    if (!dump.empty() && !cap.dump_to(dump))
        err_quit("tcpview: cannot write %s: %s", dump.c_str(), cap.error().c_str());
    wire::Viewer viewer(std::cout, view);
    wire::Feed feed(cap, viewer, count);
    const auto handler = feed.handler();
    int n;
    while ((n = cap.dispatch(handler)) > 0 && !feed.done())
        ;
    if (cap.filtered())
        viewer.skip("not matching the filter", cap.filtered());
    viewer.summary();
    std::cout.flush();
    return n == wire::Capture::read_failed ? report_read_error(cap) : 0;
}

int capture_live(wire::Capture &cap, const std::string &interface, const std::string &filter,
                 const wire::ViewOptions &view, const std::string &dump, long count)
{
    if (!filter.empty() && !cap.set_filter(filter))
        err_quit("tcpview: %s", cap.error().c_str());
    if (!dump.empty() && !cap.dump_to(dump))
        err_quit("tcpview: cannot write %s: %s", dump.c_str(), cap.error().c_str());
    fprintf(stderr, "tcpview: capturing %s on %s; Ctrl-C stops and prints the summary\n",
            filter.empty() ? "everything" : filter.c_str(), interface.c_str());
    wire::Viewer viewer(std::cout, view);
    wire::Feed feed(cap, viewer, count);
    const auto handler = feed.handler();
    while (!stop_requested && !feed.done()) {
        struct pollfd p = {cap.selectable_fd(), POLLIN, 0};
        poll(&p, 1, 200);
        if (cap.dispatch(handler) < 0)
            err_quit("tcpview: capture failed: %s", cap.error().c_str());
    }
    if (unsigned dropped = cap.dropped())
        std::cout << "[tcpview] warning: the kernel dropped " << dropped << " packets\n";
    viewer.summary();
    return 0;
}

// The command line, parsed.
struct Args {
    std::string interface = "lo", read_path, write_path, filter;
    std::vector<std::string> run;
    wire::ViewOptions view;
    long count = 0, width = -1;
    double drain = 10;
};

// A number option: all digits, at least min (else the usage line).
long number_arg(const char *text, long min)
{
    char *end = nullptr;
    long v = strtol(text, &end, 10);
    if (*text == '\0' || *end != '\0' || v < min)
        err_quit("%s", usage_text);
    return v;
}

Args parse_args(int argc, char **argv)
{
    Args a;
    std::string &interface = a.interface, &read_path = a.read_path, &write_path = a.write_path;
    std::vector<std::string> &run = a.run;
    wire::ViewOptions &view = a.view;

    static const struct option long_options[] = {
        {"run", required_argument, nullptr, 'R'},
        {"drain", required_argument, nullptr, 'D'},
        {"rows", required_argument, nullptr, 'T'},
        {"follow", no_argument, nullptr, 'F'},
        {"svg", required_argument, nullptr, 'G'},
        {"html", required_argument, nullptr, 'H'},
        {"width", required_argument, nullptr, 'W'},
        {"help", no_argument, nullptr, 'h'},
        {nullptr, 0, nullptr, 0}};
    int c;
    while ((c = getopt_long(argc, argv, "+i:w:r:c:tSXh", long_options, nullptr)) != -1) {
        char *end = nullptr;
        switch (c) {
        case 'i': interface = optarg; break;
        case 'w': write_path = optarg; break;
        case 'r': read_path = optarg; break;
        case 't': view.absolute_time = true; break;
        case 'X': view.hex = true; break;
        case 'S': view.absolute_seq = true; break;
        case 'F': view.follow = true; break;
        case 'G': view.svg_path = optarg; break;
        case 'H': view.html_path = optarg; break;
        case 'T':
            view.table_rows = std::string(optarg) == "all" ? 0 : static_cast<size_t>(number_arg(optarg, 1));
            break;
        case 'W': a.width = number_arg(optarg, 0); break;
        case 'R': run.push_back(optarg); break;
        case 'c': a.count = number_arg(optarg, 1); break;
        case 'D':
            a.drain = strtod(optarg, &end);
            if (*optarg == '\0' || *end != '\0' || a.drain < 0)
                err_quit("%s", usage_text);
            break;
        case 'h':
            puts(usage_text);
            exit(0);
        default:
            err_quit("%s", usage_text);
        }
    }
    for (int i = optind; i < argc; ++i)
        a.filter += (a.filter.empty() ? "" : " ") + std::string(argv[i]);
    if ((!run.empty() && run.size() != 2) || (!run.empty() && !read_path.empty()) ||
        (!read_path.empty() && !write_path.empty()))
        err_quit("%s", usage_text);
    a.view.width = static_cast<size_t>(a.width >= 0 ? a.width : terminal_width());
    return a;
}

}  // namespace

int main(int argc, char **argv)
{
    const Args args = parse_args(argc, argv);
    const std::string &interface = args.interface, &read_path = args.read_path,
                      &write_path = args.write_path, &filter = args.filter;
    const std::vector<std::string> &run = args.run;
    const wire::ViewOptions &view = args.view;
    const long count = args.count;
    const double drain = args.drain;
    if (!read_path.empty())
        return read_file(read_path, filter, view, write_path, count);

    struct sigaction sa {};
    sa.sa_handler = on_signal;  // no SA_RESTART: poll() returns at once
    sigaction(SIGINT, &sa, nullptr);
    sigaction(SIGTERM, &sa, nullptr);
    signal(SIGPIPE, SIG_IGN);

    // Privilege first: nothing is started if the capture cannot be.
    wire::Capture cap = wire::Capture::live(interface);
    if (!cap.open()) {
        if (cap.permission_denied())
            err_quit("%s", wire::privilege_message(interface, this_program()).c_str());
        err_quit("tcpview: cannot capture on %s: %s", interface.c_str(), cap.error().c_str());
    }

    if (run.empty())
        return capture_live(cap, interface, filter, view, write_path, count);

    if (!write_path.empty() && !cap.dump_to(write_path))
        err_quit("tcpview: cannot write %s: %s", write_path.c_str(), cap.error().c_str());
    wire::RunOptions options;
    options.server_command = run[0];
    options.client_command = run[1];
    options.filter = filter;
    options.drain_seconds = drain;
    options.view = view;
    return wire::run_pair(cap, options, std::cout, stop_requested);
}
