// SPDX-License-Identifier: MIT
// tcp_connect and host_serv: name and service to a connected socket,
// whatever the address family.
#include "unp.h"

extern "C" {

namespace {

// getaddrinfo with the book's host_serv hints; 0 or an EAI_* code.
int lookup(const char *host, const char *serv, int family, int socktype, struct addrinfo **res)
{
    struct addrinfo hints {};
    hints.ai_flags = AI_CANONNAME;
    hints.ai_family = family;      // AF_UNSPEC, AF_INET, AF_INET6, ...
    hints.ai_socktype = socktype;  // 0, SOCK_STREAM, SOCK_DGRAM, ...
    *res = nullptr;
    return getaddrinfo(host, serv, &hints, res);
}

}  // namespace

struct addrinfo *host_serv(const char *host, const char *serv, int family, int socktype)
{
    struct addrinfo *res;
    return lookup(host, serv, family, socktype, &res) == 0 ? res : nullptr;
}

struct addrinfo *Host_serv(const char *host, const char *serv, int family, int socktype)
{
    struct addrinfo *res;
    int n = lookup(host, serv, family, socktype, &res);
    if (n != 0)  // getaddrinfo has its own error codes; errno is stale here
        err_quit("host_serv error for %s, %s: %s", host ? host : "(no hostname)",
                 serv ? serv : "(no service name)", gai_strerror(n));
    return res;
}

int tcp_connect(const char *host, const char *serv)
{
    struct addrinfo hints {}, *res = nullptr;
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    if (bad_port_service(serv, 0))  // getaddrinfo would take 99999 and wrap it
        err_quit("tcp_connect error for %s, %s: not a port (a server's port is 1 to 65535)", host,
                 serv);
    int n = getaddrinfo(host, serv, &hints, &res);
    if (n != 0)
        err_quit("tcp_connect error for %s, %s: %s", host, serv,
                 n == EAI_SYSTEM ? strerror(errno) : gai_strerror(n));

    int sockfd = -1;
    int saved_errno = 0;
    for (struct addrinfo *ai = res; ai != nullptr; ai = ai->ai_next) {
        sockfd = socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol);
        if (sockfd < 0) {
            saved_errno = errno;
            continue;  // e.g. IPv6 disabled: try the next address
        }
        if (connect(sockfd, ai->ai_addr, ai->ai_addrlen) == 0)
            break;
        saved_errno = errno;
        close(sockfd);
        sockfd = -1;
    }
    freeaddrinfo(res);
    if (sockfd < 0) {
        errno = saved_errno;  // the last address's reason
        err_sys("tcp_connect error for %s, %s", host, serv);
    }
    return sockfd;
}

int Tcp_connect(const char *host, const char *serv)
{
    return tcp_connect(host, serv);
}

}  // extern "C"
