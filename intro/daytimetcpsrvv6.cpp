// SPDX-License-Identifier: MIT
// daytimetcpsrvv6 - daytimetcpsrv over IPv6: sockaddr_in6, AF_INET6 and
// in6addr_any are the only changes.
//
// usage: daytimetcpsrvv6 [port]      (default 13, which needs root; 0: any)
//
// Observe: it listens on "::"; daytimetcpcliv6 ::1 reaches it, and so does
// daytimetcpcli 127.0.0.1, because an IPv6 socket that is not IPV6_V6ONLY
// also accepts IPv4 clients, which it sees as ::ffff:127.0.0.1.
#include "unp.h"

int main(int argc, char **argv)
{
    int listenfd, connfd;
    socklen_t len;
    struct sockaddr_in6 servaddr, cliaddr;
    char buff[MAXLINE];
    time_t ticks;
    struct tm now;

    check_usage(argc, argv, argc <= 2, "usage: daytimetcpsrvv6 [port]");
    int port = argc == 2 ? Parse_port(argv[1]) : 13;

    listenfd = Socket(AF_INET6, SOCK_STREAM, 0);

    const int on = 1;  // a restarted server may bind while old connections sit in TIME_WAIT
    Setsockopt(listenfd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);

    bzero(&servaddr, sizeof servaddr);
    servaddr.sin6_family = AF_INET6;
    servaddr.sin6_addr = in6addr_any;
    servaddr.sin6_port = htons(port);

    Bind(listenfd, (SA *) &servaddr, sizeof servaddr);

    Listen(listenfd, LISTENQ);
    print_listening(listenfd);

    for (;;) {
        len = sizeof cliaddr;
        connfd = Accept(listenfd, (SA *) &cliaddr, &len);
        printf("connection from %s, port %d\n",
               Inet_ntop(AF_INET6, &cliaddr.sin6_addr, buff, sizeof buff),
               ntohs(cliaddr.sin6_port));
        fflush(stdout);

        ticks = time(NULL);
        localtime_r(&ticks, &now);
        strftime(buff, sizeof buff, "%a %b %e %H:%M:%S %Y\r\n", &now);
        if (write(connfd, buff, strlen(buff)) < 0)
            err_ret("write error");  // this client reset: say so, serve the next

        Close(connfd);
    }
}
