// SPDX-License-Identifier: MIT
// upperserv - read once, answer in capitals, close.
//
// usage: upperserv [port]
//
// A student report's first experiment showed that a client may still
// write() after the server has closed, and gets an RST for it.  For each
// client here: one read()
// of at most 100 bytes, one write() of the same bytes upper-cased, then
// close().  A client that sends more after reading the answer writes to a
// socket that no longer exists.
//
// In tcpview (`--run './upperserv 0' --run './oneshotcli 127.0.0.1 {port} hello again'`):
// the server's data and its FIN (it closes first), then the client's late
// data, answered by an RST from the server: "data arrived after the
// server's close()".
#include "unp.h"

#include <cctype>

int main(int argc, char **argv)
{
    check_usage(argc, argv, argc <= 2, "usage: upperserv [port]");
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
    Signal(SIGPIPE, SIG_IGN);  // a vanished client is reported, not fatal

    for (;;) {
        int connfd = Accept(listenfd, nullptr, nullptr);
        char buf[100];
        ssize_t n = read(connfd, buf, sizeof buf);  // once: whatever has arrived, at most 100 bytes
        if (n < 0) {
            err_ret("read error");
        } else {
            printf("read %zd bytes: %.*s\n", n, static_cast<int>(n), buf);
            fflush(stdout);
            for (ssize_t i = 0; i < n; i++)
                buf[i] = static_cast<char>(toupper(static_cast<unsigned char>(buf[i])));
            if (writen(connfd, buf, static_cast<size_t>(n)) < 0)
                err_ret("write error");
        }
        Close(connfd);  // FIN; anything the client sends from now on gets RST
    }
}
