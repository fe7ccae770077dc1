// SPDX-License-Identifier: MIT
// daytimetcpsrv - the book's first server: an iterative daytime server
// over IPv4 (RFC 867).  For each client it writes one line with the date
// and time, e.g. "Sat Nov 21 10:04:47 2026\r\n", and closes.
//
// usage: daytimetcpsrv [port]      (default 13, which needs root; 0: any)
//
// Observe: `ss -ltn` shows the listening socket; each client is served
// completely before the next accept(), one at a time.  Without root,
// binding port 13 fails with EACCES: give a port of 1024 or above.
#include "unp.h"

int main(int argc, char **argv)
{
    int listenfd = -1, connfd = -1;
    struct sockaddr_in servaddr;
    char buff[MAXLINE];
    time_t ticks;
    struct tm now;

    check_usage(argc, argv, argc <= 2, "usage: daytimetcpsrv [port]");
    int port = argc == 2 ? Parse_port(argv[1]) : 13;  // 13: the daytime port

    listenfd = Socket(AF_INET, SOCK_STREAM, 0);                     //@blank (a) socket(): an IPv4 TCP socket

    const int on = 1;  // a restarted server may bind while old connections sit in TIME_WAIT
    Setsockopt(listenfd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);

    bzero(&servaddr, sizeof servaddr);
    servaddr.sin_family = AF_INET;
    servaddr.sin_addr.s_addr = htonl(INADDR_ANY);  // any local address
    servaddr.sin_port = htons(port);

    Bind(listenfd, (SA *) &servaddr, sizeof servaddr);              //@blank (b) bind(): the address above

    Listen(listenfd, LISTENQ);                                      //@blank (c) listen(): make it a listening socket
    print_listening(listenfd);

    for (;;) {
        connfd = Accept(listenfd, (SA *) NULL, NULL);               //@blank (d) accept(): the next client

        ticks = time(NULL);
        localtime_r(&ticks, &now);  // not ctime(): its buffer is shared
        strftime(buff, sizeof buff, "%a %b %e %H:%M:%S %Y\r\n", &now);
        //@blank-begin (e) write(): the line to the client
        if (write(connfd, buff, strlen(buff)) < 0)
            err_ret("write error");  // this client reset: say so, serve the next
        //@blank-end

        Close(connfd);                                              //@blank (f) close(): the client sees EOF
    }
}
