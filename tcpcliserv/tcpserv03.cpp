// SPDX-License-Identifier: MIT
// tcpserv03 - tcpserv02 that restarts accept() when a signal interrupts
// it.  The handler still calls wait() only once per signal.
//
// usage: tcpserv03 [port]      (default 9877; 0: the kernel picks)
//
// Observe: one client at a time, every child is reaped ("child <pid>
// terminated") and the server keeps running.  Now run tcpcli04, which
// opens five connections and exits: five children end at about the same
// moment, but signals are not queued, so SIGCHLD may be delivered fewer
// than five times and each delivery reaps one child.  `ps -o
// pid,stat,cmd --ppid <server pid>` shows the rest as zombies (Z).  To
// make it happen every time, start tcpcli04, stop the server (kill -STOP
// <pid>), end tcpcli04 with Ctrl-D, then kill -CONT <pid>: one SIGCHLD for
// five children, four zombies.  tcpserv04 reaps them all.
#include "unp.h"
#include "sigchld.h"

int main(int argc, char **argv)
{
    int listenfd, connfd;
    pid_t childpid;
    socklen_t clilen;
    struct sockaddr_in cliaddr, servaddr;

    check_usage(argc, argv, argc <= 2, "usage: tcpserv03 [port]");
    int port = argc == 2 ? Parse_port(argv[1]) : SERV_PORT;

    listenfd = Socket(AF_INET, SOCK_STREAM, 0);

    bzero(&servaddr, sizeof servaddr);
    servaddr.sin_family = AF_INET;
    servaddr.sin_addr.s_addr = htonl(INADDR_ANY);
    servaddr.sin_port = htons(port);

    Bind(listenfd, (SA *) &servaddr, sizeof servaddr);

    Listen(listenfd, LISTENQ);
    print_listening(listenfd);

    Signal_intr(SIGCHLD, sig_chld_wait);  // still wait() once per signal

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
