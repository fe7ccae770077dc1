// SPDX-License-Identifier: MIT
// daytimetcpsrv_names - the protocol-independent daytime server (the
// book's names/daytimetcpsrv2.c): Tcp_listen() asks getaddrinfo() for a
// passive address, so the same code serves IPv4 or IPv6.
//
// usage: daytimetcpsrv_names [[<host>] <service/port>]
//        (default: any address, service 13)
//
// Observe: "daytimetcpsrv_names ::1 0" listens on IPv6 loopback only,
// "daytimetcpsrv_names 127.0.0.1 0" on IPv4 loopback only; with no host it
// binds the first passive address getaddrinfo returns.
#include "unp.h"

int main(int argc, char **argv)
{
    int listenfd, connfd;
    socklen_t len, addrlen;
    struct sockaddr_storage cliaddr;
    char buff[MAXLINE];
    time_t ticks;
    struct tm now;

    const char *host = NULL;  // NULL: any local address
    const char *serv = "13";
    check_usage(argc, argv, argc <= 3, "usage: daytimetcpsrv_names [[<host>] <service/port>]");
    if (argc == 2) {
        serv = argv[1];
    } else if (argc == 3) {
        host = argv[1];
        serv = argv[2];
    }

    listenfd = Tcp_listen(host, serv, &addrlen);  // getaddrinfo, socket, bind, listen
    print_listening(listenfd);

    for (;;) {
        len = sizeof cliaddr;  // sockaddr_storage: room for any family
        connfd = Accept(listenfd, (SA *) &cliaddr, &len);
        printf("connection from %s\n", Sock_ntop((SA *) &cliaddr, len));
        fflush(stdout);

        ticks = time(NULL);
        localtime_r(&ticks, &now);
        strftime(buff, sizeof buff, "%a %b %e %H:%M:%S %Y\r\n", &now);
        if (write(connfd, buff, strlen(buff)) < 0)
            err_ret("write error");  // this client reset: say so, serve the next

        Close(connfd);
    }
}
