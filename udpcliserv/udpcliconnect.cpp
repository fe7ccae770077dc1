// SPDX-License-Identifier: MIT
// udpcliconnect - the echo client on a connected UDP socket (book 8.11):
// connect() sends nothing, it records the server's address, so then
//   - write()/read() replace sendto()/recvfrom();
//   - only the server's datagrams are delivered (no wrong-peer check needed);
//   - the ICMP "port unreachable" that answers a datagram sent to a port
//     where nothing listens is reported: the next read() fails with
//     ECONNREFUSED.
//
// usage: udpcliconnect <IPaddress> [port]      (default 9877)
//
// Observe: with no server on the port, type a line: "read error:
// Connection refused" at once, where udpcli01 waits forever.  getsockname()
// after connect() shows the local address the kernel chose for the route.
#include "unp.h"

int main(int argc, char **argv)
{
    int sockfd;
    struct sockaddr_in servaddr;
    struct sockaddr_storage local;
    socklen_t len;
    char *sendline = nullptr, recvline[MAXLINE];
    size_t cap = 0;
    ssize_t n;
    const char *usage = "usage: udpcliconnect <IPaddress> [port]";

    check_usage(argc, argv, argc == 2 || argc == 3, usage);
    int port = argc == 3 ? Parse_server_port(argv[2]) : SERV_PORT;

    bzero(&servaddr, sizeof servaddr);
    servaddr.sin_family = AF_INET;
    servaddr.sin_port = htons(static_cast<uint16_t>(port));
    Inet_pton(AF_INET, argv[1], &servaddr.sin_addr);

    sockfd = Socket(AF_INET, SOCK_DGRAM, 0);
    Connect(sockfd, (SA *) &servaddr, sizeof servaddr);
    len = sizeof local;
    Getsockname(sockfd, (SA *) &local, &len);
    err_msg("connected: local address %s", Sock_ntop((SA *) &local, len));

    while ((n = getline(&sendline, &cap, stdin)) > 0) {
        Write(sockfd, sendline, static_cast<size_t>(n));
        ssize_t got = Read(sockfd, recvline, sizeof recvline);  // ECONNREFUSED: "read error: Connection refused"
        fwrite(recvline, 1, static_cast<size_t>(got), stdout);
        fflush(stdout);
    }
    free(sendline);
    exit(0);
}
