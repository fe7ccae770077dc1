// SPDX-License-Identifier: MIT
// udpcliloop - UDP has no flow control (book 8.13): send 2000 datagrams
// of 1400 bytes as fast as the socket takes them, and never wait for an
// answer.  Run against udpservloop, which counts what arrived.
//
// usage: udpcliloop [-n COUNT] [-l LENGTH] <IPaddress> [port]
//        (default 2000 datagrams of 1400 bytes, port 9877)
//
// Observe: the client says "sent 2000 datagrams" and every sendto()
// succeeded, yet the server may count fewer: the ones its receive buffer
// had no room for were dropped by the receiving kernel, which counts them
// as "receive buffer errors" (`netstat -su`, /proc/net/snmp RcvbufErrors).
// Nobody tells the sender.
#include "unp.h"

int main(int argc, char **argv)
{
    int sockfd, c;
    long count = 2000, length = 1400;
    struct sockaddr_in servaddr;
    const char *usage = "usage: udpcliloop [-n COUNT] [-l LENGTH] <IPaddress> [port]";

    check_usage(argc, argv, true, usage);  // -h/--help before getopt sees them
    while ((c = getopt(argc, argv, "n:l:")) != -1) {
        char *end = nullptr;
        long v = strtol(optarg, &end, 10);
        if ((c != 'n' && c != 'l') || *end != '\0' || v < 0 || (c == 'l' && v > 65507) || v > 100000000)
            err_quit("%s", usage);
        (c == 'n' ? count : length) = v;
    }
    if (argc - optind != 1 && argc - optind != 2)
        err_quit("%s", usage);
    int port = argc - optind == 2 ? Parse_server_port(argv[optind + 1]) : SERV_PORT;

    bzero(&servaddr, sizeof servaddr);
    servaddr.sin_family = AF_INET;
    servaddr.sin_port = htons(static_cast<uint16_t>(port));
    Inet_pton(AF_INET, argv[optind], &servaddr.sin_addr);

    sockfd = Socket(AF_INET, SOCK_DGRAM, 0);

    char *sendline = static_cast<char *>(Calloc(1, static_cast<size_t>(length) + 1));
    for (long i = 0; i < count; i++)
        Sendto(sockfd, sendline, static_cast<size_t>(length), 0, (SA *) &servaddr,
               sizeof servaddr);
    printf("sent %ld datagrams of %ld bytes\n", count, length);
    free(sendline);
    exit(0);
}
