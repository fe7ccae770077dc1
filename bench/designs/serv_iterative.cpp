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

#include <string>

int main(int argc, char **argv)
{
    check_usage(argc, argv, argc <= 2, "usage: serv_iterative [port]");
    int port = argc == 2 ? Parse_port(argv[1]) : SERV_PORT;
    Signal(SIGPIPE, SIG_IGN);  // a client gone mid-reply: EPIPE, not death

    // Every design listens the same way (socket, SO_REUSEADDR, bind, listen),
    // as the book's chapter 30 servers do: what differs is what comes after.
    int listenfd = Tcp_listen("0.0.0.0", std::to_string(port).c_str(), nullptr);
    print_listening(listenfd);

    for (;;) {
        int connfd = Accept(listenfd, nullptr, nullptr);
        serve_client(connfd);  // the next client waits until this one closes
        Close(connfd);
    }
}
