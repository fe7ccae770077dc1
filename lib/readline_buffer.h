// SPDX-License-Identifier: MIT
// The line buffers behind readline, one per descriptor (readline_buffer.cpp).
// Private to libunp, not installed.
//
// They live apart from readline itself so that Close, which drops a
// descriptor's buffer, links without readline: a program that defines its
// own readline and Readline (the book's threads/ and server/ chapters do)
// still gets the library's Close.
#ifndef UNP_READLINE_BUFFER_H
#define UNP_READLINE_BUFFER_H

#include "unp.h"

namespace unp::detail {

struct LineBuffer {
    size_t count = 0;     // bytes buffered and not yet returned
    char *next = nullptr; // first of them
    char data[BUFFSIZE];  // one read(2) fills up to 8 KiB
};

// fd's buffer, created empty on first use; it stays put until
// readline_forget(fd).  Thread-safe; the buffer itself is not shared
// between threads unless they share the descriptor.
LineBuffer &line_buffer(int fd);

}  // namespace unp::detail

#endif  // UNP_READLINE_BUFFER_H
