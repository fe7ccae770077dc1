// SPDX-License-Identifier: MIT
// daytimetcpcli3 - daytimetcpcli that prints its own address after
// connect(): getsockname() returns the address and the ephemeral port the
// kernel chose for this end of the connection (we never called bind()).
//
// usage: daytimetcpcli3 <IPaddress> [port]      (default 13)
//
// Observe: run daytimetcpsrv1 in the other terminal; the port it prints in
// "connection from 127.0.0.1, port N" is the N printed here, and it
// changes with every run.
#include "unp.h"

int main(int argc, char **argv)
{
    int sockfd;
    ssize_t n;
    char recvline[MAXLINE + 1];
    struct sockaddr_in servaddr, cliaddr;
    socklen_t len;

    check_usage(argc, argv, argc == 2 || argc == 3, "usage: daytimetcpcli3 <IPaddress> [port]");
    int port = argc == 3 ? Parse_server_port(argv[2]) : 13;

    sockfd = Socket(AF_INET, SOCK_STREAM, 0);

    bzero(&servaddr, sizeof servaddr);
    servaddr.sin_family = AF_INET;
    servaddr.sin_port = htons(port);
    Inet_pton(AF_INET, argv[1], &servaddr.sin_addr);

    Connect(sockfd, (SA *) &servaddr, sizeof servaddr);

    len = sizeof cliaddr;  // in: room we have; out: what the kernel filled
    Getsockname(sockfd, (SA *) &cliaddr, &len);
    printf("local addr: %s\n", Sock_ntop((SA *) &cliaddr, len));

    while ((n = read(sockfd, recvline, MAXLINE)) > 0) {
        recvline[n] = 0;
        Fputs(recvline, stdout);
    }
    if (n < 0)
        err_sys("read error");

    Close(sockfd);
    exit(0);
}
