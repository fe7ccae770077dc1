// SPDX-License-Identifier: MIT
// tcpcli07: the echo client of the handout's Practice 2.  An interval timer
// (setitimer, 5.05 s by default) raises SIGALRM, and the handler ends the
// process while it is still connected: the server's child reads EOF and
// exits, and the server's parent gets SIGCHLD.
//
// usage: tcpcli07 [-t seconds] <IPaddress> [port]
//   -t seconds  when the timer goes off (default 5.05; e.g. -t 0.3)
//   port        default 9877
//
// Observe: run tcpserv04 (or eintr) in one terminal and this in another,
// type a line or two; when the timer fires the client prints
// "tcpcli07: SIGALRM ..." and exits, and the server prints
// "child N terminated".
//
// The book armed the timer for 50 ms, before connect(), to interrupt the
// three-way handshake on a slow network; the handout uses 5.05 s so there
// is time to type.  The book's handler calls exit(0), which is not
// async-signal-safe (it flushes stdio, which the interrupted code may be in
// the middle of); this one writes a fixed message with write(2) and calls
// _exit(0).
#include "unp.h"

namespace {

// Composed in main before the timer is armed, so the handler only writes it.
char alarm_msg[128];
size_t alarm_len;

void sig_alrm(int)
{
    ssize_t ignored = write(STDERR_FILENO, alarm_msg, alarm_len);
    (void)ignored;
    _exit(0);  // the kernel closes the socket: FIN to the server
}

}  // namespace

int main(int argc, char **argv)
{
    double seconds = 5.05;
    int c;
    // -h/--help before getopt sees them
    check_usage(argc, argv, true, "usage: tcpcli07 [-t seconds] <IPaddress> [port]");
    while ((c = getopt(argc, argv, "t:")) != -1) {
        if (c != 't')
            err_quit("usage: tcpcli07 [-t seconds] <IPaddress> [port]");
        char *end;
        seconds = strtod(optarg, &end);
        if (*end != '\0' || !(seconds >= 0.001 && seconds <= 86400))
            err_usage("tcpcli07: -t wants seconds from 0.001 to 86400, not %s", optarg);
    }
    if (argc - optind < 1 || argc - optind > 2)
        err_quit("usage: tcpcli07 [-t seconds] <IPaddress> [port]");
    int port = argc - optind == 2 ? Parse_server_port(argv[optind + 1]) : SERV_PORT;

    int sockfd = Socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in servaddr;
    bzero(&servaddr, sizeof servaddr);
    servaddr.sin_family = AF_INET;
    servaddr.sin_port = htons(static_cast<uint16_t>(port));
    Inet_pton(AF_INET, argv[optind], &servaddr.sin_addr);

    int n = snprintf(alarm_msg, sizeof alarm_msg,
                     "tcpcli07: SIGALRM after %.3f s: exiting while connected\n", seconds);
    alarm_len = n < 0 ? 0 : static_cast<size_t>(n) < sizeof alarm_msg ? static_cast<size_t>(n) : sizeof alarm_msg - 1;

    // One shot (it_interval 0), counted in real time (ITIMER_REAL: SIGALRM).
    Signal(SIGALRM, sig_alrm);
    struct itimerval val {};
    val.it_interval.tv_sec = 0;
    val.it_interval.tv_usec = 0;
    val.it_value.tv_sec = static_cast<time_t>(seconds);
    val.it_value.tv_usec = static_cast<suseconds_t>((seconds - static_cast<double>(val.it_value.tv_sec)) * 1e6);
    if (val.it_value.tv_sec == 0 && val.it_value.tv_usec == 0)
        val.it_value.tv_usec = 1;  // all zero would disarm the timer
    if (setitimer(ITIMER_REAL, &val, nullptr) == -1)
        err_sys("setitimer error");

    Connect(sockfd, (SA *)&servaddr, sizeof servaddr);

    str_cli(stdin, sockfd);  // until EOF on stdin, or until SIGALRM

    exit(0);
}
