// SPDX-License-Identifier: MIT
// tcpcli01 - the book's echo client: connect, then for each line of
// standard input send it, read back the echo and print it (str_cli).
//
// usage: tcpcli01 <IPaddress> [port]      (default 9877)
//
// Observe: type lines and see them come back; Ctrl-D (EOF) ends the
// client cleanly and its TCP sends FIN; `ss -tn` shows the connection
// from both ends, the server's port on one side and an ephemeral port on
// the other.  If the server dies while you type, the next line gets
// "str_cli: server terminated prematurely".
#include "unp.h"

int main(int argc, char **argv)
{
    int sockfd = -1;
    struct sockaddr_in servaddr;

    check_usage(argc, argv, argc == 2 || argc == 3, "usage: tcpcli01 <IPaddress> [port]");
    int port = argc == 3 ? Parse_server_port(argv[2]) : SERV_PORT;

    sockfd = Socket(AF_INET, SOCK_STREAM, 0);                       //@blank (o) socket(): an IPv4 TCP socket

    bzero(&servaddr, sizeof servaddr);
    servaddr.sin_family = AF_INET;
    servaddr.sin_port = htons(port);
    Inet_pton(AF_INET, argv[1], &servaddr.sin_addr);

    Connect(sockfd, (SA *) &servaddr, sizeof servaddr);             //@blank (p) connect(): to the server

    str_cli(stdin, sockfd);  // does it all

    exit(0);
}
