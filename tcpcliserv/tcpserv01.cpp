// SPDX-License-Identifier: MIT
// tcpserv01 - the book's concurrent echo server: fork() one child per
// client; the child echoes (str_echo) while the parent goes back to
// accept() at once.
//
// usage: tcpserv01 [port]      (default 9877; 0: the kernel picks)
//
// Observe: two tcpcli01 clients are answered at the same time (compare
// tcpserv00).  `ps -o pid,ppid,stat,cmd --ppid <server pid>` shows one
// child per client, and after a client quits, its child stays as a zombie
// (STAT Z, <defunct>): nobody calls wait() for it.  tcpserv02..04 fix that.
// The parent must close connfd: the child has its own copy, and the
// connection ends only when every copy is closed.
#include "unp.h"

int main(int argc, char **argv)
{
    int listenfd = -1, connfd = -1;
    pid_t childpid = -1;
    socklen_t clilen;
    struct sockaddr_in cliaddr, servaddr;

    check_usage(argc, argv, argc <= 2, "usage: tcpserv01 [port]");
    int port = argc == 2 ? Parse_port(argv[1]) : SERV_PORT;

    listenfd = Socket(AF_INET, SOCK_STREAM, 0);                     //@blank (h) socket(): an IPv4 TCP socket

    bzero(&servaddr, sizeof servaddr);
    servaddr.sin_family = AF_INET;
    servaddr.sin_addr.s_addr = htonl(INADDR_ANY);
    servaddr.sin_port = htons(port);

    Bind(listenfd, (SA *) &servaddr, sizeof servaddr);              //@blank (i) bind(): the address above

    Listen(listenfd, LISTENQ);                                      //@blank (j) listen(): queue up to LISTENQ clients
    print_listening(listenfd);

    for (;;) {
        clilen = sizeof cliaddr;
        connfd = Accept(listenfd, (SA *) &cliaddr, &clilen);        //@blank (k) accept(): the next client

        childpid = Fork();                                          //@blank (l) fork(): a process for this client
        if (childpid == 0) {  // the child
            Close(listenfd);                                        //@blank (m) close(): the child does not accept
            str_echo(connfd);  // echo until the client closes
            exit(0);
        }
        Close(connfd);                                              //@blank (n) close(): the parent's copy of the connection
    }
}
