// SPDX-License-Identifier: MIT
// selecttimeo - the select() echo server with the timeout as a choice:
// wait forever (a NULL timeval), wait some seconds, or not wait at all (a
// zeroed timeval: select only polls).  Each return says what woke it.
//
// usage: selecttimeo forever|<seconds> [port]      (0 seconds: do not wait)
//
//   selecttimeo forever 0   select(..., NULL): sleeps until a socket is ready
//   selecttimeo 5 0         select(..., {5, 0}): "timeout" every 5 s when idle
//   selecttimeo 0 0         select(..., {0, 0}): returns at once, always
//
// Observe: each return prints "ready: N" (N descriptors ready) or
// "timeout".  In the zero case the loop never sleeps: a run of timeouts is
// printed once, "timeout", and counted when it ends ("(123456 timeouts
// in a row)").  Ctrl-C (or kill) prints the CPU time the process used,
// "cpu: 0.00 s user, 0.00 s system in 10.0 s": next to nothing for the
// first two, about all of one core for the third (`top` shows it at 100%).
#include "unp.h"

#include <sys/resource.h>
#include <time.h>

#include <algorithm>

static volatile sig_atomic_t stop;

static void on_signal(int) { stop = 1; }

// Parses forever|<seconds>: -1 for forever.
static long parse_wait(const char *arg)
{
    if (strcmp(arg, "forever") == 0)
        return -1;
    char *end;
    long sec = strtol(arg, &end, 10);
    if (*arg == '\0' || *end != '\0' || sec < 0 || sec > 3600)
        err_quit("usage: selecttimeo forever|<seconds> [port]   (seconds: 0 to 3600)");
    return sec;
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
    int i, maxi, maxfd, listenfd, connfd, sockfd, nready, client[FD_SETSIZE];
    ssize_t n;
    fd_set rset, allset;
    char buf[MAXLINE];
    socklen_t clilen;
    struct accept_reserve reserve;  // a spare descriptor, for when we run out
    struct sockaddr_in cliaddr, servaddr;
    struct timeval tv;
    struct timespec t0;
    long wait_sec, timeouts = 0;

    check_usage(argc, argv, argc == 2 || argc == 3, "usage: selecttimeo forever|<seconds> [port]");
    wait_sec = parse_wait(argv[1]);
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

    maxfd = listenfd;
    maxi = -1;
    std::fill_n(client, FD_SETSIZE, -1);
    FD_ZERO(&allset);
    FD_SET(listenfd, &allset);

    while (!stop) {
        rset = allset;
        tv.tv_sec = wait_sec;  // select may change it: set it every time
        tv.tv_usec = 0;
        nready = select(maxfd + 1, &rset, NULL, NULL, wait_sec < 0 ? NULL : &tv);
        if (nready < 0) {
            if (errno == EINTR)
                continue;  // a signal: `stop` says whether to end
            err_sys("select error");
        }
        if (nready == 0) {
            if (timeouts++ == 0 || wait_sec > 0)
                printf("timeout\n");  // with 0 s, only the first of a run
            continue;
        }
        if (timeouts > 1 && wait_sec == 0)
            printf("(%ld timeouts in a row)\n", timeouts);
        timeouts = 0;
        printf("ready: %d\n", nready);

        if (FD_ISSET(listenfd, &rset)) {  // a new client
            clilen = sizeof cliaddr;
            // Out of descriptors, accept_reserve turns the client away
            // (and says so once) instead of leaving it queued, where
            // select() would report it again at once, for ever.
            if ((connfd = accept_reserve(&reserve, listenfd, (SA *) &cliaddr, &clilen)) < 0) {
                if (errno != EINTR && errno != ECONNABORTED && errno != EPROTO && errno != EMFILE &&
                    errno != ENFILE)  // those: the loop goes on (EMFILE was logged)
                    err_ret("accept error");
            } else {
                for (i = 0; i < FD_SETSIZE && client[i] >= 0; i++)
                    ;
                if (i == FD_SETSIZE || connfd >= FD_SETSIZE) {
                    err_msg("too many clients");
                    Close(connfd);
                } else {
                    client[i] = connfd;
                    FD_SET(connfd, &allset);
                    maxfd = std::max(maxfd, connfd);
                    maxi = std::max(maxi, i);
                }
            }
            if (--nready <= 0)
                continue;
        }

        for (i = 0; i <= maxi; i++) {  // every client with data
            if ((sockfd = client[i]) < 0 || !FD_ISSET(sockfd, &rset))
                continue;
            if ((n = read(sockfd, buf, MAXLINE)) <= 0 || writen(sockfd, buf, n) != n) {
                // EOF, a reset or a client gone: drop it, serve the others
                Close(sockfd);
                FD_CLR(sockfd, &allset);
                client[i] = -1;
            }
            if (--nready <= 0)
                break;
        }
    }
    if (timeouts > 1 && wait_sec == 0)
        printf("(%ld timeouts in a row)\n", timeouts);
    print_cpu(&t0);
    exit(0);
}
