// SPDX-License-Identifier: MIT
// The book's sock_* functions on a socket address of any family: set or
// compare its address and port, bind a socket to the wildcard address.
// Ports are in host byte order, as sock_get_port's are (the book's own
// versions pass network byte order here and there).
#include "unp.h"

namespace {

sockaddr_in *as_in(SA *sa, socklen_t salen)
{
    return sa->sa_family == AF_INET && salen >= sizeof(sockaddr_in) ? reinterpret_cast<sockaddr_in *>(sa) : nullptr;
}

sockaddr_in6 *as_in6(SA *sa, socklen_t salen)
{
    return sa->sa_family == AF_INET6 && salen >= sizeof(sockaddr_in6) ? reinterpret_cast<sockaddr_in6 *>(sa)
                                                                      : nullptr;
}

const sockaddr_in *as_in(const SA *sa, socklen_t salen) { return as_in(const_cast<SA *>(sa), salen); }
const sockaddr_in6 *as_in6(const SA *sa, socklen_t salen) { return as_in6(const_cast<SA *>(sa), salen); }

}  // namespace

extern "C" {

void sock_set_port(SA *sa, socklen_t salen, int port)
{
    if (auto *sin = as_in(sa, salen))
        sin->sin_port = htons(static_cast<uint16_t>(port));
    else if (auto *sin6 = as_in6(sa, salen))
        sin6->sin6_port = htons(static_cast<uint16_t>(port));
}

void sock_set_addr(SA *sa, socklen_t salen, const void *addr)
{
    if (auto *sin = as_in(sa, salen))
        memcpy(&sin->sin_addr, addr, sizeof sin->sin_addr);  // a struct in_addr
    else if (auto *sin6 = as_in6(sa, salen))
        memcpy(&sin6->sin6_addr, addr, sizeof sin6->sin6_addr);  // a struct in6_addr
}

void sock_set_wild(SA *sa, socklen_t salen)
{
    if (auto *sin = as_in(sa, salen))
        sin->sin_addr.s_addr = htonl(INADDR_ANY);
    else if (auto *sin6 = as_in6(sa, salen))
        sin6->sin6_addr = in6addr_any;
}

int sock_cmp_addr(const SA *sa1, const SA *sa2, socklen_t salen)
{
    if (sa1->sa_family != sa2->sa_family)
        return -1;
    if (auto *a = as_in(sa1, salen))
        return memcmp(&a->sin_addr, &as_in(sa2, salen)->sin_addr, sizeof a->sin_addr);
    if (auto *a = as_in6(sa1, salen))
        return memcmp(&a->sin6_addr, &as_in6(sa2, salen)->sin6_addr, sizeof a->sin6_addr);
    if (sa1->sa_family == AF_UNIX && salen > offsetof(sockaddr_un, sun_path)) {
        size_t room = salen - offsetof(sockaddr_un, sun_path);
        return strncmp(reinterpret_cast<const sockaddr_un *>(sa1)->sun_path,
                       reinterpret_cast<const sockaddr_un *>(sa2)->sun_path, room);
    }
    return -1;  // unknown family, or too short for its own
}

int sock_cmp_port(const SA *sa1, const SA *sa2, socklen_t salen)
{
    if (sa1->sa_family != sa2->sa_family)
        return -1;
    int p1 = sock_get_port(sa1, salen), p2 = sock_get_port(sa2, salen);
    if (p1 < 0 || p2 < 0)
        return -1;  // no port in this family
    return p1 == p2 ? 0 : (p1 < p2 ? -1 : 1);
}

int sock_bind_wild(int sockfd, int family)
{
    sockaddr_storage ss{};
    socklen_t len = family == AF_INET6 ? sizeof(sockaddr_in6) : sizeof(sockaddr_in);
    if (family != AF_INET && family != AF_INET6) {
        errno = EAFNOSUPPORT;
        return -1;
    }
    ss.ss_family = static_cast<sa_family_t>(family);
    SA *sa = reinterpret_cast<SA *>(&ss);
    sock_set_wild(sa, len);
    sock_set_port(sa, len, 0);  // the kernel picks a port
    if (bind(sockfd, sa, len) < 0 || getsockname(sockfd, sa, &len) < 0)
        return -1;
    return sock_get_port(sa, len);
}

int Sock_bind_wild(int sockfd, int family)
{
    int port = sock_bind_wild(sockfd, family);
    if (port < 0)
        err_sys("sock_bind_wild error");
    return port;
}

}  // extern "C"
