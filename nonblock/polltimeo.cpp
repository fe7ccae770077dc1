// SPDX-License-Identifier: MIT
// polltimeo - the poll() echo server with the timeout as a choice: wait
// forever (INFTIM, -1), wait some seconds (milliseconds to poll), or not
// wait at all (0: poll only looks).  Each return says what woke it.
//
// usage: polltimeo forever|<seconds> [port]      (0 seconds: do not wait)
//
//   polltimeo forever 0   poll(..., INFTIM): sleeps until a socket is ready
//   polltimeo 5 0         poll(..., 5000): "timeout" every 5 s when idle
//   polltimeo 0 0         poll(..., 0): returns at once, always
//
// Observe: as selecttimeo: "ready: N" or "timeout" per return (a run of
// zero-wait timeouts printed once, then counted), and on Ctrl-C the CPU
// time used, "cpu: 0.00 s user, 0.00 s system in 10.0 s".  poll() has no
// FD_SETSIZE limit: the client array is as large as OPEN_MAX.
#include "unp.h"

#include <poll.h>
#include <sys/resource.h>
#include <time.h>

#include <algorithm>
#include <vector>

static volatile sig_atomic_t stop;

static void on_signal(int) { stop = 1; }

// Parses forever|<seconds> into poll's milliseconds: INFTIM for forever.
static int parse_wait(const char *arg)
{
    if (strcmp(arg, "forever") == 0)
        return INFTIM;
    char *end;
    long sec = strtol(arg, &end, 10);
    if (*arg == '\0' || *end != '\0' || sec < 0 || sec > 3600)
        err_quit("usage: polltimeo forever|<seconds> [port]   (seconds: 0 to 3600)");
    return (int) sec * 1000;
}

static void print_cpu(const struct timespec *t0)
{
    struct rusage ru;
    struct timespec t1;
    getrusage(RUSAGE_SELF, &ru);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    printf("cpu: %.2f s user, %.2f s system in %.1f s\n",
           (double) ru.ru_utime.tv_sec + (double) ru.ru_utime.tv_usec / 1e6,
           (double) ru.ru_stime.tv_sec + (double) ru.ru_stime.tv_usec / 1e6,
           (double) (t1.tv_sec - t0->tv_sec) + (double) (t1.tv_nsec - t0->tv_nsec) / 1e9);
}

int main(int argc, char **argv)
{
    int i, maxi, listenfd, connfd, sockfd, nready, timeout;
    ssize_t n;
    char buf[MAXLINE];
    socklen_t clilen;
    struct accept_reserve reserve;  // a spare descriptor, for when we run out
    struct sockaddr_in cliaddr, servaddr;
    struct timespec t0;
    long timeouts = 0;

    check_usage(argc, argv, argc == 2 || argc == 3, "usage: polltimeo forever|<seconds> [port]");
    timeout = parse_wait(argv[1]);
    int port = argc == 3 ? Parse_port(argv[2]) : SERV_PORT;

    Signal(SIGPIPE, SIG_IGN);  // a vanished client gives EPIPE, not death
    Signal(SIGINT, on_signal);
    Signal(SIGTERM, on_signal);
    setvbuf(stdout, NULL, _IOLBF, 0);  // a line at a time, even into a pipe

    listenfd = Socket(AF_INET, SOCK_STREAM, 0);
    bzero(&servaddr, sizeof servaddr);
    servaddr.sin_family = AF_INET;
    servaddr.sin_addr.s_addr = htonl(INADDR_ANY);
    servaddr.sin_port = htons(port);
    Bind(listenfd, (SA *) &servaddr, sizeof servaddr);
    Listen(listenfd, LISTENQ);
    accept_reserve_init(&reserve);  // before the port line: tests count descriptors from it
    print_listening(listenfd);
    clock_gettime(CLOCK_MONOTONIC, &t0);

    std::vector<struct pollfd> client(OPEN_MAX);
    client[0].fd = listenfd;
    client[0].events = POLLRDNORM;
    for (i = 1; i < OPEN_MAX; i++)
        client[i].fd = -1;  // -1: an unused entry, poll skips it
    maxi = 0;

    while (!stop) {
        nready = poll(client.data(), maxi + 1, timeout);
        if (nready < 0) {
            if (errno == EINTR)
                continue;  // a signal: `stop` says whether to end
            err_sys("poll error");
        }
        if (nready == 0) {
            if (timeouts++ == 0 || timeout > 0)
                printf("timeout\n");  // with 0 s, only the first of a run
            continue;
        }
        if (timeouts > 1 && timeout == 0)
            printf("(%ld timeouts in a row)\n", timeouts);
        timeouts = 0;
        printf("ready: %d\n", nready);

        if (client[0].revents & POLLRDNORM) {  // a new client
            clilen = sizeof cliaddr;
            // Out of descriptors, accept_reserve turns the client away
            // (and says so once) instead of leaving it queued, where
            // poll() would report it again at once, for ever.
            if ((connfd = accept_reserve(&reserve, listenfd, (SA *) &cliaddr, &clilen)) < 0) {
                if (errno != EINTR && errno != ECONNABORTED && errno != EPROTO && errno != EMFILE &&
                    errno != ENFILE)  // those: the loop goes on (EMFILE was logged)
                    err_ret("accept error");
            } else {
                for (i = 1; i < OPEN_MAX && client[i].fd >= 0; i++)
                    ;
                if (i == OPEN_MAX) {
                    err_msg("too many clients");
                    Close(connfd);
                } else {
                    client[i].fd = connfd;
                    client[i].events = POLLRDNORM;
                    maxi = std::max(maxi, i);
                }
            }
            if (--nready <= 0)
                continue;
        }

        for (i = 1; i <= maxi; i++) {  // every client with data (or an error)
            if ((sockfd = client[i].fd) < 0 || !(client[i].revents & (POLLRDNORM | POLLERR | POLLHUP)))
                continue;
            if ((n = read(sockfd, buf, MAXLINE)) <= 0 || writen(sockfd, buf, n) != n) {
                // EOF, a reset or a client gone: drop it, serve the others
                Close(sockfd);
                client[i].fd = -1;
            }
            if (--nready <= 0)
                break;
        }
    }
    if (timeouts > 1 && timeout == 0)
        printf("(%ld timeouts in a row)\n", timeouts);
    print_cpu(&t0);
    exit(0);
}
