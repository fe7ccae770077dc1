// SPDX-License-Identifier: MIT
// daytimetcpsrv1 - daytimetcpsrv that asks accept() for the client's
// address and prints "connection from <addr>, port <n>" for each client.
//
// usage: daytimetcpsrv1 [port]      (default 13, which needs root; 0: any)
//
// Observe: the client's port is an ephemeral port its kernel picked at
// connect(); run daytimetcpcli3, which prints the same port from its side.
#include "unp.h"

int main(int argc, char **argv)
{
    int listenfd, connfd;
    socklen_t len;
    struct sockaddr_in servaddr, cliaddr;
    char buff[MAXLINE];
    time_t ticks;
    struct tm now;

    check_usage(argc, argv, argc <= 2, "usage: daytimetcpsrv1 [port]");
    int port = argc == 2 ? Parse_port(argv[1]) : 13;

    listenfd = Socket(AF_INET, SOCK_STREAM, 0);

    const int on = 1;  // a restarted server may bind while old connections sit in TIME_WAIT
    Setsockopt(listenfd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);

    bzero(&servaddr, sizeof servaddr);
    servaddr.sin_family = AF_INET;
    servaddr.sin_addr.s_addr = htonl(INADDR_ANY);
    servaddr.sin_port = htons(port);

    Bind(listenfd, (SA *) &servaddr, sizeof servaddr);

    Listen(listenfd, LISTENQ);
    print_listening(listenfd);

    for (;;) {
        len = sizeof cliaddr;  // value-result: set it before every accept()
        connfd = Accept(listenfd, (SA *) &cliaddr, &len);
        printf("connection from %s, port %d\n",
               Inet_ntop(AF_INET, &cliaddr.sin_addr, buff, sizeof buff),
               ntohs(cliaddr.sin_port));
        fflush(stdout);  // a pipe or a log file sees it now

        ticks = time(NULL);
        localtime_r(&ticks, &now);
        strftime(buff, sizeof buff, "%a %b %e %H:%M:%S %Y\r\n", &now);
        if (write(connfd, buff, strlen(buff)) < 0)
            err_ret("write error");  // this client reset: say so, serve the next

        Close(connfd);
    }
}
