// SPDX-License-Identifier: MIT
// Wrappers for library functions: address conversion, interface names.
#include "unp.h"

extern "C" {

void Inet_pton(int family, const char *strptr, void *addrptr)
{
    int n = inet_pton(family, strptr, addrptr);
    if (n < 0)
        err_sys("inet_pton error for %s", strptr);  // unknown family: errno set
    else if (n == 0)
        err_usage("inet_pton error for %s: not a numeric %s address such as %s (for host names, "
                  "use a client that calls getaddrinfo, e.g. daytimetcpcli_names)",
                  strptr, family == AF_INET6 ? "IPv6" : "IPv4",
                  family == AF_INET6 ? "::1" : "127.0.0.1");  // not an address: no errno
}

const char *Inet_ntop(int family, const void *addrptr, char *strptr, size_t len)
{
    if (strptr == nullptr)
        err_quit("NULL 3rd argument to inet_ntop");
    const char *ptr = inet_ntop(family, addrptr, strptr, static_cast<socklen_t>(len));
    if (ptr == nullptr)
        err_sys("inet_ntop error");
    return ptr;
}

unsigned int If_nametoindex(const char *name)
{
    unsigned int index = if_nametoindex(name);
    if (index == 0)
        err_sys("if_nametoindex error for %s", name);
    return index;
}

char *If_indextoname(unsigned int index, char *name)
{
    char *ptr = if_indextoname(index, name);
    if (ptr == nullptr)
        err_sys("if_indextoname error for %u", index);
    return ptr;
}

struct if_nameindex *If_nameindex(void)
{
    struct if_nameindex *ifptr = if_nameindex();
    if (ifptr == nullptr)
        err_sys("if_nameindex error");
    return ifptr;
}

}  // extern "C"
