// SPDX-License-Identifier: MIT
// serv_fork - one child process per client (the book's tcpserv04 design).
//
// Usage: serv_fork [port]        (port 0: the kernel picks one)
//
// The parent only accepts; each client gets a fork()ed child that serves
// it and exits.  Clients no longer wait for each other, but every
// connection pays for a fork(), an exit() and a SIGCHLD: the bench shows
// that cost per connection, and shows it vanish when a client keeps its
// connection for many requests (loadgen -k).
// Observe: `loadgen -c 1 -n 2000 -- serv_fork 0` against serv_iterative:
// fewer connections per second, and several times the server CPU.
#include "service.h"
#include "sigchld.h"
#include "unp.h"

#include <string>

int main(int argc, char **argv)
{
    check_usage(argc, argv, argc <= 2, "usage: serv_fork [port]");
    int port = argc == 2 ? Parse_port(argv[1]) : SERV_PORT;
    Signal(SIGPIPE, SIG_IGN);  // a client gone mid-reply: EPIPE, not death

    // Every design listens the same way (socket, SO_REUSEADDR, bind, listen),
    // as the book's chapter 30 servers do: what differs is what comes after.
    int listenfd = Tcp_listen("0.0.0.0", std::to_string(port).c_str(), nullptr);
    print_listening(listenfd);

    sigchld_quiet(1);  // thousands of connections: no line per child
    Signal(SIGCHLD, sig_chld_waitpid);  // reap every child; accept() restarts

    for (;;) {
        int connfd = Accept(listenfd, nullptr, nullptr);
        if (Fork() == 0) {   // child
            Close(listenfd); // the parent keeps listening
            serve_client(connfd);
            exit(0);         // closes connfd
        }
        Close(connfd);       // parent: the child has its own reference
    }
}
