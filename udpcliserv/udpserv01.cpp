// SPDX-License-Identifier: MIT
// udpserv01 - the book's UDP echo server (chapter 8): one socket, no
// listen, no accept, no fork; every datagram is sent back to its sender.
//
// usage: udpserv01 [port]      (default 9877; 0: the kernel picks)
//
// Observe: run two udpcli01 clients at once: this one process answers
// both, datagram by datagram (`ss -uanp` shows one socket, no connection).
// A datagram of 0 bytes is echoed as 0 bytes; one of 65507 bytes (the
// largest over IPv4) comes back whole.  Nothing here knows if a reply
// arrived: a lost one is simply lost.
#include "unp.h"

int main(int argc, char **argv)
{
    int sockfd;
    struct sockaddr_in servaddr, cliaddr;
    const char *usage = "usage: udpserv01 [port]";

    check_usage(argc, argv, argc <= 2, usage);
    int port = argc == 2 ? Parse_port(argv[1]) : SERV_PORT;

    sockfd = Socket(AF_INET, SOCK_DGRAM, 0);                       //@blank (a) socket(): an IPv4 UDP socket

    bzero(&servaddr, sizeof servaddr);
    servaddr.sin_family = AF_INET;
    servaddr.sin_addr.s_addr = htonl(INADDR_ANY);                  //@blank (b) sin_addr: any interface, in network byte order
    servaddr.sin_port = htons(static_cast<uint16_t>(port));        //@blank (c) sin_port: the port, in network byte order

    Bind(sockfd, (SA *) &servaddr, sizeof servaddr);  //@blank (d) bind(): the socket to servaddr
    print_listening(sockfd);

    dg_echo(sockfd, (SA *) &cliaddr, sizeof cliaddr);  // never returns
}
