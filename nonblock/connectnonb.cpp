// SPDX-License-Identifier: MIT
// connectnonb - connect() with a timeout, by a non-blocking connect
// (book 16.3, connect_nonb): start the handshake, then wait in select()
// for at most the timeout; getsockopt(SO_ERROR) tells how it ended.
//
// connect_nonb is libunp's (lib/connect_nonb.cpp, as the book keeps it in
// its lib/): save the flags and set O_NONBLOCK; connect() returns -1 with
// EINPROGRESS; select() for readable or writable with the timeout; 0
// ready means the time is up (ETIMEDOUT); else getsockopt(SO_ERROR) gives
// 0 (connected) or the error (ECONNREFUSED, ...); the flags are restored.
//
// usage: connectnonb <IPaddress> <port> [seconds]      (default 5)
//
// Observe:
//   - a listening port: "connected to 127.0.0.1, port N in 0.000 s";
//   - a port where nothing listens: "connect error after 0.000 s: Connection refused"
//     at once (the RST to our SYN);
//   - a port that never answers (a listener whose queue is full drops our
//     SYN; see README): "connect error after 2.000 s: Connection timed out",
//     where a blocking connect() would wait for the kernel's SYN retries
//     (about two minutes on Linux).
#include "unp.h"

#include <time.h>

static double seconds_since(const struct timespec *t0)
{
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (double) (t1.tv_sec - t0->tv_sec) + (double) (t1.tv_nsec - t0->tv_nsec) / 1e9;
}

int main(int argc, char **argv)
{
    int sockfd, port, nsec = 5;
    struct sockaddr_in servaddr;
    struct timespec t0;

    check_usage(argc, argv, argc == 3 || argc == 4, "usage: connectnonb <IPaddress> <port> [seconds]");
    port = Parse_port(argv[2]);
    if (argc == 4 && ((nsec = atoi(argv[3])) <= 0 || nsec > 3600))
        err_usage("connectnonb: seconds must be 1 to 3600, not %s", argv[3]);

    sockfd = Socket(AF_INET, SOCK_STREAM, 0);

    bzero(&servaddr, sizeof servaddr);
    servaddr.sin_family = AF_INET;
    servaddr.sin_port = htons(port);
    Inet_pton(AF_INET, argv[1], &servaddr.sin_addr);

    clock_gettime(CLOCK_MONOTONIC, &t0);
    if (connect_nonb(sockfd, (SA *) &servaddr, sizeof servaddr, nsec) < 0)
        err_sys("connect error after %.3f s", seconds_since(&t0));
    printf("connected to %s, port %d in %.3f s\n", argv[1], port, seconds_since(&t0));

    Close(sockfd);
    exit(0);
}
