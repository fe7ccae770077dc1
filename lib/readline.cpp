// SPDX-License-Identifier: MIT
// readline: one text line per call, from a buffer that belongs to the
// descriptor.  The book's version keeps one static buffer (or one per
// thread), so reading lines from two descriptors in turn mixes them up;
// here each descriptor has its own.
#include "unp.h"

#include <memory>
#include <mutex>
#include <unordered_map>

namespace {

struct LineBuffer {
    size_t count = 0;     // bytes buffered and not yet returned
    char *next = nullptr; // first of them
    char data[BUFFSIZE];  // one read(2) fills up to 8 KiB
};

std::mutex table_mutex;  // guards the table, not the buffers
std::unordered_map<int, std::unique_ptr<LineBuffer>> table;

LineBuffer &buffer_for(int fd)
{
    std::lock_guard lock(table_mutex);
    auto &slot = table[fd];
    if (!slot)
        slot = std::make_unique<LineBuffer>();
    return *slot;  // stays put until readline_forget(fd)
}

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
    LineBuffer &b = buffer_for(fd);
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
    LineBuffer &b = buffer_for(fd);
    if (b.count > 0 && vptrptr != nullptr)
        *vptrptr = b.next;
    return static_cast<ssize_t>(b.count);
}

void readline_forget(int fd)
{
    std::lock_guard lock(table_mutex);
    table.erase(fd);
}

ssize_t Readline(int fd, void *ptr, size_t maxlen)
{
    ssize_t n = readline(fd, ptr, maxlen);
    if (n < 0)
        err_sys("readline error");
    return n;
}

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
