// SPDX-License-Identifier: MIT
// daytimed - the daytime server as a daemon (the book's
// inetd/daytimetcpsrv2.c): daemon_init() detaches it from the terminal,
// and every message, each client's address included, goes to syslog.
//
// usage: daytimed [port]      (default 13, which needs root; 0: the kernel picks)
//
// Observe: the shell prompt comes back at once (the parent has exited);
// `ps -o pid,ppid,sid,tty,cmd -C daytimed` shows PPID 1 (or a subreaper),
// its own session and no terminal (TTY ?).  Nothing is printed: the port
// it listens on, each connection and any error are in the system log
// (`journalctl -t daytimed`, or /var/log/syslog).  Stop it with
// `kill <pid>`: Ctrl-C cannot reach a process without a terminal.
// SOCKLAB_SYSLOG_SOCKET=/path sends the log lines to a socket of your own
// instead (see README.md).
#include "unp.h"

#include <syslog.h>

int main(int argc, char **argv)
{
    int listenfd, connfd;
    socklen_t addrlen, len;
    struct sockaddr_storage cliaddr;
    char buff[MAXLINE];
    time_t ticks;
    struct tm now;

    check_usage(argc, argv, argc <= 2, "usage: daytimed [port]");
    const char *port = argc == 2 ? argv[1] : "13";
    Parse_port(port);  // a bad argument is reported here, while there is a terminal

    if (daemon_init(argv[0], 0) < 0)  // from here on, err_* write to syslog
        err_sys("daemon_init error");

    listenfd = Tcp_listen(NULL, port, &addrlen);  // a bind error lands in syslog too
    len = sizeof cliaddr;
    Getsockname(listenfd, (SA *) &cliaddr, &len);
    err_msg("listening on %s, port %d", Sock_ntop_host((SA *) &cliaddr, len),
            sock_get_port((SA *) &cliaddr, len));

    for (;;) {
        len = sizeof cliaddr;
        connfd = Accept(listenfd, (SA *) &cliaddr, &len);
        err_msg("connection from %s", Sock_ntop((SA *) &cliaddr, len));

        ticks = time(NULL);
        localtime_r(&ticks, &now);
        strftime(buff, sizeof buff, "%a %b %e %H:%M:%S %Y\r\n", &now);
        if (send(connfd, buff, strlen(buff), MSG_NOSIGNAL) < 0)
            err_ret("send error");  // this client reset: log it, serve the next
        Close(connfd);
    }
}
