// SPDX-License-Identifier: MIT
// eofserv - read everything until end of file, then answer once and close.
//
// usage: eofserv [port]
//
// A request whose end is the end of the stream, like a file sent to be
// sorted or counted: the server cannot answer before the client's FIN.
// So the client must say "done" with shutdown(SHUT_WR) and keep its socket
// open for reading; had it called close(), the answer would meet an RST.
// The answer is the text in capitals, at most 64 KiB.
//
// In tcpview (`--run './eofserv 0' --run './halfclosecli 127.0.0.1 {port} hello'`):
// the client's data, its FIN, then the server's answer - data after the
// client's FIN, acknowledged by the client: "that FIN was shutdown(SHUT_WR)".
#include "unp.h"

#include <cctype>
#include <string>

int main(int argc, char **argv)
{
    check_usage(argc, argv, argc <= 2, "usage: eofserv [port]");
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

    const size_t limit = 64 * 1024;
    for (;;) {
        int connfd = Accept(listenfd, nullptr, nullptr);
        std::string text;
        char buf[1024];
        ssize_t n;
        while ((n = read(connfd, buf, sizeof buf)) > 0)  // until the client's FIN
            if (text.size() < limit)
                text.append(buf, static_cast<size_t>(std::min<size_t>(n, limit - text.size())));
        if (n < 0) {
            err_ret("read error");
        } else {
            printf("end of file after %zu bytes; answering\n", text.size());
            fflush(stdout);
            for (char &ch : text)
                ch = static_cast<char>(toupper(static_cast<unsigned char>(ch)));
            if (writen(connfd, text.data(), text.size()) < 0)
                err_ret("write error");  // the client used close(), not shutdown()
        }
        Close(connfd);
    }
}
