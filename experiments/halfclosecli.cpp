// SPDX-License-Identifier: MIT
// halfclosecli - send, shutdown(SHUT_WR), and keep reading to the end.
//
// usage: halfclosecli <IPaddress> <port> <message>
//
// shutdown(sockfd, SHUT_WR) sends FIN - "I have nothing more to say" - but
// unlike close() the socket still receives.  The server reads the message,
// then end of file, answers, and closes; this client reads every answer
// until its own read() returns 0.
//
// In tcpview (`--run './eofserv 0' --run './halfclosecli 127.0.0.1 {port} hello'`):
// the client's FIN comes first, the server's answer follows and the client
// acknowledges it: "that FIN was shutdown(SHUT_WR), not close()".  With
// chunkserv, which answers every 5 bytes at once, the answers may come
// before or after the FIN: whichever process the scheduler runs first.
#include "unp.h"

int main(int argc, char **argv)
{
    check_usage(argc, argv, argc == 4, "usage: halfclosecli <IPaddress> <port> <message>");

    struct sockaddr_in servaddr;

    bzero(&servaddr, sizeof servaddr);
    servaddr.sin_family = AF_INET;
    servaddr.sin_port = htons(static_cast<uint16_t>(Parse_server_port(argv[2])));
    Inet_pton(AF_INET, argv[1], &servaddr.sin_addr);

    int sockfd = Socket(AF_INET, SOCK_STREAM, 0);
    Connect(sockfd, (SA *) &servaddr, sizeof servaddr);
    Writen(sockfd, argv[3], strlen(argv[3]));
    Shutdown(sockfd, SHUT_WR);  // FIN now; reading goes on

    char buf[1024];
    ssize_t n, total = 0;
    while ((n = Read(sockfd, buf, sizeof buf)) > 0) {
        printf("read %zd bytes: %.*s\n", n, static_cast<int>(n), buf);
        total += n;
    }
    printf("end of file after %zd bytes\n", total);
    Close(sockfd);
    return 0;
}
