// SPDX-License-Identifier: MIT
// daemon_init: turn the calling process into a daemon, as the book's
// chapter 13 does it, step by step.
#include "unp.h"

#include <syslog.h>

namespace {
constexpr int MAXFD = 64;  // the book's bound on descriptors to close
}

extern "C" {

int daemon_init(const char *pname, int facility)
{
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid > 0)
        _exit(0);  // the parent ends: the shell gets its prompt back

    // Child 1: not a process-group leader (its parent was), so setsid()
    // works: a new session and group, and no controlling terminal.
    if (setsid() < 0)
        return -1;

    // When child 1, the session leader, ends, its session gets SIGHUP.
    Signal(SIGHUP, SIG_IGN);
    pid = fork();
    if (pid < 0)
        return -1;
    if (pid > 0)
        _exit(0);

    // Child 2: not a session leader, so opening a terminal can never make
    // it the daemon's controlling terminal again.
    daemon_proc = 1;  // err_* now go to syslog

    if (chdir("/") < 0)  // do not keep a file system busy (umount)
        return -1;

    for (int fd = 0; fd < MAXFD; fd++)  // nothing inherited stays open
        close(fd);

    // 0, 1 and 2 to /dev/null: the lowest free descriptors, in order, so a
    // library that writes to stdout or stderr writes nowhere harmful.
    open("/dev/null", O_RDONLY);
    open("/dev/null", O_RDWR);
    open("/dev/null", O_RDWR);

    daemon_openlog(pname, LOG_PID, facility);
    return 0;
}

}  // extern "C"
