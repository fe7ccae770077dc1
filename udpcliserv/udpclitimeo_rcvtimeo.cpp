// SPDX-License-Identifier: MIT
// udpclitimeo_rcvtimeo - the echo client that gives up waiting, with the
// SO_RCVTIMEO socket option (book 14.2): set once, it bounds every
// recvfrom() on the socket, which then fails with EWOULDBLOCK (EAGAIN).
//
// usage: udpclitimeo_rcvtimeo <IPaddress> [port]      (default 9877)
//
// Observe: with the server stopped, each line prints "timeout: no reply in
// 2 s" and the client goes on.  One setsockopt() and no per-call code: but
// the option applies to reads only, and not every system honours it.
#include "unp.h"

namespace {

constexpr int kTimeout = 2;  // seconds

void dg_cli_rcvtimeo(FILE *fp, int sockfd, const SA *pservaddr, socklen_t servlen)
{
    char *sendline = nullptr, recvline[MAXLINE];
    size_t cap = 0;
    ssize_t n;
    struct timeval tv;

    tv.tv_sec = kTimeout;
    tv.tv_usec = 0;
    Setsockopt(sockfd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);

    while ((n = getline(&sendline, &cap, fp)) > 0) {
        Sendto(sockfd, sendline, static_cast<size_t>(n), 0, pservaddr, servlen);
        ssize_t got = recvfrom(sockfd, recvline, sizeof recvline, 0, nullptr, nullptr);
        if (got < 0) {
            if (errno != EWOULDBLOCK && errno != EAGAIN)
                err_sys("recvfrom error");
            err_msg("timeout: no reply in %d s", kTimeout);
            continue;
        }
        fwrite(recvline, 1, static_cast<size_t>(got), stdout);
        fflush(stdout);
    }
    free(sendline);
}

}  // namespace

int main(int argc, char **argv)
{
    int sockfd;
    struct sockaddr_in servaddr;
    const char *usage = "usage: udpclitimeo_rcvtimeo <IPaddress> [port]";

    check_usage(argc, argv, argc == 2 || argc == 3, usage);
    int port = argc == 3 ? Parse_server_port(argv[2]) : SERV_PORT;

    bzero(&servaddr, sizeof servaddr);
    servaddr.sin_family = AF_INET;
    servaddr.sin_port = htons(static_cast<uint16_t>(port));
    Inet_pton(AF_INET, argv[1], &servaddr.sin_addr);

    sockfd = Socket(AF_INET, SOCK_DGRAM, 0);
    dg_cli_rcvtimeo(stdin, sockfd, (SA *) &servaddr, sizeof servaddr);
    exit(0);
}
