// SPDX-License-Identifier: MIT
// daytimetcpcliv6 - daytimetcpcli over IPv6.
//
// usage: daytimetcpcliv6 <IPv6address> [port]      (default 13)
//
// Observe: it takes only IPv6 addresses ("::1"); given 127.0.0.1 it stops
// with inet_pton's error, which is why the book goes on to write clients
// that work with either family (daytimetcpcli_names).
#include "unp.h"

int main(int argc, char **argv)
{
    int sockfd;
    ssize_t n;
    char recvline[MAXLINE + 1];
    struct sockaddr_in6 servaddr;

    check_usage(argc, argv, argc == 2 || argc == 3, "usage: daytimetcpcliv6 <IPv6address> [port]");
    int port = argc == 3 ? Parse_server_port(argv[2]) : 13;

    sockfd = Socket(AF_INET6, SOCK_STREAM, 0);

    bzero(&servaddr, sizeof servaddr);
    servaddr.sin6_family = AF_INET6;
    servaddr.sin6_port = htons(port);
    Inet_pton(AF_INET6, argv[1], &servaddr.sin6_addr);

    Connect(sockfd, (SA *) &servaddr, sizeof servaddr);

    while ((n = read(sockfd, recvline, MAXLINE)) > 0) {
        recvline[n] = 0;
        Fputs(recvline, stdout);
    }
    if (n < 0)
        err_sys("read error");

    Close(sockfd);
    exit(0);
}
