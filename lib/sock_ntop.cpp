// SPDX-License-Identifier: MIT
// Socket addresses as text: "1.2.3.4:80", "[::1]:80", "/tmp/sock".
#include "unp.h"

namespace {

constexpr size_t kSlotSize = 128;  // longest: "[" + INET6_ADDRSTRLEN + "]:65535", or a sun_path
constexpr unsigned kSlots = 8;

// Rotating per-thread buffers keep the book's "returns char *" signature
// without a buffer shared between threads or between two calls in one
// printf.
char *next_slot()
{
    thread_local char slots[kSlots][kSlotSize];
    thread_local unsigned next = 0;
    return slots[next++ % kSlots];
}

// Writes the text form into buf; with_port selects "addr:port" or "addr".
char *format(const SA *sa, socklen_t salen, char *buf, size_t buflen, bool with_port)
{
    if (sa == nullptr || buf == nullptr || buflen == 0) {
        errno = EINVAL;
        return nullptr;
    }
    char host[INET6_ADDRSTRLEN];
    switch (sa->sa_family) {
    case AF_INET: {
        if (salen < sizeof(sockaddr_in))
            break;
        auto *sin = reinterpret_cast<const sockaddr_in *>(sa);
        if (inet_ntop(AF_INET, &sin->sin_addr, host, sizeof host) == nullptr)
            return nullptr;
        if (with_port)
            snprintf(buf, buflen, "%s:%d", host, ntohs(sin->sin_port));
        else
            snprintf(buf, buflen, "%s", host);
        return buf;
    }
    case AF_INET6: {
        if (salen < sizeof(sockaddr_in6))
            break;
        auto *sin6 = reinterpret_cast<const sockaddr_in6 *>(sa);
        if (inet_ntop(AF_INET6, &sin6->sin6_addr, host, sizeof host) == nullptr)
            return nullptr;
        if (with_port)
            snprintf(buf, buflen, "[%s]:%d", host, ntohs(sin6->sin6_port));
        else
            snprintf(buf, buflen, "%s", host);
        return buf;
    }
    case AF_UNIX: {
        auto *unp = reinterpret_cast<const sockaddr_un *>(sa);
        size_t pathlen = salen > offsetof(sockaddr_un, sun_path)
                             ? salen - offsetof(sockaddr_un, sun_path) : 0;
        if (pathlen == 0 || unp->sun_path[0] == '\0')
            snprintf(buf, buflen, "(no pathname bound)");
        else
            snprintf(buf, buflen, "%.*s", static_cast<int>(strnlen(unp->sun_path, pathlen)), unp->sun_path);
        return buf;
    }
    default:
        snprintf(buf, buflen, "sock_ntop: unknown AF_xxx: %d, len %d",
                 sa->sa_family, static_cast<int>(salen));
        return buf;
    }
    errno = EINVAL;  // address shorter than its family needs
    return nullptr;
}

}  // namespace

extern "C" {

char *sock_ntop_r(const SA *sa, socklen_t salen, char *buf, size_t buflen)
{
    return format(sa, salen, buf, buflen, true);
}

char *sock_ntop(const SA *sa, socklen_t salen)
{
    return format(sa, salen, next_slot(), kSlotSize, true);
}

char *sock_ntop_host(const SA *sa, socklen_t salen)
{
    return format(sa, salen, next_slot(), kSlotSize, false);
}

char *Sock_ntop(const SA *sa, socklen_t salen)
{
    char *ptr = sock_ntop(sa, salen);
    if (ptr == nullptr)
        err_sys("sock_ntop error");
    return ptr;
}

char *Sock_ntop_host(const SA *sa, socklen_t salen)
{
    char *ptr = sock_ntop_host(sa, salen);
    if (ptr == nullptr)
        err_sys("sock_ntop_host error");
    return ptr;
}

int sock_get_port(const SA *sa, socklen_t salen)
{
    if (sa->sa_family == AF_INET && salen >= sizeof(sockaddr_in))
        return ntohs(reinterpret_cast<const sockaddr_in *>(sa)->sin_port);
    if (sa->sa_family == AF_INET6 && salen >= sizeof(sockaddr_in6))
        return ntohs(reinterpret_cast<const sockaddr_in6 *>(sa)->sin6_port);
    return -1;
}

}  // extern "C"
