// SPDX-License-Identifier: MIT
// dg_echo: the UDP echo server's work: each datagram goes back to where it
// came from, forever.  One socket serves every client; there is no
// connection, no fork, and no end of file.
#include "unp.h"

extern "C" {

void dg_echo(int sockfd, SA *pcliaddr, socklen_t clilen)
{
    // The largest UDP payload over IPv4 is 65507 bytes: with a buffer this
    // size no datagram is cut (the book's MAXLINE would cut at 4096).
    static char mesg[65536];
    for (;;) {
        //@blank-begin (e) recvfrom(): a datagram and its sender's address; sendto(): the same bytes back to that sender
        socklen_t len = clilen;
        ssize_t n = recvfrom(sockfd, mesg, sizeof mesg, 0, pcliaddr, &len);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            err_sys("recvfrom error");
        }
        // A failed reply (the client's address unreachable, a full buffer)
        // concerns that client alone: report it and serve the next.
        if (sendto(sockfd, mesg, static_cast<size_t>(n), 0, pcliaddr, len) != n)
            err_ret("sendto error to %s", Sock_ntop(pcliaddr, len));
        //@blank-end
    }
}

}  // extern "C"
