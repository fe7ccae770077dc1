// SPDX-License-Identifier: MIT
// tcpcli11 - an echo client that writes each line in two steps: one byte,
// a pause of a second, then the rest (the book's str_cli11), to show what
// writing to a connection the other end has closed does.
//
// usage: tcpcli11 <IPaddress> [port]      (default 9877)
//
// Observe: type a line against tcpserv04: it comes back after a second.
// Now kill the server's child for this connection (`kill <child pid>`,
// see `ps --ppid <server pid>`): its TCP sends FIN, which this client does
// not notice while it waits in fgets.  Type another line.  The first byte
// is sent and the server's TCP, which has no socket for it any more,
// answers with RST.  After the pause, writing the rest to a reset
// connection raises SIGPIPE, whose default action ends the client: the
// shell's `echo $?` prints 141 (128 + SIGPIPE).  tcpdump -i lo shows the
// FIN, the one-byte segment and the RST.
#include "unp.h"

namespace {

void str_cli11(FILE *fp, int sockfd)
{
    char sendline[MAXLINE], recvline[MAXLINE];

    while (Fgets(sendline, MAXLINE, fp) != NULL) {
        size_t len = strlen(sendline);
        Writen(sockfd, sendline, 1);  // the first byte: provokes the RST
        sleep(1);                     // time for the RST to come back
        Writen(sockfd, sendline + 1, len - 1);  // writing after an RST: SIGPIPE

        if (Readline(sockfd, recvline, MAXLINE) == 0)
            err_quit("str_cli: server terminated prematurely");
        Fputs(recvline, stdout);
        fflush(stdout);
    }
}

}  // namespace

int main(int argc, char **argv)
{
    int sockfd;
    struct sockaddr_in servaddr;

    check_usage(argc, argv, argc == 2 || argc == 3, "usage: tcpcli11 <IPaddress> [port]");
    int port = argc == 3 ? Parse_server_port(argv[2]) : SERV_PORT;

    sockfd = Socket(AF_INET, SOCK_STREAM, 0);

    bzero(&servaddr, sizeof servaddr);
    servaddr.sin_family = AF_INET;
    servaddr.sin_port = htons(port);
    Inet_pton(AF_INET, argv[1], &servaddr.sin_addr);

    Connect(sockfd, (SA *) &servaddr, sizeof servaddr);

    str_cli11(stdin, sockfd);

    exit(0);
}
