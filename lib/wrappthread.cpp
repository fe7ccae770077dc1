// SPDX-License-Identifier: MIT
// The Pthread_* wrappers: a pthread function returns its error code
// instead of setting errno, so that code is what gets reported.
#include "unpthread.h"

namespace {

// n is the function's return value: 0, or an errno value.
void check(int n, const char *call)
{
    if (n != 0) {
        errno = n;  // err_sys prints strerror(errno)
        err_sys("%s error", call);
    }
}

}  // namespace

extern "C" {

void Pthread_create(pthread_t *tid, const pthread_attr_t *attr, void *(*func)(void *), void *arg)
{
    check(pthread_create(tid, attr, func, arg), "pthread_create");
}

void Pthread_join(pthread_t tid, void **status) { check(pthread_join(tid, status), "pthread_join"); }
void Pthread_detach(pthread_t tid) { check(pthread_detach(tid), "pthread_detach"); }
void Pthread_kill(pthread_t tid, int signo) { check(pthread_kill(tid, signo), "pthread_kill"); }

void Pthread_mutexattr_init(pthread_mutexattr_t *attr)
{
    check(pthread_mutexattr_init(attr), "pthread_mutexattr_init");
}

void Pthread_mutexattr_setpshared(pthread_mutexattr_t *attr, int flag)
{
    check(pthread_mutexattr_setpshared(attr, flag), "pthread_mutexattr_setpshared");
}

void Pthread_mutex_init(pthread_mutex_t *mptr, const pthread_mutexattr_t *attr)
{
    check(pthread_mutex_init(mptr, attr), "pthread_mutex_init");
}

void Pthread_mutex_lock(pthread_mutex_t *mptr) { check(pthread_mutex_lock(mptr), "pthread_mutex_lock"); }
void Pthread_mutex_unlock(pthread_mutex_t *mptr) { check(pthread_mutex_unlock(mptr), "pthread_mutex_unlock"); }

void Pthread_cond_broadcast(pthread_cond_t *cptr) { check(pthread_cond_broadcast(cptr), "pthread_cond_broadcast"); }
void Pthread_cond_signal(pthread_cond_t *cptr) { check(pthread_cond_signal(cptr), "pthread_cond_signal"); }

void Pthread_cond_wait(pthread_cond_t *cptr, pthread_mutex_t *mptr)
{
    check(pthread_cond_wait(cptr, mptr), "pthread_cond_wait");
}

int Pthread_cond_timedwait(pthread_cond_t *cptr, pthread_mutex_t *mptr, const struct timespec *tsptr)
{
    int n = pthread_cond_timedwait(cptr, mptr, tsptr);
    if (n != ETIMEDOUT)
        check(n, "pthread_cond_timedwait");
    return n;
}

void Pthread_key_create(pthread_key_t *key, void (*func)(void *))
{
    check(pthread_key_create(key, func), "pthread_key_create");
}

void Pthread_setspecific(pthread_key_t key, const void *value)
{
    check(pthread_setspecific(key, value), "pthread_setspecific");
}

void Pthread_once(pthread_once_t *ptr, void (*func)(void)) { check(pthread_once(ptr, func), "pthread_once"); }

}  // extern "C"
