// SPDX-License-Identifier: MIT
// One echo client of a single-process server (tcpservselect01,
// tcpservpoll01): its socket, and the echo it has not taken yet.
//
// The socket is non-blocking.  While `unsent` is empty the server waits
// for input from the client; otherwise it waits until the client can take
// more, and reads nothing from it meanwhile, so a client that sends but
// never reads holds back only itself.
#ifndef ECHO_CLIENT_H
#define ECHO_CLIENT_H

#include "unp.h"

#include <string>

struct Client {
    int fd;
    std::string unsent;  // echo bytes the client has not taken yet
};

// Serves a client select() or poll() reported ready: reads (if nothing is
// pending) and writes what it can.  False once the client is gone (EOF,
// reset, or a write error); the caller then closes it.
inline bool serve(Client &c)
{
    if (c.unsent.empty()) {  // we were waiting for input
        char buf[MAXLINE];
        ssize_t n = read(c.fd, buf, sizeof buf);
        if (n == 0)
            return false;  // EOF: the client closed
        if (n < 0) {
            if (errno == EAGAIN || errno == EINTR)
                return true;
            err_ret("read error");  // e.g. Connection reset by peer
            return false;
        }
        c.unsent.assign(buf, static_cast<size_t>(n));
    }
    ssize_t n = write(c.fd, c.unsent.data(), c.unsent.size());
    if (n < 0) {
        if (errno == EAGAIN || errno == EINTR)
            return true;  // its buffers are full: try again when it is writable
        err_ret("write error");
        return false;
    }
    c.unsent.erase(0, static_cast<size_t>(n));
    return true;
}

#endif  // ECHO_CLIENT_H
