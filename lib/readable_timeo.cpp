// SPDX-License-Identifier: MIT
// readable_timeo/writable_timeo: wait at most sec seconds until a
// descriptor is readable (or writable).  >0 ready, 0 on timeout, -1 on
// error, like select(), which the book uses; poll here, so a descriptor
// above FD_SETSIZE works too.
#include "unp.h"

namespace {

int wait_for(int fd, short events, int sec)
{
    if (fd < 0) {
        errno = EBADF;  // poll() would skip it and wait out the time
        return -1;
    }
    struct pollfd pfd = {fd, events, 0};
    int n = poll(&pfd, 1, sec * 1000);
    if (n > 0 && (pfd.revents & POLLNVAL)) {
        errno = EBADF;  // select() reports a closed descriptor this way
        return -1;
    }
    return n;
}

}  // namespace

extern "C" {

int readable_timeo(int fd, int sec) { return wait_for(fd, POLLIN, sec); }
int writable_timeo(int fd, int sec) { return wait_for(fd, POLLOUT, sec); }

int Readable_timeo(int fd, int sec)
{
    int n = readable_timeo(fd, sec);
    if (n < 0)
        err_sys("readable_timeo error");
    return n;
}

int Writable_timeo(int fd, int sec)
{
    int n = writable_timeo(fd, sec);
    if (n < 0)
        err_sys("writable_timeo error");
    return n;
}

}  // extern "C"
