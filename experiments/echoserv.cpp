// SPDX-License-Identifier: MIT
// echoserv - an iterative echo server bound to the address you choose.
//
// usage: echoserv [--addr IPaddress] [--port port]
//
// The student reports' echo server with --addr and --port (default
// 127.0.0.1 and 9877; port 0 lets the kernel choose).  The address given to
// bind() decides who can connect:
//   --addr 127.0.0.1   only connections to 127.0.0.1 (a connect to
//                      127.0.0.2, also this machine, is refused with RST)
//   --addr 0.0.0.0     connections to any address of this machine
// Iterative: one client at a time.  A second client still connects (the
// kernel completes its handshake from the listen backlog) but gets no echo
// until the first one leaves.  A second server on the same port fails
// with "bind error: Address already in use"; on another port it works.
//
// In tcpview: `tcpview --run './echoserv --port 0' --run './linecli --port {port}'`
// shows the handshake, each line as a data segment and its echo, and the
// FIN of whichever side closes first.
#include "unp.h"

#include <string>

int main(int argc, char **argv)
{
    const char *addr = "127.0.0.1";
    const char *port = SERV_PORT_STR;
    check_usage(argc, argv, argc % 2 == 1, "usage: echoserv [--addr IPaddress] [--port port]");
    for (int i = 1; i < argc; i += 2) {
        std::string opt = argv[i];
        if (i + 1 >= argc || (opt != "--addr" && opt != "--port"))
            err_quit("usage: echoserv [--addr IPaddress] [--port port]");
        (opt == "--addr" ? addr : port) = argv[i + 1];
    }

    struct sockaddr_storage ss {};
    socklen_t sslen;
    int family = strchr(addr, ':') ? AF_INET6 : AF_INET;
    if (family == AF_INET) {
        auto *sin = (struct sockaddr_in *) &ss;
        sin->sin_family = AF_INET;
        sin->sin_port = htons(static_cast<uint16_t>(Parse_port(port)));
        Inet_pton(AF_INET, addr, &sin->sin_addr);
        sslen = sizeof *sin;
    } else {
        auto *sin6 = (struct sockaddr_in6 *) &ss;
        sin6->sin6_family = AF_INET6;
        sin6->sin6_port = htons(static_cast<uint16_t>(Parse_port(port)));
        Inet_pton(AF_INET6, addr, &sin6->sin6_addr);
        sslen = sizeof *sin6;
    }

    int listenfd = Socket(family, SOCK_STREAM, 0);
    const int on = 1;
    Setsockopt(listenfd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
    Bind(listenfd, (SA *) &ss, sslen);  // which address: the lesson
    Listen(listenfd, LISTENQ);
    print_listening(listenfd);
    Signal(SIGPIPE, SIG_IGN);  // a client that vanishes is an error to report, not a signal

    for (;;) {
        struct sockaddr_storage cliaddr {};
        socklen_t clilen = sizeof cliaddr;
        int connfd = Accept(listenfd, (SA *) &cliaddr, &clilen);
        printf("connection from %s\n", Sock_ntop((SA *) &cliaddr, clilen));
        fflush(stdout);

        char buf[MAXLINE];
        ssize_t n;
        int error = 0;
        while ((n = read(connfd, buf, sizeof buf)) > 0) {  // echo whatever arrives
            if (writen(connfd, buf, static_cast<size_t>(n)) < 0) {
                error = errno;
                break;
            }
        }
        if (n < 0)
            error = errno;
        if (error)  // e.g. ECONNRESET: report it and serve the next client
            err_msg("read/write error: %s", strerror(error));
        printf("connection from %s closed\n", Sock_ntop((SA *) &cliaddr, clilen));
        fflush(stdout);
        Close(connfd);
    }
}
