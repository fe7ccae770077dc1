// SPDX-License-Identifier: MIT
// readn/writen: transfer exactly n bytes, whatever the kernel hands over
// per call.  A socket read or write may move fewer bytes than asked.
#include "unp.h"

extern "C" {

ssize_t readn(int fd, void *vptr, size_t n)
{
    char *ptr = static_cast<char *>(vptr);
    size_t nleft = n;
    while (nleft > 0) {
        ssize_t nread = read(fd, ptr, nleft);
        if (nread < 0) {
            if (errno == EINTR)
                continue;  // a signal handler ran: call read() again
            return -1;
        }
        if (nread == 0)
            break;  // EOF: return what we have
        nleft -= static_cast<size_t>(nread);
        ptr += nread;
    }
    return static_cast<ssize_t>(n - nleft);
}

ssize_t writen(int fd, const void *vptr, size_t n)
{
    const char *ptr = static_cast<const char *>(vptr);
    size_t nleft = n;
    while (nleft > 0) {
        ssize_t nwritten = write(fd, ptr, nleft);
        if (nwritten <= 0) {
            if (nwritten < 0 && errno == EINTR)
                continue;  // interrupted before anything was written
            return -1;
        }
        nleft -= static_cast<size_t>(nwritten);
        ptr += nwritten;
    }
    return static_cast<ssize_t>(n);
}

ssize_t Readn(int fd, void *ptr, size_t nbytes)
{
    ssize_t n = readn(fd, ptr, nbytes);
    if (n < 0)
        err_sys("readn error");
    return n;
}

void Writen(int fd, const void *ptr, size_t nbytes)
{
    if (writen(fd, ptr, nbytes) != static_cast<ssize_t>(nbytes))
        err_sys("writen error");
}

}  // extern "C"
