// SPDX-License-Identifier: MIT
// httpserv01 - an iterative HTTP/1.0 file server: one client at a time,
// one request per connection, then close.  The first step of the HTTP lab,
// and the simplest correct server (tiny.c's shape, with its gaps filled:
// a time limit, limits on the request's size, confinement to DIR).
//
// usage: httpserv01 [-d DIR] [-t SECONDS] [port]
//        (DIR: default "."; SECONDS: the request timeout, default 10;
//         port: default 9877, 0 lets the kernel pick)
//
// Every answer is HTTP/1.0 with "Connection: close": the server closes
// first, so a browser opens a new connection (and a new handshake) for the
// page, the stylesheet, the favicon and each image.  One line per request
// on stdout, in Common Log Format (plus the client's port).
//
// Observe: open http://127.0.0.1:PORT/ in a browser and read the log: one
// port per request.  Then, in another terminal, `nc 127.0.0.1 PORT` and
// type nothing: the browser's next reload waits until that client is
// answered 408 after SECONDS - an iterative server serves one at a time.
#include "unp.h"
#include "blocking.hpp"

int main(int argc, char **argv)
{
    int listenfd, connfd, on = 1;
    struct sockaddr_in servaddr, cliaddr;
    socklen_t clilen;

    http::ServerArgs args = http::parse_args(argc, argv, "usage: httpserv01 [-d DIR] [-t SECONDS] [port]");
    http::Site site = http::open_site("httpserv01", args, false);  // false: HTTP/1.0, close after each answer

    listenfd = Socket(AF_INET, SOCK_STREAM, 0);
    Setsockopt(listenfd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);  // restart at once after a stop
    bzero(&servaddr, sizeof servaddr);
    servaddr.sin_family = AF_INET;
    servaddr.sin_addr.s_addr = htonl(INADDR_ANY);
    servaddr.sin_port = htons(static_cast<uint16_t>(args.port));
    Bind(listenfd, (SA *) &servaddr, sizeof servaddr);
    Listen(listenfd, LISTENQ);
    print_listening(listenfd);
    fprintf(stderr, "httpserv01: serving %s (%s)\n", site.path().c_str(),
            site.kernel_checked() ? "openat2 RESOLVE_BENEATH" : "fallback: openat O_NOFOLLOW per component");

    Signal(SIGPIPE, SIG_IGN);  // a client gone mid-answer: EPIPE, not death

    for (;;) {
        clilen = sizeof cliaddr;
        connfd = accept(listenfd, (SA *) &cliaddr, &clilen);
        if (connfd < 0) {
            if (errno != EINTR && errno != ECONNABORTED && errno != EPROTO)
                err_ret("accept error");  // e.g. EMFILE: keep serving the others
            continue;
        }
        http::serve_connection(connfd, site, (SA *) &cliaddr, clilen, args.timeout);
        Close(connfd);
    }
}
