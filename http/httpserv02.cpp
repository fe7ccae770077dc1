// SPDX-License-Identifier: MIT
// httpserv02 - an HTTP/1.1 file server with a child process per
// connection, and keep-alive: one connection carries request after request
// until the client closes it, asks "Connection: close", or stays idle past
// the timeout.
//
// usage: httpserv02 [-d DIR] [-t SECONDS] [port]
//        (DIR: default "."; SECONDS: the request and idle timeout, default
//         10; port: default 9877, 0 lets the kernel pick)
//
// Observe: load http://127.0.0.1:PORT/ in a browser.  The log (Common Log
// Format, plus the client's port) shows a few ports, each with several
// requests: the browser opens some connections at once (it does not know
// yet how many files the page needs) and reuses each.  `ps --forest`
// shows a child per open connection; after SECONDS of quiet the children
// close their connections and exit, and SIGCHLD reaps them (no zombies).
#include "unp.h"
#include "sigchld.h"
#include "blocking.hpp"

int main(int argc, char **argv)
{
    int listenfd, connfd, on = 1;
    pid_t childpid;
    struct sockaddr_in servaddr, cliaddr;
    socklen_t clilen;

    http::ServerArgs args = http::parse_args(argc, argv, "usage: httpserv02 [-d DIR] [-t SECONDS] [port]");
    http::Site site = http::open_site("httpserv02", args, true);  // true: HTTP/1.1, keep-alive

    listenfd = Socket(AF_INET, SOCK_STREAM, 0);                     //@blank (a) socket(): an IPv4 TCP socket
    Setsockopt(listenfd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
    bzero(&servaddr, sizeof servaddr);
    servaddr.sin_family = AF_INET;
    servaddr.sin_addr.s_addr = htonl(INADDR_ANY);
    servaddr.sin_port = htons(static_cast<uint16_t>(args.port));
    Bind(listenfd, (SA *) &servaddr, sizeof servaddr);  //@blank (b) bind(): the address above
    Listen(listenfd, LISTENQ);                                      //@blank (c) listen()
    print_listening(listenfd);
    fprintf(stderr, "httpserv02: serving %s (%s)\n", site.path().c_str(),
            site.kernel_checked() ? "openat2 RESOLVE_BENEATH" : "fallback: openat O_NOFOLLOW per component");

    sigchld_quiet(1);                   // the request log is the record
    Signal(SIGCHLD, sig_chld_waitpid);  // reap every child: no zombies  //@blank (d) the SIGCHLD handler (sigchld.h)
    Signal(SIGPIPE, SIG_IGN);           // a client gone mid-answer: EPIPE, not death

    for (;;) {
        clilen = sizeof cliaddr;
        connfd = accept(listenfd, (SA *) &cliaddr, &clilen);  //@blank (e) accept(): the next client, and its address
        if (connfd < 0) {
            if (errno != EINTR && errno != ECONNABORTED && errno != EPROTO)
                err_ret("accept error");  // e.g. EMFILE: keep serving the others
            continue;  // EINTR: SIGCHLD arrived while we waited
        }
        childpid = fork();                                          //@blank (f) fork(): a process for this client
        if (childpid == 0) {
            Close(listenfd);  // the child serves one connection and never accepts  //@blank (g) close(): what the child does not need
            http::serve_connection(connfd, site, (SA *) &cliaddr, clilen, args.timeout);
            Close(connfd);
            exit(0);
        }
        if (childpid < 0)  // out of processes: turn this client away, keep serving
            err_ret("httpserv02: fork error");
        Close(connfd);  // the parent's copy: the child has its own  //@blank (h) close(): what the parent does not need
    }
}
