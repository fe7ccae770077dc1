// SPDX-License-Identifier: MIT
// tcpcli10 - the echo client (str_cli), but it ends the connection with
// an abortive close: SO_LINGER with l_onoff = 1 and l_linger = 0 makes
// close() discard anything unsent and send RST instead of FIN.
//
// usage: tcpcli10 <IPaddress> [port]      (default 9877)
//
// Observe: type a line or two, then Ctrl-D.  tcpdump -i lo shows an R
// segment where tcpcli01 sends F; the server's child gets "Connection
// reset by peer" from read() instead of EOF (tcpserv04 prints
// "str_echo: read error: Connection reset by peer"), the server itself
// keeps serving, and this end skips TIME_WAIT (`ss -tan state time-wait`
// shows nothing for it).  An RST is for errors: a normal client closes
// with FIN.
#include "unp.h"

int main(int argc, char **argv)
{
    int sockfd;
    struct sockaddr_in servaddr;
    struct linger ling;

    check_usage(argc, argv, argc == 2 || argc == 3, "usage: tcpcli10 <IPaddress> [port]");
    int port = argc == 3 ? Parse_server_port(argv[2]) : SERV_PORT;

    sockfd = Socket(AF_INET, SOCK_STREAM, 0);

    bzero(&servaddr, sizeof servaddr);
    servaddr.sin_family = AF_INET;
    servaddr.sin_port = htons(port);
    Inet_pton(AF_INET, argv[1], &servaddr.sin_addr);

    Connect(sockfd, (SA *) &servaddr, sizeof servaddr);

    str_cli(stdin, sockfd);

    ling.l_onoff = 1;   // linger on close ...
    ling.l_linger = 0;  // ... for 0 seconds: abort, RST
    Setsockopt(sockfd, SOL_SOCKET, SO_LINGER, &ling, sizeof ling);
    Close(sockfd);

    exit(0);
}
