// SPDX-License-Identifier: MIT
// daytimetcpcli1 - daytimetcpcli that also counts the read() calls that
// returned data (the book's exercise 1.5).
//
// usage: daytimetcpcli1 <IPaddress> [port]      (default 13)
//
// Observe: against daytimetcpsrv (one write of 26 bytes) the count is 1.
// Against daytimetcpsrv2 (26 writes of one byte) it is usually 1 on
// loopback too: the 26 writes were all queued before we read, and one
// read() took them all.  Across a real network it is often more, and it
// changes from run to run.  Either way the client cannot see how the
// server wrote: TCP delivers a byte stream, not messages, so a reader
// loops until it has what it needs (here: until EOF).
#include "unp.h"

int main(int argc, char **argv)
{
    int sockfd;
    ssize_t n;
    int counter = 0;
    char recvline[MAXLINE + 1];
    struct sockaddr_in servaddr;

    check_usage(argc, argv, argc == 2 || argc == 3, "usage: daytimetcpcli1 <IPaddress> [port]");
    int port = argc == 3 ? Parse_server_port(argv[2]) : 13;

    sockfd = Socket(AF_INET, SOCK_STREAM, 0);

    bzero(&servaddr, sizeof servaddr);
    servaddr.sin_family = AF_INET;
    servaddr.sin_port = htons(port);
    Inet_pton(AF_INET, argv[1], &servaddr.sin_addr);

    Connect(sockfd, (SA *) &servaddr, sizeof servaddr);

    while ((n = read(sockfd, recvline, MAXLINE)) > 0) {
        counter++;  // one more read() that returned data
        recvline[n] = 0;
        Fputs(recvline, stdout);
    }
    if (n < 0)
        err_sys("read error");

    printf("counter = %d\n", counter);
    Close(sockfd);
    exit(0);
}
