// SPDX-License-Identifier: MIT
// FTServer - the handout's file server (Practice 4), corrected.
//
// usage: FTServer <port>          (0: the kernel picks one; read the
//                                  "listening on" line)
//
// Accepts one client, reads the path it asks for, prints it, sends the file
// in segments of at most 256 bytes and then an end-of-file segment
// (segment.h), closes and exits.  A file it cannot open or read is answered
// with a segment that carries the reason, so the client never waits for
// bytes that will not come and never mistakes an error for an empty file.
// Regular files only: a FIFO would block open() until a writer comes, and
// /dev/zero (or a symlink to it) would stream for ever, so anything else is
// refused as "not a regular file".
//
// Observe, in a third terminal: sudo tcpdump -i lo -X port <port>
//   the request: 4 bytes of length, then the path in ASCII;
//   each full segment: 00 00 01 00 (256) and 256 bytes, 260 in all;
//   the last one: 00 00 00 00, the end of the file.
#include "unp.h"
#include "segment.h"

// Tells the client why there is no file: a negative length, then the text.
static void send_refusal(int connfd, const char *why)
{
    struct file_segment seg;
    size_t n = strlen(why) < SEGSIZE ? strlen(why) : SEGSIZE;
    seg.len = htonl(static_cast<uint32_t>(-static_cast<int32_t>(n)));
    memcpy(seg.buf, why, n);
    Writen(connfd, &seg, sizeof seg.len + n);
}

int main(int argc, char **argv)
{
    int listenfd, connfd, filefd, on = 1;
    struct sockaddr_in servaddr, cliaddr;
    socklen_t clilen;
    uint32_t pathlen = 0;
    char path[FT_PATHMAX] = "";
    struct file_segment segment;
    struct stat st {};
    ssize_t n;

    check_usage(argc, argv, argc == 2, "usage: FTServer <port>");
    // A client that vanishes makes write() fail with EPIPE, which we report,
    // instead of SIGPIPE silently killing the server.
    Signal(SIGPIPE, SIG_IGN);

    listenfd = Socket(AF_INET, SOCK_STREAM, 0);                     //@blank (a) socket()
    // The server closes first, so its port sits in TIME_WAIT for a minute;
    // SO_REUSEADDR lets the next run bind it at once.
    Setsockopt(listenfd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);

    bzero(&servaddr, sizeof servaddr);
    servaddr.sin_family = AF_INET;
    servaddr.sin_addr.s_addr = htonl(INADDR_ANY);
    servaddr.sin_port = htons(static_cast<uint16_t>(Parse_port(argv[1])));

    Bind(listenfd, (SA *) &servaddr, sizeof servaddr);  //@blank (b) bind()
    Listen(listenfd, LISTENQ);                                          //@blank (c) listen()
    print_listening(listenfd);

    clilen = sizeof cliaddr;  // accept() reads it: the handout left it unset
    connfd = Accept(listenfd, (SA *) &cliaddr, &clilen);  //@blank (d) accept()

    //@blank-begin (e) read(): the path's 4-byte length, then the path, each with Readn
    if (Readn(connfd, &pathlen, sizeof pathlen) != sizeof pathlen)
        err_quit("FTServer: the client closed the connection before sending a path");
    pathlen = ntohl(pathlen);
    if (pathlen == 0 || pathlen >= sizeof path) {
        send_refusal(connfd, "bad request: path length out of range");
        err_quit("FTServer: bad request: path length %u", pathlen);
    }
    if (Readn(connfd, path, pathlen) != static_cast<ssize_t>(pathlen))
        err_quit("FTServer: the client closed the connection in the middle of the path");
    //@blank-end
    path[pathlen < sizeof path ? pathlen : 0] = '\0';  // (the guard: should (e) let a bad length through)
    if (strlen(path) != pathlen) {  // open() would stop at the NUL: refuse
        send_refusal(connfd, "bad request: the path contains a NUL byte");
        err_quit("FTServer: bad request: the path contains a NUL byte");
    }
    printf("%s\n", path);
    fflush(stdout);

    // O_NONBLOCK: a FIFO opens at once instead of waiting for a writer (a
    // regular file ignores the flag); fstat() then tells what was opened.
    filefd = open(path, O_RDONLY | O_NONBLOCK);                        //@blank (f) open()
    if (filefd < 0) {
        send_refusal(connfd, strerror(errno));
        err_sys("open error: %s", path);
    }
    if (fstat(filefd, &st) < 0 || !S_ISREG(st.st_mode)) {
        const char *why = S_ISDIR(st.st_mode) ? strerror(EISDIR) : "not a regular file";
        send_refusal(connfd, why);
        err_quit("FTServer: %s: %s", path, why);
    }

    //@blank-begin (g) read() the file, write() each segment: length in network byte order, then the bytes
    while ((n = read(filefd, segment.buf, SEGSIZE)) > 0) {
        segment.len = htonl(static_cast<uint32_t>(n));
        Writen(connfd, &segment, sizeof segment.len + n);  // one write: one TCP segment on the wire
    }
    //@blank-end
    if (n < 0) {  // a read error (EIO), after some segments perhaps
        int err = errno;
        send_refusal(connfd, strerror(err));
        errno = err;
        err_sys("read error: %s", path);
    }
    segment.len = htonl(0);  // end of file: the client now knows it has it all
    Writen(connfd, &segment.len, sizeof segment.len);

    Close(filefd);
    Close(connfd);
    Close(listenfd);
    return 0;
}
