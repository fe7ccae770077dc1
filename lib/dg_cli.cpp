// SPDX-License-Identifier: MIT
// dg_cli: the UDP echo client's work: send each line of fp as one
// datagram, wait for the reply, print it.  Nothing resends a lost request
// or reply: then recvfrom() waits forever (the clients in udpcliserv/ that
// time out show the cure).
#include "unp.h"

namespace {

// One line of fp with its '\n', counted, so a NUL byte in it is sent like
// any other (fgets would stop there).  0 at EOF.
size_t dg_read_line(FILE *fp, char *buf, size_t size)
{
    size_t n = 0;
    int c;
    while (n < size - 1 && (c = getc(fp)) != EOF) {
        buf[n++] = static_cast<char>(c);
        if (c == '\n')
            break;
    }
    if (ferror(fp))
        err_sys("fgets error");
    return n;
}

}  // namespace

extern "C" {

void dg_cli(FILE *fp, int sockfd, const SA *pservaddr, socklen_t servlen)
{
    char sendline[MAXLINE], recvline[MAXLINE];
    size_t n;
    while ((n = dg_read_line(fp, sendline, sizeof sendline)) > 0) {
        Sendto(sockfd, sendline, n, 0, pservaddr, servlen);  //@blank (i) sendto(): the line, one datagram, to the server
        //@blank-begin (j) recvfrom(): the reply (MSG_TRUNC: its real length), and print it
        // MSG_TRUNC: Linux then returns the datagram's real length, even
        // when only sizeof recvline bytes of it fit; the rest is lost.
        ssize_t got = Recvfrom(sockfd, recvline, sizeof recvline, MSG_TRUNC, nullptr, nullptr);
        size_t kept = static_cast<size_t>(got) < sizeof recvline ? static_cast<size_t>(got) : sizeof recvline;
        if (fwrite(recvline, 1, kept, stdout) != kept)
            err_sys("fputs error");
        fflush(stdout);
        if (kept < static_cast<size_t>(got))
            err_msg("dg_cli: reply of %zd bytes cut to %zu (MSG_TRUNC): the rest is lost", got, kept);
        //@blank-end
    }
}

}  // extern "C"
