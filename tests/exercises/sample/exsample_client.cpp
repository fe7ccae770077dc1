// SPDX-License-Identifier: MIT
// The sample lab's client: sends each line of stdin to the echo server and
// prints what comes back, until EOF on stdin.
//
// usage: exsample_client <IPaddress> [port]
#include "unp.h"

int main(int argc, char **argv)
{
    int sockfd;
    struct sockaddr_in servaddr;
    char sendline[MAXLINE], recvline[MAXLINE];

    check_usage(argc, argv, argc == 2 || argc == 3, "usage: exsample_client <IPaddress> [port]");
    int port = argc == 3 ? Parse_server_port(argv[2]) : SERV_PORT;

    sockfd = Socket(AF_INET, SOCK_STREAM, 0);                   //@blank (f) socket()
    bzero(&servaddr, sizeof servaddr);
    servaddr.sin_family = AF_INET;
    servaddr.sin_port = htons(port);
    Inet_pton(AF_INET, argv[1], &servaddr.sin_addr);
    Connect(sockfd, (SA *) &servaddr, sizeof servaddr);         //@blank (g) connect()

    while (Fgets(sendline, sizeof sendline, stdin) != NULL) {
        Writen(sockfd, sendline, strlen(sendline));             //@blank (h) write() the line
        //@blank-begin (i) read the echoed line with Readline; EOF: the server is gone
        if (Readline(sockfd, recvline, sizeof recvline) == 0)
            err_quit("str_cli: server terminated prematurely");
        //@blank-end
        Fputs(recvline, stdout);
        fflush(stdout);
    }
    Close(sockfd);
    return 0;
}
