// SPDX-License-Identifier: MIT
// tcp_listen: a listening socket for a host (NULL: any) and service,
// whatever the address family.
#include "unp.h"

extern "C" {

int tcp_listen(const char *host, const char *serv, socklen_t *addrlenp)
{
    struct addrinfo hints {}, *res = nullptr;
    hints.ai_flags = AI_PASSIVE;
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    const char *shown_host = host ? host : "(any)";
    if (bad_port_service(serv, 1))  // getaddrinfo would take 99999 and wrap it
        err_quit("tcp_listen error for %s, %s: not a port (use 1024..65535, or 0 to let the "
                 "kernel choose)", shown_host, serv);
    int n = getaddrinfo(host, serv, &hints, &res);
    if (n != 0)
        err_quit("tcp_listen error for %s, %s: %s", shown_host, serv,
                 n == EAI_SYSTEM ? strerror(errno) : gai_strerror(n));

    int listenfd = -1;
    int saved_errno = 0;
    socklen_t addrlen = 0;
    for (struct addrinfo *ai = res; ai != nullptr; ai = ai->ai_next) {
        listenfd = socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol);
        if (listenfd < 0) {
            saved_errno = errno;
            continue;
        }
        const int on = 1;  // restart at once, even with old connections in TIME_WAIT
        if (setsockopt(listenfd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on) == 0 &&
            bind(listenfd, ai->ai_addr, ai->ai_addrlen) == 0) {
            addrlen = ai->ai_addrlen;
            break;
        }
        saved_errno = errno;
        close(listenfd);
        listenfd = -1;
    }
    freeaddrinfo(res);
    if (listenfd < 0) {
        char what[MAXLINE];
        snprintf(what, sizeof what, "tcp_listen error for %s, %s", shown_host, serv);
        err_bind(what, saved_errno, bind_hint(saved_errno));
    }

    Listen(listenfd, LISTENQ);
    if (addrlenp != nullptr)
        *addrlenp = addrlen;  // caller can size a buffer for accept()
    return listenfd;
}

int Tcp_listen(const char *host, const char *serv, socklen_t *addrlenp)
{
    return tcp_listen(host, serv, addrlenp);
}

}  // extern "C"
