// SPDX-License-Identifier: MIT
// A socket's address family, and the socket-option level that family's IP
// options live at (IPPROTO_IP or IPPROTO_IPV6).
#include "unp.h"

extern "C" {

int sockfd_to_family(int sockfd)
{
    sockaddr_storage ss{};
    socklen_t len = sizeof ss;
    if (getsockname(sockfd, reinterpret_cast<SA *>(&ss), &len) < 0)
        return -1;
    return ss.ss_family;
}

int Sockfd_to_family(int sockfd)
{
    int family = sockfd_to_family(sockfd);
    if (family < 0)
        err_sys("sockfd_to_family error");
    return family;
}

int family_to_level(int family)
{
    switch (family) {
    case AF_INET:
        return IPPROTO_IP;
    case AF_INET6:
        return IPPROTO_IPV6;
    default:
        errno = EAFNOSUPPORT;
        return -1;
    }
}

int Family_to_level(int family)
{
    int level = family_to_level(family);
    if (level < 0)
        err_sys("family_to_level error");
    return level;
}

}  // extern "C"
