// SPDX-License-Identifier: MIT
// udpservloop - counts the datagrams that arrive (book 8.13, dgecholoop1
// and dgecholoop2): the receiving end of the lesson that UDP has no flow
// control.
//
// usage: udpservloop [-r RCVBUF] [port]    (default 9877; 0: the kernel picks)
//
// -r asks for a receive buffer of RCVBUF bytes (SO_RCVBUF; the book uses
// 220 KiB), which Linux doubles for its bookkeeping and caps at
// net.core.rmem_max (root can raise it with SO_RCVBUFFORCE: here, -r does
// that when allowed).  The buffer in effect is printed.
//
// Output, after each burst (1 s without a datagram) and on Ctrl-C:
//   received 1873 datagrams; Udp RcvbufErrors 40211 -> 40338 (+127)
// The counters are the host's (every UDP socket of this network
// namespace), read from /proc/net/snmp, the file `netstat -su` prints.
//
// Observe: udpcliloop sends 2000; with the default buffer some are lost
// and RcvbufErrors grows; with -r 1048576 fewer (or none) are.  Printing
// the reply from a slow server (this one does nothing else) makes it worse.
#include "unp.h"

#include <fstream>
#include <sstream>
#include <string>

namespace {

volatile sig_atomic_t interrupted = 0;

extern "C" void sig_int(int) { interrupted = 1; }

// The Udp RcvbufErrors counter of /proc/net/snmp: a header line
// "Udp: InDatagrams NoPorts ..." names the fields of the line after it.
// -1 if the file or the field is missing.
long udp_rcvbuf_errors()
{
    std::ifstream in("/proc/net/snmp");
    std::string names, values;
    while (std::getline(in, names) && std::getline(in, values)) {
        if (names.rfind("Udp: ", 0) != 0)
            continue;
        std::istringstream n(names), v(values);
        std::string name, value;
        while (n >> name && v >> value)
            if (name == "RcvbufErrors")
                return std::stol(value);
    }
    return -1;
}

void report(long count, long before)
{
    long now = udp_rcvbuf_errors();
    printf("received %ld datagrams; Udp RcvbufErrors %ld -> %ld (+%ld)\n", count, before, now, now - before);
    fflush(stdout);
}

}  // namespace

int main(int argc, char **argv)
{
    int sockfd, c, rcvbuf = 0;
    struct sockaddr_in servaddr, cliaddr;
    socklen_t len;
    char mesg[65536];
    const char *usage = "usage: udpservloop [-r RCVBUF] [port]";

    check_usage(argc, argv, true, usage);  // -h/--help before getopt sees them
    while ((c = getopt(argc, argv, "r:")) != -1) {
        char *end = nullptr;
        long v = strtol(optarg, &end, 10);
        if (c != 'r' || *end != '\0' || v <= 0 || v > (1L << 30))
            err_quit("%s", usage);
        rcvbuf = static_cast<int>(v);
    }
    if (argc - optind > 1)
        err_quit("%s", usage);
    int port = optind < argc ? Parse_port(argv[optind]) : SERV_PORT;

    sockfd = Socket(AF_INET, SOCK_DGRAM, 0);
    if (rcvbuf > 0 && setsockopt(sockfd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof rcvbuf) < 0)
        Setsockopt(sockfd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);  // capped at rmem_max
    int got = 0;
    len = sizeof got;
    Getsockopt(sockfd, SOL_SOCKET, SO_RCVBUF, &got, &len);

    bzero(&servaddr, sizeof servaddr);
    servaddr.sin_family = AF_INET;
    servaddr.sin_addr.s_addr = htonl(INADDR_ANY);
    servaddr.sin_port = htons(static_cast<uint16_t>(port));
    Bind(sockfd, (SA *) &servaddr, sizeof servaddr);
    printf("receive buffer (SO_RCVBUF): %d bytes\n", got);
    print_listening(sockfd);

    Signal_intr(SIGINT, sig_int);  // interrupts recvfrom: print the count, then exit
    long count = 0, counted = 0, before = udp_rcvbuf_errors();
    for (;;) {
        fd_set rset;
        FD_ZERO(&rset);
        FD_SET(sockfd, &rset);
        struct timeval tv = {1, 0};
        int n = select(sockfd + 1, &rset, nullptr, nullptr, &tv);
        if (interrupted)
            break;
        if (n < 0 && errno != EINTR)
            err_sys("select error");
        if (n == 0 && count > counted) {  // a burst has ended: show what it left
            report(count, before);
            counted = count;
        }
        if (n <= 0)
            continue;
        len = sizeof cliaddr;
        Recvfrom(sockfd, mesg, sizeof mesg, 0, (SA *) &cliaddr, &len);
        count++;
    }
    report(count, before);
    exit(0);
}
