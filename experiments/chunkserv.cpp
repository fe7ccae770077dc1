// SPDX-License-Identifier: MIT
// chunkserv - read in 5-byte chunks, answer each chunk in capitals.
//
// usage: chunkserv [port]
//
// A student report's second experiment showed that one write() can come
// out as several read()s: read(connfd, buf, 5) in a
// loop until end of file, printing and upper-casing each chunk.  TCP keeps
// no message boundaries: a 20-byte write() from the client comes out as
// four 5-byte reads, and the four answers may leave as one segment or
// several.
//
// In tcpview: one data segment from the client, then several small ones
// from the server.  With `oneshotcli` (one read, then close) the client
// leaves while answers are still coming: RST.  With `halfclosecli` the
// client's FIN comes first, yet it still receives every chunk.
#include "unp.h"

#include <cctype>

int main(int argc, char **argv)
{
    check_usage(argc, argv, argc <= 2, "usage: chunkserv [port]");
    int port = argc == 2 ? Parse_port(argv[1]) : SERV_PORT;

    int listenfd = Socket(AF_INET, SOCK_STREAM, 0);
    const int on = 1;
    Setsockopt(listenfd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
    struct sockaddr_in servaddr;
    bzero(&servaddr, sizeof servaddr);
    servaddr.sin_family = AF_INET;
    servaddr.sin_addr.s_addr = htonl(INADDR_ANY);
    servaddr.sin_port = htons(static_cast<uint16_t>(port));
    Bind(listenfd, (SA *) &servaddr, sizeof servaddr);
    Listen(listenfd, LISTENQ);
    print_listening(listenfd);
    Signal(SIGPIPE, SIG_IGN);

    for (;;) {
        int connfd = Accept(listenfd, nullptr, nullptr);
        char buf[5];
        ssize_t n;
        while ((n = read(connfd, buf, sizeof buf)) > 0) {
            printf("read %zd bytes: %.*s\n", n, static_cast<int>(n), buf);
            fflush(stdout);
            for (ssize_t i = 0; i < n; i++)
                buf[i] = static_cast<char>(toupper(static_cast<unsigned char>(buf[i])));
            if (writen(connfd, buf, static_cast<size_t>(n)) < 0) {
                err_ret("write error");  // the client is gone (EPIPE, ECONNRESET)
                break;
            }
        }
        if (n < 0)
            err_ret("read error");
        Close(connfd);
    }
}
