// SPDX-License-Identifier: MIT
// readline_bytewise, apart from readline so each links alone.
#include "unp.h"

extern "C" {

// The book's first readline: one read(2) system call per byte.  Kept for
// the lesson (count the calls with strace) and for bench/readline_bench.
ssize_t readline_bytewise(int fd, void *vptr, size_t maxlen)
{
    if (vptr == nullptr || maxlen == 0) {
        errno = EINVAL;
        return -1;
    }
    char *ptr = static_cast<char *>(vptr);
    size_t n;
    for (n = 1; n < maxlen; n++) {
        char c;
        ssize_t rc = read(fd, &c, 1);
        if (rc == 1) {
            *ptr++ = c;
            if (c == '\n')
                break;
        } else if (rc == 0) {
            *ptr = '\0';
            return static_cast<ssize_t>(n - 1);  // EOF after n-1 bytes
        } else if (errno == EINTR) {
            n--;  // nothing read: try this byte again
        } else {
            return -1;
        }
    }
    if (n == maxlen)
        n--;  // stopped because the buffer is full, not at a newline
    *ptr = '\0';
    return static_cast<ssize_t>(n);
}

}  // extern "C"
