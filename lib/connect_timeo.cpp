// SPDX-License-Identifier: MIT
// connect_timeo: connect() with a timeout from SIGALRM, as in the book's
// chapter 14: the alarm interrupts the blocked connect (Signal leaves
// SIGALRM without SA_RESTART), which then fails with EINTR, reported as
// ETIMEDOUT.  A process has one alarm, so this is for single-threaded
// programs; connect_nonb is the way that works everywhere.
#include "unp.h"

namespace {

void connect_alarm(int) {}  // only interrupts connect()

}  // namespace

extern "C" {

int connect_timeo(int sockfd, const SA *saptr, socklen_t salen, int nsec)
{
    Sigfunc *sigfunc = Signal(SIGALRM, connect_alarm);
    unsigned left = alarm(static_cast<unsigned>(nsec));
    if (left != 0)
        err_msg("connect_timeo: alarm was already set");  // the book's warning; it is replaced
    int n = connect(sockfd, saptr, salen);
    int saved = errno;
    alarm(0);  // turn off the alarm
    Signal(SIGALRM, sigfunc);  // and restore the previous handler
    if (n < 0) {
        errno = saved == EINTR ? ETIMEDOUT : saved;
        return -1;
    }
    return 0;
}

void Connect_timeo(int fd, const SA *sa, socklen_t salen, int sec)
{
    if (connect_timeo(fd, sa, salen, sec) < 0)
        err_sys("connect_timeo error");
}

}  // extern "C"
