// SPDX-License-Identifier: MIT
// tcpserv02 - tcpserv01 plus a SIGCHLD handler that calls wait() once
// (sig_chld_wait, in signals/).  The first step of the book's SIGCHLD
// progression, with its first flaw.
//
// usage: tcpserv02 [port]      (default 9877; 0: the kernel picks)
//
// Observe: connect with tcpcli01 and press Ctrl-D.  The child exits, the
// parent prints "child <pid> terminated", and then the server itself dies
// with "accept error: Interrupted system call": the signal arrived while
// the parent was blocked in accept(), a slow system call, and the kernel
// made accept() return EINTR.  tcpserv03 restarts it.
//
// We install the handler with Signal_intr (no SA_RESTART) on purpose.
// With SA_RESTART, Linux would restart accept() by itself and hide the
// problem, but not every system restarts every call (the book's Solaris
// did not), and select() or poll() are never restarted on Linux: a
// portable server is ready for EINTR.
#include "unp.h"
#include "sigchld.h"

int main(int argc, char **argv)
{
    int listenfd, connfd;
    pid_t childpid;
    socklen_t clilen;
    struct sockaddr_in cliaddr, servaddr;

    check_usage(argc, argv, argc <= 2, "usage: tcpserv02 [port]");
    int port = argc == 2 ? Parse_port(argv[1]) : SERV_PORT;

    listenfd = Socket(AF_INET, SOCK_STREAM, 0);

    bzero(&servaddr, sizeof servaddr);
    servaddr.sin_family = AF_INET;
    servaddr.sin_addr.s_addr = htonl(INADDR_ANY);
    servaddr.sin_port = htons(port);

    Bind(listenfd, (SA *) &servaddr, sizeof servaddr);

    Listen(listenfd, LISTENQ);
    print_listening(listenfd);

    Signal_intr(SIGCHLD, sig_chld_wait);  // wait() once per signal

    for (;;) {
        clilen = sizeof cliaddr;
        connfd = Accept(listenfd, (SA *) &cliaddr, &clilen);  // EINTR here ends the server

        if ((childpid = Fork()) == 0) {
            Close(listenfd);
            str_echo(connfd);
            exit(0);
        }
        Close(connfd);
    }
}
