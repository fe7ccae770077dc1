// SPDX-License-Identifier: MIT
// eintr: a fork echo server whose parent is blocked in accept() when a
// child ends.  The SIGCHLD that follows interrupts that slow system call.
//
// usage: eintr [-r] [port]
//   without -r  the SIGCHLD handler is installed without SA_RESTART: the
//               interrupted accept() returns -1 with errno EINTR.  The
//               program prints that and calls accept() again (the fix
//               the book makes in tcpserv03; tcpserv02 dies instead, with
//               "accept error: Interrupted system call").
//   -r          the handler is installed with SA_RESTART: after the handler
//               the kernel restarts accept() itself, and the program never
//               sees the interruption.
//   port        default 9877; 0 lets the kernel choose (printed at start).
//
// Observe: connect with any echo client (tcpcli01, tcpcli07, nc), type a
// line, end the client.  The server prints "child N terminated" from the
// handler, then, without -r only, "accept() returned -1, errno EINTR".
#include "sigchld.h"
#include "unp.h"

int main(int argc, char **argv)
{
    bool restart = false;
    int c;
    check_usage(argc, argv, true, "usage: eintr [-r] [port]");  // -h/--help before getopt sees them
    while ((c = getopt(argc, argv, "r")) != -1) {
        if (c != 'r')
            err_quit("usage: eintr [-r] [port]");
        restart = true;
    }
    if (argc - optind > 1)
        err_quit("usage: eintr [-r] [port]");
    int port = optind < argc ? Parse_port(argv[optind]) : SERV_PORT;
    setvbuf(stdout, nullptr, _IOLBF, 0);  // in order with the handler's write(2)

    int listenfd = Socket(AF_INET, SOCK_STREAM, 0);
    int on = 1;  // restart the demo at once, even with connections in TIME_WAIT
    Setsockopt(listenfd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
    struct sockaddr_in servaddr;
    bzero(&servaddr, sizeof servaddr);
    servaddr.sin_family = AF_INET;
    servaddr.sin_addr.s_addr = htonl(INADDR_ANY);
    servaddr.sin_port = htons(static_cast<uint16_t>(port));
    Bind(listenfd, (SA *) &servaddr, sizeof servaddr);
    Listen(listenfd, LISTENQ);
    print_listening(listenfd);

    // The whole lesson is in sa_flags.
    struct sigaction act {};
    act.sa_handler = sig_chld_waitpid;
    sigemptyset(&act.sa_mask);
    act.sa_flags = restart ? SA_RESTART : 0;
    if (sigaction(SIGCHLD, &act, nullptr) < 0)
        err_sys("sigaction error");
    printf("SIGCHLD handler sig_chld_waitpid installed %s SA_RESTART\n", restart ? "with" : "without");

    for (;;) {
        struct sockaddr_in cliaddr;
        socklen_t clilen = sizeof cliaddr;
        int connfd = accept(listenfd, (SA *)&cliaddr, &clilen);
        if (connfd < 0) {
            int err = errno;
            if (err == EINTR) {
                // A handler ran while we slept in accept(): nothing is wrong,
                // no connection came; just call accept() again.
                printf("accept() returned -1, errno %s (%s): calling accept() again\n",
                       strerrorname_np(err), strerror(err));
                continue;
            }
            if (err == ECONNABORTED || err == EPROTO)
                continue;  // the client gave up before we accepted it
            err_sys("accept error");
        }
        printf("accepted %s\n", Sock_ntop((SA *)&cliaddr, clilen));

        pid_t childpid = Fork();
        if (childpid == 0) {  // child: serve this client, then end (SIGCHLD to the parent)
            Close(listenfd);
            str_echo(connfd);
            exit(0);
        }
        printf("child %ld serves it\n", static_cast<long>(childpid));
        Close(connfd);  // parent: the child has its own reference
    }
}
