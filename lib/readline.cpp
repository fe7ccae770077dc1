// SPDX-License-Identifier: MIT
// readline: one text line per call, from a buffer that belongs to the
// descriptor.  The book's version keeps one static buffer (or one per
// thread), so reading lines from two descriptors in turn mixes them up;
// here each descriptor has its own.
#include "readline_buffer.h"

namespace {

using unp::detail::LineBuffer;

// Refill an empty buffer: >0 bytes now buffered, 0 at EOF, -1 on error.
ssize_t refill(int fd, LineBuffer &b)
{
    for (;;) {
        ssize_t n = read(fd, b.data, sizeof b.data);
        if (n < 0 && errno == EINTR)
            continue;
        if (n > 0) {
            b.count = static_cast<size_t>(n);
            b.next = b.data;
        }
        return n;
    }
}

}  // namespace

extern "C" {

ssize_t readline(int fd, void *vptr, size_t maxlen)
{
    if (vptr == nullptr || maxlen == 0) {
        errno = EINVAL;
        return -1;
    }
    LineBuffer &b = unp::detail::line_buffer(fd);
    char *out = static_cast<char *>(vptr);
    size_t room = maxlen - 1;  // keep one byte for the NUL
    size_t total = 0;

    while (total < room) {
        if (b.count == 0) {
            ssize_t n = refill(fd, b);
            if (n < 0)
                return -1;
            if (n == 0)
                break;  // EOF: return the partial line, or 0 if none
        }
        size_t chunk = b.count < room - total ? b.count : room - total;
        const void *nl = memchr(b.next, '\n', chunk);
        if (nl != nullptr)
            chunk = static_cast<size_t>(static_cast<const char *>(nl) - b.next) + 1;
        memcpy(out + total, b.next, chunk);
        total += chunk;
        b.next += chunk;
        b.count -= chunk;
        if (nl != nullptr)
            break;  // newline copied: the line is complete
    }
    out[total] = '\0';
    return static_cast<ssize_t>(total);
}

ssize_t readlinebuf(int fd, void **vptrptr)
{
    LineBuffer &b = unp::detail::line_buffer(fd);
    if (b.count > 0 && vptrptr != nullptr)
        *vptrptr = b.next;
    return static_cast<ssize_t>(b.count);
}

}  // extern "C"
