// SPDX-License-Identifier: MIT
// Where a daemon's messages go: syslog(3) (glibc sends them to /dev/log),
// or, when the environment names a socket in SOCKLAB_SYSLOG_SOCKET, that
// unix datagram socket, in the same RFC 3164 form glibc writes:
//
//     <PRI>Mmm dd hh:mm:ss IDENT[PID]: MESSAGE
//
// glibc's openlog() cannot be pointed anywhere but /dev/log, and only root
// can bind a socket there; the variable lets a test (or a student without
// root) receive a daemon's lines on a socket of its own.
#include "unp.h"

#include <syslog.h>

namespace {

struct LogTarget {
    int fd = -1;               // unix datagram socket, or -1: use syslog(3)
    sockaddr_un addr{};
    char ident[64] = "";
    int option = 0;
    int facility = LOG_USER;
};
LogTarget target;

// Connects target.fd to target.addr; false (and no socket) on failure.
bool connect_target()
{
    if (target.fd < 0)
        target.fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);  // never inherited by exec'd servers
    if (target.fd < 0)
        return false;
    if (connect(target.fd, reinterpret_cast<SA *>(&target.addr), sizeof target.addr) == 0)
        return true;
    close(target.fd);
    target.fd = -1;
    return false;
}

}  // namespace

extern "C" {

void daemon_openlog(const char *ident, int option, int facility)
{
    const char *slash = strrchr(ident, '/');
    ident = slash ? slash + 1 : ident;  // "daytimed", not "./build/inetd/daytimed"
    if (facility == 0)
        facility = LOG_USER;  // as glibc: 0 (the book's usual argument) means the default
    const char *path = getenv("SOCKLAB_SYSLOG_SOCKET");
    if (path == nullptr || *path == '\0' || strlen(path) >= sizeof target.addr.sun_path) {
        openlog(ident, option, facility);  // keeps the pointer: ident points into argv
        return;
    }
    snprintf(target.ident, sizeof target.ident, "%s", ident);
    target.option = option;
    target.facility = facility;
    target.addr.sun_family = AF_UNIX;
    snprintf(target.addr.sun_path, sizeof target.addr.sun_path, "%s", path);
    connect_target();  // now, like LOG_NDELAY: a daemon that later chroots still logs
}

void daemon_syslog(int level, const char *msg)
{
    if (target.addr.sun_family != AF_UNIX) {
        syslog(level, "%s", msg);  // the message is an argument, never a format
        return;
    }
    char stamp[32];
    time_t now = time(nullptr);
    struct tm tm;
    localtime_r(&now, &tm);
    strftime(stamp, sizeof stamp, "%b %e %H:%M:%S", &tm);
    char line[MAXLINE + 128];
    int n = (target.option & LOG_PID)
                ? snprintf(line, sizeof line, "<%d>%s %s[%ld]: %s", target.facility | LOG_PRI(level), stamp,
                           target.ident, static_cast<long>(getpid()), msg)
                : snprintf(line, sizeof line, "<%d>%s %s: %s", target.facility | LOG_PRI(level), stamp,
                           target.ident, msg);
    size_t len = n < 0 ? 0 : (static_cast<size_t>(n) < sizeof line ? static_cast<size_t>(n) : sizeof line - 1);
    // Like syslog(3): a receiver that went away loses the line, it never
    // stops the daemon.  One reconnect, for a receiver that was restarted.
    if ((target.fd >= 0 || connect_target()) && send(target.fd, line, len, MSG_NOSIGNAL) < 0 && connect_target())
        send(target.fd, line, len, MSG_NOSIGNAL);
}

}  // extern "C"
