// SPDX-License-Identifier: MIT
// daytimeinetd - the daytime server written for inetd (the book's
// inetd/daytimetcpsrv3.c).  No socket, bind, listen or accept: the
// super-server did all of that, then forked, put the connection on
// descriptors 0, 1 and 2 and exec'd this program.  It logs the client's
// address (getpeername on descriptor 0), writes one line and exits.
//
// usage: (from an inetd.conf line)
//     127.0.0.1:0 stream tcp nowait nobody /path/to/daytimeinetd daytimeinetd
//
// Observe: the same line reaches the client under tinyinetd, openbsd-inetd
// and systemd-socket-activate --inetd; the log (journalctl -t daytimeinetd)
// has one "connection from" line per client, each from a new pid.  Started
// from a shell it says that descriptor 0 is not a socket.
#include "unp.h"

int main(int argc, char **argv)
{
    socklen_t len;
    struct sockaddr_storage cliaddr;
    char buff[MAXLINE];
    time_t ticks;
    struct tm now;

    const char *usage = "usage: daytimeinetd   (run by an inetd: the connection is on descriptor 0)";
    check_usage(argc, argv, argc == 1, usage);

    // Before daemon_inetd, so that from a terminal the message reaches it.
    len = sizeof cliaddr;
    if (getpeername(0, (SA *) &cliaddr, &len) < 0)
        err_sys("getpeername error on descriptor 0 (start me from an inetd: see README.md)");

    daemon_inetd(argv[0], 0);  // err_* to syslog: 0, 1 and 2 are the client now
    err_msg("connection from %s", Sock_ntop((SA *) &cliaddr, len));

    ticks = time(NULL);
    localtime_r(&ticks, &now);
    strftime(buff, sizeof buff, "%a %b %e %H:%M:%S %Y\r\n", &now);
    Write(0, buff, strlen(buff));  // descriptor 0 is the connected socket

    Close(0);
    exit(0);
}
