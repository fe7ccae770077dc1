// SPDX-License-Identifier: MIT
// floodserv - answer every request 1000 times over, in capitals.
//
// usage: floodserv [-n times] [port]
//
// A student report's third experiment showed that close() with unread data
// sends RST instead of FIN.  Here each read() of up to 1024
// bytes is answered with one write() of the same bytes upper-cased and
// repeated `times` times (default 1000, at most 10000): `Hello,World!` is
// 12 bytes in, 12000 out.  A client that reads only 1 KiB and closes leaves the rest unread in
// its receive buffer, and close() with unread data makes its kernel send
// RST, not FIN.
//
// In tcpview (`--run './floodserv 0' --run './oneshotcli 127.0.0.1 {port} Hello,World!'`):
// a large data segment from the server, then an RST from the client:
// "the client called close() with unread data in its receive buffer".
// The server's next write or read fails with ECONNRESET (printed here).
#include "unp.h"

#include <cctype>
#include <string>

int main(int argc, char **argv)
{
    long times = 1000;
    int opt;
    // -h/--help before getopt sees them
    check_usage(argc, argv, true, "usage: floodserv [-n times] [port]");
    while ((opt = getopt(argc, argv, "n:")) != -1) {
        char *end = nullptr;
        if (opt == 'n')
            times = strtol(optarg, &end, 10);
        if (opt != 'n' || *end != '\0' || times < 1 || times > 10000)  // at most 10 MB per answer
            err_quit("usage: floodserv [-n times] [port]");
    }
    if (argc - optind > 1)
        err_quit("usage: floodserv [-n times] [port]");
    int port = optind < argc ? Parse_port(argv[optind]) : SERV_PORT;

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
    Signal(SIGPIPE, SIG_IGN);  // the client's RST shows up as EPIPE/ECONNRESET below

    for (;;) {
        int connfd = Accept(listenfd, nullptr, nullptr);
        char buf[1024];
        ssize_t n;
        while ((n = read(connfd, buf, sizeof buf)) > 0) {
            std::string answer;
            for (ssize_t i = 0; i < n; i++)
                buf[i] = static_cast<char>(toupper(static_cast<unsigned char>(buf[i])));
            for (long k = 0; k < times; k++)
                answer.append(buf, static_cast<size_t>(n));
            printf("read %zd bytes, writing %zu\n", n, answer.size());
            fflush(stdout);
            if (writen(connfd, answer.data(), answer.size()) < 0) {
                err_ret("write error");
                break;
            }
        }
        if (n < 0)
            err_ret("read error");  // ECONNRESET: the client closed with unread data
        Close(connfd);
    }
}
