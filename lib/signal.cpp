// SPDX-License-Identifier: MIT
// Signal: the book's reliable signal() on top of sigaction().
#include "unp.h"

namespace {

Sigfunc *install(int signo, Sigfunc *func, bool restart)
{
    struct sigaction act {}, oact {};
    act.sa_handler = func;
    sigemptyset(&act.sa_mask);
    act.sa_flags = restart ? SA_RESTART : 0;
    if (sigaction(signo, &act, &oact) < 0)
        return SIG_ERR;
    return oact.sa_handler;
}

}  // namespace

extern "C" {

Sigfunc *Signal(int signo, Sigfunc *func)
{
    // SIGALRM is left able to interrupt a slow call: that is how a timeout
    // around connect() or read() works.  Every other handler gets
    // SA_RESTART, so an accept() or read() it interrupts just resumes.
    Sigfunc *old = install(signo, func, signo != SIGALRM);
    if (old == SIG_ERR)
        err_sys("signal error");
    return old;
}

Sigfunc *Signal_intr(int signo, Sigfunc *func)
{
    Sigfunc *old = install(signo, func, false);
    if (old == SIG_ERR)
        err_sys("signal_intr error");
    return old;
}

}  // extern "C"
