// SPDX-License-Identifier: MIT
// daytimetcpcli - the book's first client: connect to a daytime server
// over IPv4 and print whatever it sends until it closes.
//
// usage: daytimetcpcli <IPaddress> [port]      (default 13)
//
// Observe: the server closes first, so read() returns 0 (EOF) and the
// loop ends; a port with no server gives "connect error: Connection
// refused" at once (the server's TCP answered the SYN with an RST).
#include "unp.h"

int main(int argc, char **argv)
{
    int sockfd = -1;
    ssize_t n = 0;
    char recvline[MAXLINE + 1];
    struct sockaddr_in servaddr;

    check_usage(argc, argv, argc == 2 || argc == 3, "usage: daytimetcpcli <IPaddress> [port]");
    int port = argc == 3 ? Parse_server_port(argv[2]) : 13;

    sockfd = Socket(AF_INET, SOCK_STREAM, 0);                       //@blank (g) socket(): an IPv4 TCP socket

    bzero(&servaddr, sizeof servaddr);
    servaddr.sin_family = AF_INET;
    servaddr.sin_port = htons(port);
    Inet_pton(AF_INET, argv[1], &servaddr.sin_addr);  // "127.0.0.1" to 4 bytes

    Connect(sockfd, (SA *) &servaddr, sizeof servaddr);             //@blank (h) connect(): to the server's address

    // TCP is a byte stream: the line may arrive in one read() or several.
    //@blank-begin (i) read(): until EOF, print each piece the server sent
    while ((n = read(sockfd, recvline, MAXLINE)) > 0) {
        recvline[n] = 0;  // null-terminate for fputs
        Fputs(recvline, stdout);
    }
    //@blank-end
    if (n < 0)
        err_sys("read error");

    Close(sockfd);
    exit(0);
}
