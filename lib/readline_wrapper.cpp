// SPDX-License-Identifier: MIT
// Readline, in a file of its own: a program that brings its own readline
// (a thread-specific one, as in the book's threads/ chapter) and uses the
// library's Readline links without a second readline.
#include "unp.h"

extern "C" ssize_t Readline(int fd, void *ptr, size_t maxlen)
{
    ssize_t n = readline(fd, ptr, maxlen);
    if (n < 0)
        err_sys("readline error");
    return n;
}
