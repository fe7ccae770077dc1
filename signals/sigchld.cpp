// SPDX-License-Identifier: MIT
// The book's sigchldwait.c and sigchldwaitpid.c, async-signal-safe.
#include "sigchld.h"

#include "unp.h"

#include <atomic>

namespace {

volatile sig_atomic_t quiet = 0;
std::atomic<long> reaped{0};  // lock-free, so safe to touch in a handler
static_assert(std::atomic<long>::is_always_lock_free);

// "child 1234 terminated\n" with write(2): no stdio, no malloc, no locks.
void report(pid_t pid)
{
    reaped.fetch_add(1, std::memory_order_relaxed);
    if (quiet)
        return;
    char buf[48];
    char digits[24];
    int nd = 0;
    unsigned long v = static_cast<unsigned long>(pid);
    do {
        digits[nd++] = static_cast<char>('0' + v % 10);
        v /= 10;
    } while (v != 0);
    size_t n = 0;
    for (const char *p = "child "; *p; p++)
        buf[n++] = *p;
    while (nd > 0)
        buf[n++] = digits[--nd];
    for (const char *p = " terminated\n"; *p; p++)
        buf[n++] = *p;
    ssize_t ignored = write(STDOUT_FILENO, buf, n);
    (void)ignored;  // nothing useful to do about it inside a handler
}

}  // namespace

extern "C" {

void sig_chld_wait(int)
{
    int saved_errno = errno;  // the interrupted code may be about to read errno
    int stat;
    pid_t pid = wait(&stat);  // one child per signal: the lesson's flaw
    if (pid > 0)
        report(pid);
    errno = saved_errno;
}

void sig_chld_waitpid(int)
{
    int saved_errno = errno;
    int stat;
    pid_t pid;
    // WNOHANG: return at once when no more children have ended, instead of
    // blocking in the handler while others are still running.
    while ((pid = waitpid(-1, &stat, WNOHANG)) > 0)
        report(pid);
    errno = saved_errno;
}

void sigchld_quiet(int q) { quiet = q; }

long sigchld_reaped(void) { return reaped.load(std::memory_order_relaxed); }

}  // extern "C"
