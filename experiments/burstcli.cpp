// SPDX-License-Identifier: MIT
// burstcli - several small writes in a row, then one read.
//
// usage: burstcli <IPaddress> <port> [count]
//
// The client of a student report's fourth experiment, which showed that
// several write()s can arrive as one read(): `count` (default 4) writes
// of "Hello, World!" ten times (130 bytes each), back to back, then one
// read() of at most 1024 bytes and close().  Against sleepserv, whose
// read() comes late, all the writes are already waiting in the server's
// buffer and come back as one answer: TCP keeps no write boundaries.
#include "unp.h"

#include <string>

int main(int argc, char **argv)
{
    check_usage(argc, argv, argc == 3 || argc == 4, "usage: burstcli <IPaddress> <port> [count]");
    long count = 4;
    if (argc == 4) {
        char *end = nullptr;
        count = strtol(argv[3], &end, 10);
        if (*end != '\0' || count < 1 || count > 7)  // the answer must fit one 1 KiB read
            err_quit("usage: burstcli <IPaddress> <port> [count]   (count: 1 to 7)");
    }

    struct sockaddr_in servaddr;

    bzero(&servaddr, sizeof servaddr);
    servaddr.sin_family = AF_INET;
    servaddr.sin_port = htons(static_cast<uint16_t>(Parse_server_port(argv[2])));
    Inet_pton(AF_INET, argv[1], &servaddr.sin_addr);

    int sockfd = Socket(AF_INET, SOCK_STREAM, 0);
    Connect(sockfd, (SA *) &servaddr, sizeof servaddr);

    std::string message;
    for (int i = 0; i < 10; i++)
        message += "Hello, World!";
    for (long i = 0; i < count; i++) {
        Writen(sockfd, message.data(), message.size());  // one write() each
        printf("wrote %zu bytes\n", message.size());
    }
    fflush(stdout);

    char buf[1024];
    ssize_t n = Read(sockfd, buf, sizeof buf);
    printf("read %zd bytes in one read()\n", n);
    Close(sockfd);
    return 0;
}
