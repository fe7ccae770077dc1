// SPDX-License-Identifier: MIT
// my_addrs: this host's addresses, found from its name as the book does
// (gethostname, then a lookup of that name).
#include "unp.h"

extern "C" {

char **my_addrs(int *addrtype)
{
    char name[256];
    if (gethostname(name, sizeof name) < 0)
        return nullptr;
    name[sizeof name - 1] = '\0';  // POSIX leaves a truncated name unterminated
    // gethostbyname returns the book's shape (h_addr_list, a NULL-ended
    // array of in_addr pointers) in storage of its own, reused by the next
    // call: copy what you need before calling again.
    struct hostent *hptr = gethostbyname(name);
    if (hptr == nullptr) {
        errno = ENOENT;  // h_errno holds the resolver's reason
        return nullptr;
    }
    if (addrtype != nullptr)
        *addrtype = hptr->h_addrtype;
    return hptr->h_addr_list;
}

char **My_addrs(int *addrtype)
{
    char **pptr = my_addrs(addrtype);
    if (pptr == nullptr)
        err_quit("my_addrs error: %s", errno == ENOENT ? hstrerror(h_errno) : strerror(errno));
    return pptr;
}

}  // extern "C"
