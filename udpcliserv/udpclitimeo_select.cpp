// SPDX-License-Identifier: MIT
// udpclitimeo_select - the echo client that gives up waiting, with select()
// (book 14.2, readable_timeo): wait until the socket is readable or the
// timeout passes, and call recvfrom() only when a datagram is there.
//
// usage: udpclitimeo_select <IPaddress> [port]      (default 9877)
//
// Observe: with the server stopped, each line prints "timeout: no reply in
// 2 s" and the client goes on.  No signal is involved, so this is the
// version that also works in a program with threads or other timers.
#include "unp.h"

namespace {

constexpr int kTimeout = 2;  // seconds

// >0 if fd is readable, 0 on timeout (the book's readable_timeo).
int readable_timeo(int fd, int sec)
{
    fd_set rset;
    struct timeval tv;

    FD_ZERO(&rset);
    FD_SET(fd, &rset);
    tv.tv_sec = sec;
    tv.tv_usec = 0;
    return Select(fd + 1, &rset, nullptr, nullptr, &tv);
}

void dg_cli_select(FILE *fp, int sockfd, const SA *pservaddr, socklen_t servlen)
{
    char *sendline = nullptr, recvline[MAXLINE];
    size_t cap = 0;
    ssize_t n;

    while ((n = getline(&sendline, &cap, fp)) > 0) {
        Sendto(sockfd, sendline, static_cast<size_t>(n), 0, pservaddr, servlen);
        if (readable_timeo(sockfd, kTimeout) == 0) {
            err_msg("timeout: no reply in %d s", kTimeout);
            continue;
        }
        ssize_t got = Recvfrom(sockfd, recvline, sizeof recvline, 0, nullptr, nullptr);
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
    const char *usage = "usage: udpclitimeo_select <IPaddress> [port]";

    check_usage(argc, argv, argc == 2 || argc == 3, usage);
    int port = argc == 3 ? Parse_server_port(argv[2]) : SERV_PORT;

    bzero(&servaddr, sizeof servaddr);
    servaddr.sin_family = AF_INET;
    servaddr.sin_port = htons(static_cast<uint16_t>(port));
    Inet_pton(AF_INET, argv[1], &servaddr.sin_addr);

    sockfd = Socket(AF_INET, SOCK_DGRAM, 0);
    dg_cli_select(stdin, sockfd, (SA *) &servaddr, sizeof servaddr);
    exit(0);
}
