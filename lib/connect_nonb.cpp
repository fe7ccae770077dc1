// SPDX-License-Identifier: MIT
// connect_nonb: a non-blocking connect() with a timeout (the book's
// chapter 16): start the handshake, do nothing else meanwhile here, and
// wait until the socket is writable (connected) or readable and writable
// (failed), or the time is up.
#include "unp.h"

extern "C" int connect_nonb(int sockfd, const SA *saptr, socklen_t salen, int nsec)
{
    int flags = fcntl(sockfd, F_GETFL, 0);
    if (flags < 0 || fcntl(sockfd, F_SETFL, flags | O_NONBLOCK) < 0)
        return -1;
    int error = 0;
    if (connect(sockfd, saptr, salen) < 0) {
        if (errno != EINPROGRESS)
            error = errno;  // refused at once (a local port), or a bad argument
        else {
            // poll, not select: a descriptor above FD_SETSIZE works too.
            struct pollfd pfd = {sockfd, POLLIN | POLLOUT, 0};
            int n;
            while ((n = poll(&pfd, 1, nsec > 0 ? nsec * 1000 : INFTIM)) < 0 && errno == EINTR) {
            }
            socklen_t len = sizeof error;
            if (n < 0)
                error = errno;
            else if (n == 0)
                error = ETIMEDOUT;  // the handshake goes on; close the socket to end it
            else if (getsockopt(sockfd, SOL_SOCKET, SO_ERROR, &error, &len) < 0)
                error = errno;  // Solaris-style report of the pending error
        }
    }
    fcntl(sockfd, F_SETFL, flags);  // blocking again, as the caller gave it
    if (error != 0) {
        errno = error;
        return -1;
    }
    return 0;
}
