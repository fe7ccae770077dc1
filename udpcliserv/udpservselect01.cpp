// SPDX-License-Identifier: MIT
// udpservselect01 - one server, TCP and UDP echo on the same port (book
// 8.15): a listening TCP socket and a UDP socket bound to one port number
// (TCP's ports and UDP's are separate spaces), and select() on both.
//
// usage: udpservselect01 [port]     (default 9877; 0: the kernel picks one
//                                    for TCP, and UDP binds the same)
//
// A TCP client is accepted and served by a child (str_echo), as tcpserv04
// does; a UDP datagram is answered at once by this process.
//
// Observe: tcpcli01 and udpcli01 on the same port, at the same time;
// `ss -tulnp` shows both sockets, one process.  select() returns EINTR
// when SIGCHLD interrupts it: the loop just goes round again.
#include "unp.h"
#include "sigchld.h"

int main(int argc, char **argv)
{
    int listenfd, connfd, udpfd, nready, maxfdp1;
    char mesg[65536];
    pid_t childpid;
    fd_set rset;
    ssize_t n;
    socklen_t len;
    const int on = 1;
    struct sockaddr_in cliaddr, servaddr;
    const char *usage = "usage: udpservselect01 [port]";

    check_usage(argc, argv, argc <= 2, usage);
    int port = argc == 2 ? Parse_port(argv[1]) : SERV_PORT;

    // The TCP socket: bound and listening, as in tcpserv04.
    listenfd = Socket(AF_INET, SOCK_STREAM, 0);
    bzero(&servaddr, sizeof servaddr);
    servaddr.sin_family = AF_INET;
    servaddr.sin_addr.s_addr = htonl(INADDR_ANY);
    servaddr.sin_port = htons(static_cast<uint16_t>(port));
    Setsockopt(listenfd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
    Bind(listenfd, (SA *) &servaddr, sizeof servaddr);
    Listen(listenfd, LISTENQ);
    // Port 0: the kernel chose TCP's port; UDP asks for the same number.
    len = sizeof servaddr;
    Getsockname(listenfd, (SA *) &servaddr, &len);

    // The UDP socket, on the same port number.
    udpfd = Socket(AF_INET, SOCK_DGRAM, 0);
    Bind(udpfd, (SA *) &servaddr, sizeof servaddr);
    print_listening(listenfd);
    printf("udp on the same port: %d\n", ntohs(servaddr.sin_port));
    fflush(stdout);

    Signal(SIGCHLD, sig_chld_waitpid);  // reap the TCP children

    FD_ZERO(&rset);
    maxfdp1 = (listenfd > udpfd ? listenfd : udpfd) + 1;
    for (;;) {
        FD_SET(listenfd, &rset);
        FD_SET(udpfd, &rset);
        if ((nready = select(maxfdp1, &rset, nullptr, nullptr, nullptr)) < 0) {
            if (errno == EINTR)
                continue;  // SIGCHLD arrived: back to select()
            err_sys("select error");
        }

        if (FD_ISSET(listenfd, &rset)) {
            len = sizeof cliaddr;
            connfd = Accept(listenfd, (SA *) &cliaddr, &len);
            if ((childpid = Fork()) == 0) {  // the child serves this client
                Close(listenfd);
                Close(udpfd);
                str_echo(connfd);
                exit(0);
            }
            Close(connfd);  // the parent's copy
        }

        if (FD_ISSET(udpfd, &rset)) {
            len = sizeof cliaddr;
            n = Recvfrom(udpfd, mesg, sizeof mesg, 0, (SA *) &cliaddr, &len);
            if (sendto(udpfd, mesg, static_cast<size_t>(n), 0, (SA *) &cliaddr, len) != n)
                err_ret("sendto error to %s", Sock_ntop((SA *) &cliaddr, len));
        }
    }
}
