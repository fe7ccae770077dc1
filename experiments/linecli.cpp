// SPDX-License-Identifier: MIT
// linecli - send each line of stdin over one connection, print each echo.
//
// usage: linecli [--addr IPaddress] [--port port]
//
// The reports' line-by-line echo client (default 127.0.0.1, port 9877):
// one connect(), then for every line a write() and a read of the echo, so
// many requests travel over one connection.  Ctrl-D (end of input) closes
// the connection cleanly with close(); Ctrl-C kills the process, and the
// kernel still closes the socket with a FIN.
//
// In tcpview: every line is one data segment from the client and one from
// the server, each acknowledged; the client's FIN comes first at Ctrl-D.
#include "unp.h"

#include <string>

int main(int argc, char **argv)
{
    const char *addr = "127.0.0.1";
    const char *port = SERV_PORT_STR;
    check_usage(argc, argv, argc % 2 == 1, "usage: linecli [--addr IPaddress] [--port port]");
    for (int i = 1; i < argc; i += 2) {
        std::string opt = argv[i];
        if (i + 1 >= argc || (opt != "--addr" && opt != "--port"))
            err_quit("usage: linecli [--addr IPaddress] [--port port]");
        (opt == "--addr" ? addr : port) = argv[i + 1];
    }

    struct sockaddr_in servaddr;

    bzero(&servaddr, sizeof servaddr);
    servaddr.sin_family = AF_INET;
    servaddr.sin_port = htons(static_cast<uint16_t>(Parse_server_port(port)));
    Inet_pton(AF_INET, addr, &servaddr.sin_addr);

    int sockfd = Socket(AF_INET, SOCK_STREAM, 0);
    Connect(sockfd, (SA *) &servaddr, sizeof servaddr);

    char sendline[MAXLINE], recvline[MAXLINE];
    while (Fgets(sendline, MAXLINE, stdin) != nullptr) {
        Writen(sockfd, sendline, strlen(sendline));
        if (Readline(sockfd, recvline, MAXLINE) == 0)
            err_quit("linecli: server terminated prematurely");
        Fputs(recvline, stdout);
        fflush(stdout);
    }
    Close(sockfd);  // end of input: FIN to the server
    return 0;
}
