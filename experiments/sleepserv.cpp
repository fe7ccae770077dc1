// SPDX-License-Identifier: MIT
// sleepserv - wait before every read, so the client's writes pile up.
//
// usage: sleepserv [-s milliseconds | -w] [port]
//
// A student report's fourth experiment showed that several write()s can
// arrive as one read().  Before each read() of up to
// 1024 bytes the server sleeps (-s, default 5000 ms), then answers what it
// read in capitals.  Meanwhile the client's small writes arrive and wait in
// the server's receive buffer: one read() returns all of them at once.
// TCP is a byte stream; the boundaries of the client's write()s are gone.
// With -w the server waits for a line on its stdin (press Enter) instead
// of sleeping, so you decide when it reads.
//
// In tcpview (`--run './sleepserv -s 1000 0' --run './burstcli 127.0.0.1 {port}'`):
// four data segments from the client, each acknowledged at once by the
// server's kernel, then, a second later, one answer holding all 520 bytes.
#include "unp.h"

#include <cctype>

int main(int argc, char **argv)
{
    long sleep_ms = 5000;
    bool wait_enter = false;
    int opt;
    // -h/--help before getopt sees them
    check_usage(argc, argv, true, "usage: sleepserv [-s milliseconds | -w] [port]");
    while ((opt = getopt(argc, argv, "s:w")) != -1) {
        char *end = nullptr;
        if (opt == 'w') {
            wait_enter = true;
            continue;
        }
        if (opt == 's')
            sleep_ms = strtol(optarg, &end, 10);
        if (opt != 's' || *end != '\0' || sleep_ms < 0)
            err_quit("usage: sleepserv [-s milliseconds | -w] [port]");
    }
    if (argc - optind > 1)
        err_quit("usage: sleepserv [-s milliseconds | -w] [port]");
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
    Signal(SIGPIPE, SIG_IGN);

    for (;;) {
        int connfd = Accept(listenfd, nullptr, nullptr);
        char buf[1024];
        ssize_t n;
        for (;;) {
            if (wait_enter) {
                printf("press Enter to read\n");
                fflush(stdout);
                char line[MAXLINE];
                if (Fgets(line, sizeof line, stdin) == nullptr)
                    wait_enter = false;  // stdin closed: read at once from now on
            } else {
                struct timespec ts = {sleep_ms / 1000, (sleep_ms % 1000) * 1000000};
                nanosleep(&ts, nullptr);  // the client's writes pile up meanwhile
            }
            if ((n = read(connfd, buf, sizeof buf)) <= 0)
                break;
            printf("read %zd bytes in one read()\n", n);
            fflush(stdout);
            for (ssize_t i = 0; i < n; i++)
                buf[i] = static_cast<char>(toupper(static_cast<unsigned char>(buf[i])));
            if (writen(connfd, buf, static_cast<size_t>(n)) < 0) {
                err_ret("write error");
                break;
            }
        }
        if (n < 0)
            err_ret("read error");
        Close(connfd);
    }
}
