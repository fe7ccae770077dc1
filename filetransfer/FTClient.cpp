// SPDX-License-Identifier: MIT
// FTClient - the handout's file client (Practice 4), corrected.
//
// usage: FTClient [-t SECONDS] <IPaddress> <port> <remote-path> <local-file>
//
// Sends the path it wants, then reads segments (segment.h) and writes their
// bytes into the local file until the end-of-file segment.  Nothing is
// half-written: the bytes go into a hidden temporary file beside the local
// one (".NAME.part-XXXXXX", part_file.hpp), renamed to NAME only at the
// end-of-file segment.  A refusal prints the server's reason and exits 1; a
// transfer that breaks, or Ctrl-C, removes the temporary file and exits 1;
// either way an existing local file is left exactly as it was.  A server
// that sends nothing for SECONDS (default 30; 0: wait for ever) ends the
// transfer too.
//
// Observe: run it against a server that is killed mid-transfer; the
// handout's client would keep a short file and exit 0.
#include "unp.h"
#include "part_file.hpp"
#include "segment.h"

static ft::PartFile part;  // the temporary file: removed unless complete

// Removes the partial local file and exits 1, saying why.
[[noreturn]] static void broken(const char *why, long long received)
{
    part.discard();
    err_quit("FTClient: transfer incomplete after %lld bytes: %s; nothing written to the local file",
             received, why);
}

int main(int argc, char **argv)
{
    int sockfd;
    struct sockaddr_in servaddr;
    struct file_segment segment;
    uint32_t pathlen, netlen;
    char request[sizeof(uint32_t) + FT_PATHMAX];
    int32_t len = 0;
    ssize_t n = 0;
    long long received = 0;
    long timeout = 30;  // seconds without a byte from the server
    char shown[4 * SEGSIZE + 1];
    int c;

    check_usage(argc, argv, true,  // -h/--help before getopt sees them
                "usage: FTClient [-t SECONDS] <IPaddress> <port> <remote-path> <local-file>");
    while ((c = getopt(argc, argv, "t:")) != -1) {
        char *end = nullptr;
        if (c == 't')
            timeout = strtol(optarg, &end, 10);
        if (c != 't' || *optarg == '\0' || *end != '\0' || timeout < 0 || timeout > 86400)
            err_quit("usage: FTClient [-t SECONDS] <IPaddress> <port> <remote-path> <local-file>");
    }
    if (argc - optind != 4)
        err_quit("usage: FTClient [-t SECONDS] <IPaddress> <port> <remote-path> <local-file>");
    argv += optind - 1;  // argv[1..4] as without options
    pathlen = static_cast<uint32_t>(strlen(argv[3]));
    if (pathlen == 0 || pathlen >= FT_PATHMAX)
        err_usage("FTClient: the remote path must have 1 to %d bytes", FT_PATHMAX - 1);
    Signal(SIGPIPE, SIG_IGN);  // a vanished server shows as EPIPE, not a silent death
    ft::remove_part_on_signals();  // Ctrl-C leaves no temporary file

    sockfd = Socket(AF_INET, SOCK_STREAM, 0);                          //@blank (h) socket()

    bzero(&servaddr, sizeof servaddr);
    servaddr.sin_family = AF_INET;
    servaddr.sin_port = htons(static_cast<uint16_t>(Parse_server_port(argv[2])));
    Inet_pton(AF_INET, argv[1], &servaddr.sin_addr);

    // A server that accepts and then says nothing must not hold us for
    // ever: each read (and write) waits at most `timeout` seconds.
    struct timeval tv = {static_cast<time_t>(timeout), 0};
    Setsockopt(sockfd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    Setsockopt(sockfd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);

    Connect(sockfd, (SA *) &servaddr, sizeof servaddr);  //@blank (i) connect()

    // Length and path in one write: two small writes before a read can
    // wait for a delayed ACK (Nagle's algorithm) on a real network.
    //@blank-begin (j) write(): the path's length in network byte order, then the path (argv[3]), in one Writen
    netlen = htonl(pathlen);
    memcpy(request, &netlen, sizeof netlen);
    memcpy(request + sizeof netlen, argv[3], pathlen);
    Writen(sockfd, request, sizeof netlen + pathlen);
    //@blank-end

    for (;;) {
        // readn, not Readn: on an error we still remove the partial file.
        //@blank-begin (k) read(): one segment, its 4-byte length then |len| bytes, each with readn
        if ((n = readn(sockfd, &segment.len, sizeof segment.len)) != sizeof segment.len)
            break;
        len = static_cast<int32_t>(ntohl(segment.len));
        if (len > SEGSIZE || len < -SEGSIZE)
            broken("bad segment length from the server", received);
        if ((n = readn(sockfd, segment.buf, len < 0 ? -len : len)) != (len < 0 ? -len : len))
            break;
        //@blank-end

        if (len == 0) {  // the end-of-file segment: complete
            if (part.fd() < 0 && !part.create(argv[4]))  // an empty file
                err_sys("FTClient: %s: cannot create a temporary file beside it", argv[4]);
            if (!part.commit(true))  // rename() over NAME: it is whole from now on
                err_sys("FTClient: %s", argv[4]);
            Close(sockfd);
            return 0;
        }
        if (len < 0) {  // refused: the server says why (escaped: it is not our text)
            if (part.fd() < 0)
                err_quit("FTClient: %s: %s", argv[3], printable(shown, sizeof shown, segment.buf, -len));
            broken("the server stopped sending (a read error on its side)", received);
        }
        if (part.fd() < 0 && !part.create(argv[4]))  // the first bytes: a temporary file for them
            err_sys("FTClient: %s: cannot create a temporary file beside it", argv[4]);
        if (writen(part.fd(), segment.buf, len) != len)               //@blank (l) write() the bytes to the local file
            broken(strerror(errno), received);
        received += len;
    }
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
        snprintf(shown, sizeof shown, "no answer from the server in %ld s (-t SECONDS to wait longer)", timeout);
        broken(shown, received);
    }
    broken(n < 0 ? strerror(errno) : "the server closed the connection before the end-of-file segment",
           received);
}
