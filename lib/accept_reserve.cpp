// SPDX-License-Identifier: MIT
// accept_reserve(): accept() that survives running out of descriptors.
//
// When the process has no descriptor left, accept() fails with EMFILE and
// the client stays in the listen queue: the listening socket stays
// readable, so a select/poll/epoll loop wakes at once, fails again, and
// spins at 100% CPU (logging each failure), and a server that exits on the
// error stops serving everyone.  The well-known way out (libev, nginx) is a
// spare descriptor kept open for this moment: free it, accept the client,
// close that connection at once, take the spare back.  The client learns
// the server is full instead of hanging, the queue drains, and the loop
// sleeps until something else happens.
#include "unp.h"

static int open_spare(void)
{
    return open("/dev/null", O_RDONLY | O_CLOEXEC);
}

extern "C" void accept_reserve_init(struct accept_reserve *r)
{
    r->spare = open_spare();
    r->shedding = 0;
    if (r->spare < 0)
        err_ret("accept_reserve: open /dev/null error");  // served, but without the reserve
}

extern "C" int accept_reserve(struct accept_reserve *r, int listenfd, SA *sa, socklen_t *salenp)
{
    int connfd = accept(listenfd, sa, salenp);
    if (connfd >= 0) {
        if (r->shedding)
            err_msg("accept: descriptors free again; accepting clients");
        r->shedding = 0;
        return connfd;
    }
    if (errno != EMFILE && errno != ENFILE)
        return -1;  // accept()'s own error, for the caller to judge
    int err = errno;
    if (!r->shedding) {
        errno = err;
        err_ret("accept error (turning new clients away until a descriptor is free)");
    }
    r->shedding = 1;
    if (r->spare >= 0) {
        close(r->spare);
        connfd = accept(listenfd, nullptr, nullptr);
        if (connfd >= 0)
            close(connfd);  // the client sees its connection end
        r->spare = open_spare();
    }
    if (r->spare < 0) {
        // No spare (another thread took the slot, or /dev/null is gone):
        // pause a little rather than spin on a queue we cannot drain.
        struct timespec ts = {0, 10 * 1000 * 1000};
        nanosleep(&ts, nullptr);
        r->spare = open_spare();
    }
    errno = err;
    return -1;
}
