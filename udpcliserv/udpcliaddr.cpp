// SPDX-License-Identifier: MIT
// udpcliaddr - the echo client that checks who answered (book 8.8): any
// process that learns the client's port can send it a datagram, and
// recvfrom() takes whatever arrives first.  This client compares the
// reply's source address with the server's and ignores any other.
//
// usage: udpcliaddr <IPaddress> [port]      (default 9877)
//
// Observe: `echo hi | socat - UDP:127.0.0.1:CLIENTPORT` from a third
// terminal (the client's port: `ss -uanp`) while the client waits: it says
// "reply from 127.0.0.1:PORT (ignored)" and goes on waiting.  The check
// compares addresses byte for byte, so a server with several addresses
// that answers from another one is ignored too (the book's point about
// multihomed hosts; a connected socket has the same limit).
#include "unp.h"

namespace {

void dg_cli_checked(FILE *fp, int sockfd, const SA *pservaddr, socklen_t servlen)
{
    char *sendline = nullptr, recvline[MAXLINE];
    size_t cap = 0;
    ssize_t n;
    struct sockaddr_storage reply_addr;
    socklen_t len;

    while ((n = getline(&sendline, &cap, fp)) > 0) {
        Sendto(sockfd, sendline, static_cast<size_t>(n), 0, pservaddr, servlen);
        for (;;) {
            len = sizeof reply_addr;
            ssize_t got = Recvfrom(sockfd, recvline, sizeof recvline, 0,
                                   (SA *) &reply_addr, &len);
            if (len == servlen && memcmp(pservaddr, &reply_addr, len) == 0) {
                fwrite(recvline, 1, static_cast<size_t>(got), stdout);
                fflush(stdout);
                break;  // the server's reply: on to the next line
            }
            err_msg("reply from %s (ignored)", Sock_ntop((SA *) &reply_addr, len));
        }
    }
    free(sendline);
}

}  // namespace

int main(int argc, char **argv)
{
    int sockfd;
    struct sockaddr_in servaddr;
    const char *usage = "usage: udpcliaddr <IPaddress> [port]";

    check_usage(argc, argv, argc == 2 || argc == 3, usage);
    int port = argc == 3 ? Parse_server_port(argv[2]) : SERV_PORT;

    bzero(&servaddr, sizeof servaddr);
    servaddr.sin_family = AF_INET;
    servaddr.sin_port = htons(static_cast<uint16_t>(port));
    Inet_pton(AF_INET, argv[1], &servaddr.sin_addr);

    sockfd = Socket(AF_INET, SOCK_DGRAM, 0);
    dg_cli_checked(stdin, sockfd, (SA *) &servaddr, sizeof servaddr);
    exit(0);
}
