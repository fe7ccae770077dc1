// SPDX-License-Identifier: MIT
// Small helpers for the nonblock tests: a listener of the test's own (the
// peer a test controls byte by byte), waits on one descriptor, and the CPU
// time /proc says a process has used.
#ifndef SOCKLAB_NONBLOCK_SUPPORT_HPP
#define SOCKLAB_NONBLOCK_SUPPORT_HPP

#include "process.hpp"

#include <string>

namespace socklab::test {

// A listening socket on 127.0.0.1, port chosen by the kernel.
struct Listener {
    explicit Listener(int backlog = LISTENQ);
    unp::Fd fd;
    int port = 0;
    // The next connection, or an empty Fd if none comes within timeout.
    unp::Fd accept(Millis timeout = kDefaultTimeout);
};

// True once fd is readable (events POLLIN) or writable (POLLOUT) in time.
bool wait_fd(int fd, short events, Millis timeout = kDefaultTimeout);

// Reads an HTTP request head (through the blank line); "" on EOF/deadline.
std::string read_request(int fd, Millis timeout = kDefaultTimeout);

// utime + stime of pid in seconds, from /proc/pid/stat; -1 if unreadable.
double cpu_seconds(pid_t pid);

}  // namespace socklab::test

#endif
