// SPDX-License-Identifier: MIT
// tcpserv00 - an iterative echo server: one client at a time, as the
// course's own EchoServer.  Numbered 00 because it comes before the book's
// fork server, tcpserv01; run the two side by side.
//
// usage: tcpserv00 [port]      (default 9877; 0: the kernel picks)
//
// Observe: start two tcpcli01 clients.  The second one's connect()
// succeeds at once (the kernel completes the handshake and queues the
// connection in the listen backlog), but its lines are echoed only after
// the first client quits, because this process is busy in the read/write
// loop and calls accept() again only then.  `ss -tn` shows the second
// connection ESTABLISHED all the while.
#include "unp.h"

int main(int argc, char **argv)
{
    int listenfd = -1, connfd = -1;
    socklen_t clilen;
    struct sockaddr_in cliaddr, servaddr;
    char buf[MAXLINE];
    ssize_t n = 0;

    check_usage(argc, argv, argc <= 2, "usage: tcpserv00 [port]");
    int port = argc == 2 ? Parse_port(argv[1]) : SERV_PORT;

    // A client that resets must not kill the server: with SIGPIPE ignored,
    // writing to it fails with EPIPE, which we report.
    Signal(SIGPIPE, SIG_IGN);

    listenfd = Socket(AF_INET, SOCK_STREAM, 0);                     //@blank (a) socket(): an IPv4 TCP socket

    bzero(&servaddr, sizeof servaddr);
    servaddr.sin_family = AF_INET;
    servaddr.sin_addr.s_addr = htonl(INADDR_ANY);
    servaddr.sin_port = htons(port);

    Bind(listenfd, (SA *) &servaddr, sizeof servaddr);              //@blank (b) bind(): the address above

    Listen(listenfd, LISTENQ);                                      //@blank (c) listen(): queue up to LISTENQ clients
    print_listening(listenfd);

    for (;;) {
        clilen = sizeof cliaddr;  // value-result: set it before every accept()
        connfd = Accept(listenfd, (SA *) &cliaddr, &clilen);        //@blank (d) accept(): the next client, and its address
        printf("connection from %s\n", Sock_ntop((SA *) &cliaddr, clilen));
        fflush(stdout);

        // Echo until the client closes: nobody else is served meanwhile.
        for (;;) {
            n = read(connfd, buf, sizeof buf);                      //@blank (e) read(): whatever the client sent, up to sizeof buf
            if (n == 0)
                break;  // EOF: the client closed its end
            if (n < 0) {
                if (errno == EINTR)
                    continue;
                err_ret("read error");  // e.g. the client reset: drop it, not the server
                break;
            }
            //@blank-begin (f) write(): the same bytes back, all of them (writen)
            if (writen(connfd, buf, n) < 0) {
                err_ret("write error");
                break;
            }
            //@blank-end
        }

        Close(connfd);                                              //@blank (g) close(): done with this client
    }
}
