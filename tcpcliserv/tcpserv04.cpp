// SPDX-License-Identifier: MIT
// tcpserv04 - the book's final fork echo server: the SIGCHLD handler loops
// on waitpid(-1, &stat, WNOHANG) (sig_chld_waitpid, in signals/), so one
// signal reaps every child that has ended, and accept() is restarted when
// the handler interrupts it.
//
// usage: tcpserv04 [port]      (default 9877; 0: the kernel picks)
//
// Observe: tcpcli04 (five connections ending at once) prints five "child
// <pid> terminated" lines here and leaves no zombie behind: compare
// `ps -o pid,stat,cmd --ppid <server pid>` with tcpserv03.  Practice 2
// runs this server with signals/tcpcli07.
#include "unp.h"
#include "sigchld.h"

int main(int argc, char **argv)
{
    int listenfd, connfd;
    pid_t childpid;
    socklen_t clilen;
    struct sockaddr_in cliaddr, servaddr;

    check_usage(argc, argv, argc <= 2, "usage: tcpserv04 [port]");
    int port = argc == 2 ? Parse_port(argv[1]) : SERV_PORT;

    listenfd = Socket(AF_INET, SOCK_STREAM, 0);

    bzero(&servaddr, sizeof servaddr);
    servaddr.sin_family = AF_INET;
    servaddr.sin_addr.s_addr = htonl(INADDR_ANY);
    servaddr.sin_port = htons(port);

    Bind(listenfd, (SA *) &servaddr, sizeof servaddr);

    Listen(listenfd, LISTENQ);
    print_listening(listenfd);

    Signal_intr(SIGCHLD, sig_chld_waitpid);  // must call waitpid(), in a loop

    for (;;) {
        clilen = sizeof cliaddr;
        if ((connfd = accept(listenfd, (SA *) &cliaddr, &clilen)) < 0) {
            if (errno == EINTR || errno == ECONNABORTED || errno == EPROTO)
                continue;  // interrupted by SIGCHLD, or the client left first: accept again
            err_sys("accept error");
        }

        if ((childpid = Fork()) == 0) {
            Close(listenfd);
            str_echo(connfd);
            exit(0);
        }
        Close(connfd);
    }
}
