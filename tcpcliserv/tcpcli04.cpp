// SPDX-License-Identifier: MIT
// tcpcli04 - an echo client that opens five connections to the server,
// uses only the first one (str_cli), and exits: the kernel then closes all
// five at once, so the server's five children end at about the same time.
//
// usage: tcpcli04 <IPaddress> [port]      (default 9877)
//
// Observe: run it against tcpserv03 and tcpserv04 and type Ctrl-D (or
// `tcpcli04 127.0.0.1 < /dev/null`).  Count the "child <pid> terminated"
// lines each server prints and the zombies `ps` shows: signals are not
// queued, so one SIGCHLD may stand for several children.
#include "unp.h"

int main(int argc, char **argv)
{
    int sockfd[5];
    struct sockaddr_in servaddr;

    check_usage(argc, argv, argc == 2 || argc == 3, "usage: tcpcli04 <IPaddress> [port]");
    int port = argc == 3 ? Parse_server_port(argv[2]) : SERV_PORT;

    bzero(&servaddr, sizeof servaddr);
    servaddr.sin_family = AF_INET;
    servaddr.sin_port = htons(port);
    Inet_pton(AF_INET, argv[1], &servaddr.sin_addr);

    for (int i = 0; i < 5; i++) {
        sockfd[i] = Socket(AF_INET, SOCK_STREAM, 0);
        Connect(sockfd[i], (SA *) &servaddr, sizeof servaddr);
    }

    str_cli(stdin, sockfd[0]);  // the first connection does the work

    exit(0);  // closes all five: five FINs, five children ending together
}
