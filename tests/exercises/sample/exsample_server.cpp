// SPDX-License-Identifier: MIT
// The exercises' own sample lab: an iterative echo server whose socket calls
// carry blank markers the way the labs mark theirs, so the generator and the
// grader are tested end to end on code that never changes under them.
//
// usage: exsample_server [port]      (port 0: the kernel picks one)
// It prints "listening on 0.0.0.0, port N", then echoes each client's bytes
// back until that client closes, one client at a time.
#include "unp.h"

int main(int argc, char **argv)
{
    int listenfd, connfd;
    struct sockaddr_in servaddr;
    char buf[MAXLINE];
    ssize_t n;

    check_usage(argc, argv, argc <= 2, "usage: exsample_server [port]");
    int port = argc == 2 ? Parse_port(argv[1]) : SERV_PORT;
    Signal(SIGPIPE, SIG_IGN);  // a client that vanishes must not end the server

    listenfd = Socket(AF_INET, SOCK_STREAM, 0);                 //@blank (a) socket()
    bzero(&servaddr, sizeof servaddr);
    servaddr.sin_family = AF_INET;
    servaddr.sin_addr.s_addr = htonl(INADDR_ANY);
    servaddr.sin_port = htons(port);
    Bind(listenfd, (SA *) &servaddr, sizeof servaddr);          //@blank (b) bind() to servaddr
    Listen(listenfd, LISTENQ);                                  //@blank (c) listen()
    print_listening(listenfd);

    for (;;) {
        connfd = Accept(listenfd, NULL, NULL);                  //@blank (d) accept()
        //@blank-begin (e) read() what came and write it back, until EOF
        while ((n = read(connfd, buf, sizeof buf)) > 0)
            if (writen(connfd, buf, n) < 0)
                break;  // the client is gone: serve the next one
        //@blank-end
        Close(connfd);
    }
}
