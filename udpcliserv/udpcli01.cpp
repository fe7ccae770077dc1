// SPDX-License-Identifier: MIT
// udpcli01 - the book's UDP echo client (chapter 8): each line of standard
// input is one datagram to the server, and the reply is printed (dg_cli).
//
// usage: udpcli01 <IPaddress> [port]      (default 9877)
//
// Observe: no connect(): the first sendto() gives the socket an ephemeral
// port.  Stop the server and type a line: the client blocks forever in
// recvfrom(), because nothing tells it the datagram went nowhere (the
// ICMP "port unreachable" that comes back is not reported to an
// unconnected socket: compare udpcliconnect).  The udpclitimeo_* clients
// give up after 2 s instead.
#include "unp.h"

int main(int argc, char **argv)
{
    int sockfd;
    struct sockaddr_in servaddr;
    const char *usage = "usage: udpcli01 <IPaddress> [port]";

    check_usage(argc, argv, argc == 2 || argc == 3, usage);
    int port = argc == 3 ? Parse_server_port(argv[2]) : SERV_PORT;

    bzero(&servaddr, sizeof servaddr);
    servaddr.sin_family = AF_INET;
    servaddr.sin_port = htons(static_cast<uint16_t>(port));        //@blank (f) sin_port: the server's port, in network byte order
    Inet_pton(AF_INET, argv[1], &servaddr.sin_addr);               //@blank (g) inet_pton(): the server's address from argv[1]

    sockfd = Socket(AF_INET, SOCK_DGRAM, 0);                       //@blank (h) socket(): an IPv4 UDP socket

    dg_cli(stdin, sockfd, (SA *) &servaddr, sizeof servaddr);

    exit(0);
}
