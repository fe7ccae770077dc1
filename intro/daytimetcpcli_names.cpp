// SPDX-License-Identifier: MIT
// daytimetcpcli_names - the protocol-independent daytime client (the
// book's names/daytimetcpcli.c): Tcp_connect() asks getaddrinfo() for the
// host's addresses and tries each, IPv4 or IPv6, until one connects.
//
// usage: daytimetcpcli_names <hostname/IPaddress> [service/port]
//        (default service: 13)
//
// Observe: "localhost", "127.0.0.1", "::1", "ip6-localhost" all work;
// "connected to" shows which address getaddrinfo returned first and which
// family was used.  The service may be a name from /etc/services
// ("daytime") or a number.
#include "unp.h"

int main(int argc, char **argv)
{
    int sockfd;
    ssize_t n;
    char recvline[MAXLINE + 1];
    struct sockaddr_storage ss;
    socklen_t len;

    check_usage(argc, argv, argc == 2 || argc == 3,
                "usage: daytimetcpcli_names <hostname/IPaddress> [service/port]");
    const char *serv = argc == 3 ? argv[2] : "13";

    sockfd = Tcp_connect(argv[1], serv);  // getaddrinfo, socket, connect

    len = sizeof ss;
    Getpeername(sockfd, (SA *) &ss, &len);
    printf("connected to %s\n", Sock_ntop_host((SA *) &ss, len));

    while ((n = read(sockfd, recvline, MAXLINE)) > 0) {
        recvline[n] = 0;
        Fputs(recvline, stdout);
    }
    if (n < 0)
        err_sys("read error");

    Close(sockfd);
    exit(0);
}
