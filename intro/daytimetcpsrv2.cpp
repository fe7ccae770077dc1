// SPDX-License-Identifier: MIT
// daytimetcpsrv2 - daytimetcpsrv that writes its line one byte per
// write() (the book's exercise 1.5), to show that TCP keeps no record
// boundaries: the client cannot tell how the server wrote the bytes.
//
// usage: daytimetcpsrv2 [port]      (default 13, which needs root; 0: any)
//
// Observe: with daytimetcpcli1 the line is the same as from daytimetcpsrv,
// and "counter = N" says in how many read()s it arrived: usually 1 on
// loopback (26 writes, one read), often more across a network.
#include "unp.h"

int main(int argc, char **argv)
{
    int listenfd, connfd;
    struct sockaddr_in servaddr;
    char buff[MAXLINE];
    time_t ticks;
    struct tm now;

    check_usage(argc, argv, argc <= 2, "usage: daytimetcpsrv2 [port]");
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
        connfd = Accept(listenfd, (SA *) NULL, NULL);

        ticks = time(NULL);
        localtime_r(&ticks, &now);
        strftime(buff, sizeof buff, "%a %b %e %H:%M:%S %Y\r\n", &now);
        for (size_t i = 0; i < strlen(buff); i++) {
            if (write(connfd, &buff[i], 1) < 0) {  // 26 writes of one byte each
                err_ret("write error");  // this client reset: serve the next
                break;
            }
        }

        Close(connfd);
    }
}
