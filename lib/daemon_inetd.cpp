// SPDX-License-Identifier: MIT
// daemon_inetd: what a server started by inetd needs to become a daemon.
// inetd has done the rest already (its own daemon_init, then fork; the
// connection on descriptors 0, 1 and 2), so only the logging is left.
#include "unp.h"

#include <syslog.h>

extern "C" {

void daemon_inetd(const char *pname, int facility)
{
    daemon_proc = 1;  // err_* now go to syslog: 0-2 are the client's socket
    daemon_openlog(pname, LOG_PID, facility);
}

}  // extern "C"
