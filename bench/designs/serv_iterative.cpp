// SPDX-License-Identifier: MIT
// serv_iterative - the iterative server: one client at a time.
//
// Usage: serv_iterative [port]        (port 0: the kernel picks one)
//
// accept() a client, serve its requests until it closes, close, and only
// then accept() the next.  No fork, no threads: the cheapest server per
// connection, so with tiny requests on loopback it can out-run the fork
// server.  But every other client waits in the listen queue meanwhile: one
// slow client, or one slow request, delays everybody behind it.
// Observe: `loadgen -c 16 -w 1000 -- serv_iterative 0` (p99 grows with the
// number of clients) against the same line with serv_fork.
#include "service.h"
#include "unp.h"

int main(int argc, char **argv)
{
    if (argc > 2)
        err_quit("usage: serv_iterative [port]");
    int port = argc == 2 ? Parse_port(argv[1]) : SERV_PORT;
    Signal(SIGPIPE, SIG_IGN);  // a client gone mid-reply: EPIPE, not death

    int listenfd = Socket(AF_INET, SOCK_STREAM, 0);
    int on = 1;
    Setsockopt(listenfd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
    struct sockaddr_in servaddr {};
    servaddr.sin_family = AF_INET;
    servaddr.sin_addr.s_addr = htonl(INADDR_ANY);
    servaddr.sin_port = htons(static_cast<uint16_t>(port));
    Bind(listenfd, (SA *)&servaddr, sizeof servaddr);
    Listen(listenfd, LISTENQ);
    print_listening(listenfd);

    for (;;) {
        int connfd = Accept(listenfd, nullptr, nullptr);
        serve_client(connfd);  // the next client waits until this one closes
        Close(connfd);
    }
}
