// SPDX-License-Identifier: MIT
// FTClient - the handout's file client (Practice 4), corrected.
//
// usage: FTClient <IPaddress> <port> <remote-path> <local-file>
//
// Sends the path it wants, then reads segments (segment.h) and writes their
// bytes into the local file until the end-of-file segment.  The local file
// is created only once the server has agreed to send: a refusal prints the
// server's reason and exits 1 with no local file, and a transfer that breaks
// before the end-of-file segment removes what it wrote and exits 1.
//
// Observe: run it against a server that is killed mid-transfer; the
// handout's client would keep a short file and exit 0.
#include "unp.h"
#include "segment.h"

static const char *local_name;  // removed if the transfer does not complete
static int local_fd = -1;

// Removes the partial local file and exits 1, saying why.
[[noreturn]] static void broken(const char *why, long long received)
{
    if (local_fd >= 0) {
        close(local_fd);
        unlink(local_name);
    }
    err_quit("FTClient: transfer incomplete after %lld bytes: %s; no local file kept",
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

    check_usage(argc, argv, argc == 5,
                "usage: FTClient <IPaddress> <port> <remote-path> <local-file>");
    local_name = argv[4];
    pathlen = static_cast<uint32_t>(strlen(argv[3]));
    if (pathlen == 0 || pathlen >= FT_PATHMAX)
        err_quit("FTClient: the remote path must have 1 to %d bytes", FT_PATHMAX - 1);
    Signal(SIGPIPE, SIG_IGN);  // a vanished server shows as EPIPE, not a silent death

    sockfd = Socket(AF_INET, SOCK_STREAM, 0);                          //@blank (h) socket()

    bzero(&servaddr, sizeof servaddr);
    servaddr.sin_family = AF_INET;
    servaddr.sin_port = htons(static_cast<uint16_t>(Parse_server_port(argv[2])));
    Inet_pton(AF_INET, argv[1], &servaddr.sin_addr);

    Connect(sockfd, reinterpret_cast<SA *>(&servaddr), sizeof servaddr);  //@blank (i) connect()

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
            if (local_fd < 0)  // an empty file
                local_fd = Open(local_name, O_WRONLY | O_CREAT | O_TRUNC, 0644);
            Close(local_fd);
            Close(sockfd);
            return 0;
        }
        if (len < 0) {  // refused: the server says why
            if (local_fd < 0)
                err_quit("FTClient: %s: %.*s", argv[3], -len, segment.buf);
            broken("the server stopped sending (a read error on its side)", received);
        }
        if (local_fd < 0)  // the first bytes: now the local file may exist
            local_fd = Open(local_name, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (writen(local_fd, segment.buf, len) != len)                //@blank (l) write() the bytes to the local file
            broken(strerror(errno), received);
        received += len;
    }
    broken(n < 0 ? strerror(errno) : "the server closed the connection before the end-of-file segment",
           received);
}
