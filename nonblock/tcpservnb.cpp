// SPDX-License-Identifier: MIT
// tcpservnb - the "non-blocking tcpserv01": the fork-per-client echo
// server, but select() waits for the listening socket and accept() runs on
// it non-blocking, in a loop until EWOULDBLOCK (book 16.6).
//
// usage: tcpservnb [-p] [port]      (default 9877; 0: the kernel picks)
//
//   -p  pause between select() and accept(): wait for Enter on stdin.
//       This opens the book's window on purpose: a client that connects
//       and then resets (tcpcli10, SO_LINGER {1, 0}) during the pause is
//       gone before accept() is called.
//
// Observe: each wake prints "select: listening socket readable", each
// connection "accepted connection from 127.0.0.1, port N", and every
// accept loop ends with "accept: EWOULDBLOCK, no connection waiting".
// In the race (-p, then a reset client, then Enter): on Linux accept()
// still returns the reset connection and its child reports "str_echo:
// read error: Connection reset by peer"; on the BSDs the kernel drops it
// from the queue, so a blocking accept() would sleep there until some
// other client came, with the server serving nobody (the book's bug).
// Non-blocking, accept() returns EWOULDBLOCK (or ECONNABORTED) either way
// and the server goes back to select().
#include "unp.h"

#include "sigchld.h"  // sig_chld_waitpid: no zombies

int main(int argc, char **argv)
{
    int listenfd, connfd, argi = 1;
    bool pause_before_accept = false;
    pid_t childpid;
    socklen_t clilen;
    struct sockaddr_in cliaddr, servaddr;
    fd_set rset;
    char line[MAXLINE];

    check_usage(argc, argv, true, "usage: tcpservnb [-p] [port]");  // -h, --help
    if (argc > 1 && strcmp(argv[1], "-p") == 0) {
        pause_before_accept = true;
        argi++;
    }
    if (argc - argi > 1)
        err_quit("usage: tcpservnb [-p] [port]");
    int port = argc - argi == 1 ? Parse_port(argv[argi]) : SERV_PORT;

    setvbuf(stdout, NULL, _IOLBF, 0);  // a line at a time, even into a pipe
    listenfd = Socket(AF_INET, SOCK_STREAM, 0);

    bzero(&servaddr, sizeof servaddr);
    servaddr.sin_family = AF_INET;
    servaddr.sin_addr.s_addr = htonl(INADDR_ANY);
    servaddr.sin_port = htons(port);
    Bind(listenfd, (SA *) &servaddr, sizeof servaddr);
    Listen(listenfd, LISTENQ);
    print_listening(listenfd);

    Fcntl(listenfd, F_SETFL, Fcntl(listenfd, F_GETFL, 0) | O_NONBLOCK);  // accept never blocks
    Signal(SIGCHLD, sig_chld_waitpid);

    for (;;) {
        FD_ZERO(&rset);
        FD_SET(listenfd, &rset);
        if (select(listenfd + 1, &rset, NULL, NULL, NULL) < 0) {
            if (errno == EINTR)
                continue;  // SIGCHLD: a child was reaped
            err_sys("select error");
        }
        printf("select: listening socket readable\n");

        if (pause_before_accept) {
            printf("paused: press Enter to call accept()\n");
            if (fgets(line, sizeof line, stdin) == NULL)
                pause_before_accept = false;  // stdin closed: no more pauses
        }

        for (;;) {  // accept every connection waiting, then back to select
            clilen = sizeof cliaddr;
            if ((connfd = accept(listenfd, (SA *) &cliaddr, &clilen)) < 0) {
                if (errno == EWOULDBLOCK || errno == EAGAIN) {
                    printf("accept: EWOULDBLOCK, no connection waiting\n");
                    break;
                }
                if (errno == ECONNABORTED || errno == EPROTO || errno == EINTR) {
                    printf("accept: %s, going on\n", strerror(errno));
                    continue;  // the client left before we took it
                }
                err_sys("accept error");  // EMFILE and friends: a real failure
            }
            printf("accepted connection from %s\n", Sock_ntop((SA *) &cliaddr, clilen));

            if ((childpid = Fork()) == 0) {  // child: one client, blocking
                Close(listenfd);
                // Some systems pass O_NONBLOCK on to the accepted socket.
                Fcntl(connfd, F_SETFL, Fcntl(connfd, F_GETFL, 0) & ~O_NONBLOCK);
                str_echo(connfd);
                exit(0);
            }
            Close(connfd);  // parent
        }
    }
}
