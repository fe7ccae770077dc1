// SPDX-License-Identifier: MIT
// The book's error functions: print a message (with strerror for the errno
// variants) to stderr, or to syslog in a daemon, then return or end.
#include "unp.h"

#include <syslog.h>

#include <cstdarg>
#include <cstdio>

extern "C" {
int daemon_proc = 0;  // set non-zero by a daemon: messages go to syslog
}

namespace {

// Formats the message, appends ": strerror(saved_errno)" when asked, and
// writes it in one piece.  The message is passed to syslog as an argument,
// never as a format, so a '%' in a path or peer's text is harmless.
void err_doit(bool with_errno, int saved_errno, int level, const char *fmt, va_list ap)
{
    char buf[MAXLINE + 1];
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    size_t len = n < 0 ? 0 : (static_cast<size_t>(n) < sizeof buf ? static_cast<size_t>(n) : sizeof buf - 1);
    if (with_errno && len < sizeof buf - 1)
        snprintf(buf + len, sizeof buf - len, ": %s", strerror(saved_errno));

    if (daemon_proc) {
        daemon_syslog(level, buf);  // syslog(3), or the test's socket (daemon_log.cpp)
    } else {
        fflush(stdout);  // in case stdout and stderr are the same
        fprintf(stderr, "%s\n", buf);
        fflush(stderr);
    }
}

}  // namespace

extern "C" {

void err_ret(const char *fmt, ...)
{
    int saved = errno;
    va_list ap;
    va_start(ap, fmt);
    err_doit(true, saved, LOG_INFO, fmt, ap);
    va_end(ap);
    errno = saved;
}

void err_sys(const char *fmt, ...)
{
    int saved = errno;
    va_list ap;
    va_start(ap, fmt);
    err_doit(true, saved, LOG_ERR, fmt, ap);
    va_end(ap);
    exit(1);
}

void err_dump(const char *fmt, ...)
{
    int saved = errno;
    va_list ap;
    va_start(ap, fmt);
    err_doit(true, saved, LOG_ERR, fmt, ap);
    va_end(ap);
    abort();  // dump core and terminate
}

void err_msg(const char *fmt, ...)
{
    int saved = errno;
    va_list ap;
    va_start(ap, fmt);
    err_doit(false, 0, LOG_INFO, fmt, ap);
    va_end(ap);
    errno = saved;
}

void err_quit(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    err_doit(false, 0, LOG_ERR, fmt, ap);
    va_end(ap);
    exit(1);
}

namespace {

void err_level(bool with_errno, int saved_errno, int level, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    err_doit(with_errno, saved_errno, level, fmt, ap);
    va_end(ap);
}

}  // namespace

// The one printer of a failed bind() (unp.h): the call and strerror first,
// then the hint as a message of its own, both errors (LOG_ERR in a daemon).
void err_bind(const char *what, int err, const char *hint)
{
    err_level(true, err, LOG_ERR, "%s", what);
    if (hint != nullptr && *hint != '\0')
        err_level(false, 0, LOG_ERR, "%s", hint);
    exit(1);
}

}  // extern "C"
