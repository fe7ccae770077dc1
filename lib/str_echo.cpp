// SPDX-License-Identifier: MIT
// str_echo: the echo server's work for one client.
#include "unp.h"

extern "C" {

void str_echo(int sockfd)
{
    char buf[MAXLINE];
    for (;;) {
        ssize_t n = read(sockfd, buf, sizeof buf);
        if (n > 0)
            Writen(sockfd, buf, static_cast<size_t>(n));
        else if (n == 0)
            return;  // the client closed: we are done
        else if (errno != EINTR)
            err_sys("str_echo: read error");
    }
}

}  // extern "C"
