// SPDX-License-Identifier: MIT
// oneshotcli - send one message, read once, close (maybe after sending more).
//
// usage: oneshotcli <IPaddress> <port> <message> [late message]
//
// The client of a student report's experiments (a late write meets an
// RST; unread data at close sends one): connect(), write() the message, one read()
// of at most 1024 bytes, close().  It reads only once, whatever the server
// sends, so:
//   with upperserv   it gets the whole answer; with a late message, that
//                    message reaches a server that has closed: RST;
//   with chunkserv   it gets the first chunk(s) and leaves: RST;
//   with floodserv   it reads 1 KiB of 12000 bytes and closes with the rest
//                    unread: its own kernel sends RST instead of FIN.
#include "unp.h"

#include <poll.h>

int main(int argc, char **argv)
{
    check_usage(argc, argv, argc == 4 || argc == 5,
                "usage: oneshotcli <IPaddress> <port> <message> [late message]");

    struct sockaddr_in servaddr;

    bzero(&servaddr, sizeof servaddr);
    servaddr.sin_family = AF_INET;
    servaddr.sin_port = htons(static_cast<uint16_t>(Parse_server_port(argv[2])));
    Inet_pton(AF_INET, argv[1], &servaddr.sin_addr);
    Signal(SIGPIPE, SIG_IGN);  // writing after an RST: EPIPE, printed below

    int sockfd = Socket(AF_INET, SOCK_STREAM, 0);
    Connect(sockfd, (SA *) &servaddr, sizeof servaddr);
    Writen(sockfd, argv[3], strlen(argv[3]));

    char buf[1024];
    ssize_t n = Read(sockfd, buf, sizeof buf);  // one read, as the report's recv(1024)
    printf("read %zd bytes: %.*s\n", n, static_cast<int>(n < 60 ? n : 60), buf);
    fflush(stdout);

    if (argc == 5) {
        // Wait (at most 10 s) until the server's FIN has arrived, so the late
        // message surely meets a closed socket.  The write still succeeds:
        // it only hands the bytes to our kernel; the server's answers RST.
        struct pollfd pfd = {sockfd, POLLRDHUP, 0};
        poll(&pfd, 1, 10000);  // returns as soon as the FIN is in
        if (writen(sockfd, argv[4], strlen(argv[4])) < 0)
            err_ret("late write");
        else
            printf("wrote %zu more bytes\n", strlen(argv[4]));
        n = read(sockfd, buf, sizeof buf);
        if (n < 0)
            err_ret("read after the late write");
        else
            printf("read after the late write: %zd bytes%s\n", n, n == 0 ? " (end of file)" : "");
    }
    Close(sockfd);  // with unread data in the buffer: RST instead of FIN
    return 0;
}
