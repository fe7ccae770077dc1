// SPDX-License-Identifier: MIT
// echoinetd - the echo server written for inetd: it reads standard input
// and writes standard output, which inetd has made the client's socket.
//
// usage: (from an inetd.conf line)
//     127.0.0.1:0 stream tcp nowait nobody /path/to/echoinetd echoinetd
//     127.0.0.1:0 dgram  udp wait   nobody /path/to/echoinetd echoinetd 2
//
// As a `nowait` stream server it serves one connection: descriptor 0 is
// the connected socket, and it copies 0 to 1 until the client closes.
// As a `wait` datagram server descriptor 0 is inetd's own UDP socket,
// lent until this process exits: it answers every datagram (recvfrom,
// sendto back to its sender) and exits after [idle] seconds (default 10)
// without one, and inetd then watches the socket again.
//
// Observe: `ps --ppid <inetd pid>` shows one echoinetd per TCP client, but
// a single one for any number of UDP clients while it lives; each logs
// "connection from" / "datagram from" (journalctl -t echoinetd).
#include "unp.h"

namespace {

// The stream case: what the book's str_echo does, on stdin and stdout.
void echo_stream()
{
    char buf[BUFFSIZE];
    ssize_t n;
    while ((n = read(STDIN_FILENO, buf, sizeof buf)) > 0)
        Writen(STDOUT_FILENO, buf, n);
    if (n < 0)
        err_sys("read error");
}

// The datagram case: the book's dg_echo, until [idle] seconds pass quietly.
void echo_datagrams(int idle)
{
    char buf[65536];
    struct sockaddr_storage cliaddr;
    socklen_t len;
    fd_set rset;
    for (;;) {
        struct timeval tv = {idle, 0};
        FD_ZERO(&rset);
        FD_SET(STDIN_FILENO, &rset);
        if (Select(STDIN_FILENO + 1, &rset, NULL, NULL, &tv) == 0)
            return;  // idle: give the socket back to inetd
        len = sizeof cliaddr;
        ssize_t n = Recvfrom(STDIN_FILENO, buf, sizeof buf, 0, (SA *) &cliaddr, &len);
        err_msg("datagram from %s, %zd bytes", Sock_ntop((SA *) &cliaddr, len), n);
        if (sendto(STDIN_FILENO, buf, n, 0, (SA *) &cliaddr, len) < 0)
            err_ret("sendto error");  // e.g. ICMP from an earlier one: keep serving
    }
}

}  // namespace

int main(int argc, char **argv)
{
    const char *usage = "usage: echoinetd [idle-seconds]   (run by an inetd: the client is on descriptor 0)";
    check_usage(argc, argv, argc <= 2, usage);
    int idle = argc == 2 ? atoi(argv[1]) : 10;
    if (idle <= 0)
        err_quit("%s", usage);

    int type = 0;
    socklen_t optlen = sizeof type;
    if (getsockopt(STDIN_FILENO, SOL_SOCKET, SO_TYPE, &type, &optlen) < 0)
        err_sys("getsockopt error on descriptor 0 (start me from an inetd: see README.md)");

    daemon_inetd(argv[0], 0);
    if (type == SOCK_DGRAM) {
        echo_datagrams(idle);
    } else {
        struct sockaddr_storage cliaddr;
        socklen_t len = sizeof cliaddr;
        Getpeername(STDIN_FILENO, (SA *) &cliaddr, &len);
        err_msg("connection from %s", Sock_ntop((SA *) &cliaddr, len));
        echo_stream();
    }
    exit(0);
}
