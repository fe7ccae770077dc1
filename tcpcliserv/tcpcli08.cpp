// SPDX-License-Identifier: MIT
// tcpcli08 - the client for tcpserv08: sends each line of standard input
// ("2 5") and prints the server's answer ("7", or "input error").
//
// usage: tcpcli08 <IPaddress> [port]      (default 9877)
//
// Observe: the numbers travel as text, so this client and the server need
// not agree on byte order or integer sizes; compare tcpcli09.
#include "unp.h"

#include <iostream>
#include <string>

int main(int argc, char **argv)
{
    int sockfd;
    struct sockaddr_in servaddr;
    char recvline[MAXLINE];

    check_usage(argc, argv, argc == 2 || argc == 3, "usage: tcpcli08 <IPaddress> [port]");
    int port = argc == 3 ? Parse_server_port(argv[2]) : SERV_PORT;

    sockfd = Socket(AF_INET, SOCK_STREAM, 0);

    bzero(&servaddr, sizeof servaddr);
    servaddr.sin_family = AF_INET;
    servaddr.sin_port = htons(port);
    Inet_pton(AF_INET, argv[1], &servaddr.sin_addr);

    Connect(sockfd, (SA *) &servaddr, sizeof servaddr);

    // A whole line at a time, however long: the server answers once per
    // line, so we must never send a line in pieces and wait in between.
    std::string sendline;
    while (std::getline(std::cin, sendline)) {
        sendline += '\n';
        Writen(sockfd, sendline.data(), sendline.size());
        if (Readline(sockfd, recvline, sizeof recvline) == 0)
            err_quit("str_cli: server terminated prematurely");
        Fputs(recvline, stdout);
        fflush(stdout);  // show each answer at once, even into a pipe
    }

    exit(0);
}
