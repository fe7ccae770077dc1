// SPDX-License-Identifier: MIT
// udpclitimeo_alarm - the echo client that gives up waiting, with SIGALRM
// (book 14.2): alarm() before recvfrom(); the handler returns, and
// recvfrom() fails with EINTR: no reply came in time.
//
// usage: udpclitimeo_alarm <IPaddress> [port]      (default 9877)
//
// Observe: with the server stopped (or a relay dropping everything), each
// line prints "timeout: no reply in 2 s" and the client reads the next
// one.  This works only because the kit's Signal() installs SIGALRM
// without SA_RESTART; with it, the kernel would restart recvfrom() and the
// client would block forever.  A reply that arrives after its timeout is
// read as the next line's reply: nothing numbers the datagrams (see
// udpfiletransfer/).
#include "unp.h"

namespace {

constexpr unsigned kTimeout = 2;  // seconds

extern "C" void sig_alrm(int)
{
    // Nothing to do: the signal's arrival is the message (recvfrom: EINTR).
}

void dg_cli_alarm(FILE *fp, int sockfd, const SA *pservaddr, socklen_t servlen)
{
    char *sendline = nullptr, recvline[MAXLINE];
    size_t cap = 0;
    ssize_t n;

    Signal(SIGALRM, sig_alrm);
    while ((n = getline(&sendline, &cap, fp)) > 0) {
        Sendto(sockfd, sendline, static_cast<size_t>(n), 0, pservaddr, servlen);
        alarm(kTimeout);
        ssize_t got = recvfrom(sockfd, recvline, sizeof recvline, 0, nullptr, nullptr);
        if (got < 0) {
            if (errno != EINTR)
                err_sys("recvfrom error");
            err_msg("timeout: no reply in %u s", kTimeout);
            continue;
        }
        alarm(0);  // the reply came: cancel the alarm before it fires
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
    const char *usage = "usage: udpclitimeo_alarm <IPaddress> [port]";

    check_usage(argc, argv, argc == 2 || argc == 3, usage);
    int port = argc == 3 ? Parse_server_port(argv[2]) : SERV_PORT;

    bzero(&servaddr, sizeof servaddr);
    servaddr.sin_family = AF_INET;
    servaddr.sin_port = htons(static_cast<uint16_t>(port));
    Inet_pton(AF_INET, argv[1], &servaddr.sin_addr);

    sockfd = Socket(AF_INET, SOCK_DGRAM, 0);
    dg_cli_alarm(stdin, sockfd, (SA *) &servaddr, sizeof servaddr);
    exit(0);
}
