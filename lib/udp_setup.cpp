// SPDX-License-Identifier: MIT
// udp_client, udp_connect, udp_server: name and service to a UDP socket,
// whatever the address family (the book's chapter 11).
#include "unp.h"

namespace {

// getaddrinfo for a datagram socket, or the book's message and exit:
// "<who> error for <host>, <serv>: <gai_strerror text>".
struct addrinfo *udp_lookup(const char *who, const char *host, const char *serv, int flags)
{
    struct addrinfo hints {}, *res = nullptr;
    hints.ai_flags = flags;
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_DGRAM;
    int n = getaddrinfo(host, serv, &hints, &res);
    if (n != 0)  // getaddrinfo's own codes: errno means nothing here
        err_quit("%s error for %s, %s: %s", who, host ? host : "(any)", serv,
                 n == EAI_SYSTEM ? strerror(errno) : gai_strerror(n));
    return res;
}

}  // namespace

extern "C" {

int udp_client(const char *host, const char *serv, SA **saptr, socklen_t *lenp)
{
    struct addrinfo *res = udp_lookup("udp_client", host, serv, 0);
    int sockfd = -1, saved_errno = 0;
    struct addrinfo *ai;
    for (ai = res; ai != nullptr; ai = ai->ai_next) {
        sockfd = socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol);
        if (sockfd >= 0)
            break;  // nothing is sent yet: any socket of the family will do
        saved_errno = errno;
    }
    if (sockfd < 0) {
        freeaddrinfo(res);
        errno = saved_errno;
        err_sys("udp_client error for %s, %s", host, serv);
    }
    // The caller keeps the address to pass to sendto(); it owns this copy.
    *saptr = static_cast<SA *>(Malloc(ai->ai_addrlen));
    memcpy(*saptr, ai->ai_addr, ai->ai_addrlen);
    *lenp = ai->ai_addrlen;
    freeaddrinfo(res);
    return sockfd;
}

int Udp_client(const char *host, const char *serv, SA **saptr, socklen_t *lenp)
{
    return udp_client(host, serv, saptr, lenp);
}

int udp_connect(const char *host, const char *serv)
{
    struct addrinfo *res = udp_lookup("udp_connect", host, serv, 0);
    int sockfd = -1, saved_errno = 0;
    for (struct addrinfo *ai = res; ai != nullptr; ai = ai->ai_next) {
        sockfd = socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol);
        if (sockfd < 0) {
            saved_errno = errno;
            continue;
        }
        // connect() on UDP sends nothing: it records the peer, so that an
        // ICMP error from it is reported to us (ECONNREFUSED on a read).
        if (connect(sockfd, ai->ai_addr, ai->ai_addrlen) == 0)
            break;
        saved_errno = errno;
        close(sockfd);
        sockfd = -1;
    }
    freeaddrinfo(res);
    if (sockfd < 0) {
        errno = saved_errno;
        err_sys("udp_connect error for %s, %s", host, serv);
    }
    return sockfd;
}

int Udp_connect(const char *host, const char *serv)
{
    return udp_connect(host, serv);
}

int udp_server(const char *host, const char *serv, socklen_t *addrlenp)
{
    struct addrinfo *res = udp_lookup("udp_server", host, serv, AI_PASSIVE);
    int sockfd = -1, saved_errno = 0;
    socklen_t addrlen = 0;
    for (struct addrinfo *ai = res; ai != nullptr; ai = ai->ai_next) {
        sockfd = socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol);
        if (sockfd < 0) {
            saved_errno = errno;
            continue;
        }
        // No SO_REUSEADDR, as in the book: two UDP servers on one port
        // would split the datagrams between them.
        if (bind(sockfd, ai->ai_addr, ai->ai_addrlen) == 0) {
            addrlen = ai->ai_addrlen;
            break;
        }
        saved_errno = errno;
        close(sockfd);
        sockfd = -1;
    }
    freeaddrinfo(res);
    if (sockfd < 0) {
        char what[MAXLINE];
        snprintf(what, sizeof what, "udp_server error for %s, %s", host ? host : "(any)", serv);
        err_bind(what, saved_errno, bind_hint(saved_errno));
    }
    if (addrlenp != nullptr)
        *addrlenp = addrlen;  // to size the buffer for recvfrom()'s address
    return sockfd;
}

int Udp_server(const char *host, const char *serv, socklen_t *addrlenp)
{
    return udp_server(host, serv, addrlenp);
}

}  // extern "C"
