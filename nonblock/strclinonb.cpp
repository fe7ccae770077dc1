// SPDX-License-Identifier: MIT
// strclinonb - the echo client with non-blocking I/O (book 16.2): stdin,
// stdout and the socket are all O_NONBLOCK, bytes wait in two buffers,
// and one select() watches both directions, so neither the user nor the
// server can stop the other.
//
// usage: strclinonb [-v] <IPaddress> [port]      (default 9877)
//
//   to[]  holds bytes read from stdin, not yet written to the socket;
//   fr[]  holds bytes read from the socket, not yet written to stdout.
//   A descriptor is in select()'s read set while its buffer has room,
//   in its write set while its buffer has bytes for it.
//
// Observe: `-v` traces every read and write on stderr ("wrote 8192 to
// socket", "socket: EWOULDBLOCK").  Pipe a large file through it
// (`strclinonb -v 127.0.0.1 PORT < big > copy`): reads from stdin,
// writes to the socket, reads from the socket and writes to stdout
// interleave as each becomes possible, where str_cli (tcpcli01) does one
// at a time and sits blocked in whichever write cannot proceed.  At EOF
// on stdin the client sends FIN (shutdown) once to[] is empty, and exits
// when the server's FIN arrives and fr[] is written out.
#include "unp.h"

#include <algorithm>
#include <vector>

static bool verbose;

// The trace lines of -v, on stderr so they never mix with the echo.
static void trace(const char *what, ssize_t n, const char *where)
{
    if (!verbose)
        return;
    if (n > 0)
        fprintf(stderr, "%s %zd %s\n", what, n, where);
    else
        fprintf(stderr, "%s\n", what);
}

// stdin and stdout are usually shared with the shell (the terminal): their
// flags are put back at exit, or the shell would find them non-blocking.
static int stdin_flags, stdout_flags;

static void restore_flags(void)
{
    fcntl(STDIN_FILENO, F_SETFL, stdin_flags);
    fcntl(STDOUT_FILENO, F_SETFL, stdout_flags);
}

static void set_nonblock(int fd)
{
    Fcntl(fd, F_SETFL, Fcntl(fd, F_GETFL, 0) | O_NONBLOCK);
}

static void str_cli_nonb(int sockfd)
{
    std::vector<char> to(MAXLINE * 16), fr(MAXLINE * 16);  // 64 KiB each
    // Each buffer: bytes [out, in) are waiting; [in, end) is free.
    size_t toiptr = 0, tooptr = 0, friptr = 0, froptr = 0;
    bool stdineof = false;
    ssize_t n, nwritten;
    fd_set rset, wset;

    stdin_flags = Fcntl(STDIN_FILENO, F_GETFL, 0);
    stdout_flags = Fcntl(STDOUT_FILENO, F_GETFL, 0);
    atexit(restore_flags);
    set_nonblock(sockfd);
    set_nonblock(STDIN_FILENO);
    set_nonblock(STDOUT_FILENO);
    int maxfdp1 = std::max({STDIN_FILENO, STDOUT_FILENO, sockfd}) + 1;

    for (;;) {
        FD_ZERO(&rset);
        FD_ZERO(&wset);
        if (!stdineof && toiptr < to.size())
            FD_SET(STDIN_FILENO, &rset);  // read from stdin
        if (friptr < fr.size())
            FD_SET(sockfd, &rset);        // read from socket
        if (tooptr != toiptr)
            FD_SET(sockfd, &wset);        // data to write to socket
        if (froptr != friptr)
            FD_SET(STDOUT_FILENO, &wset); // data to write to stdout

        Select(maxfdp1, &rset, &wset, NULL, NULL);

        if (FD_ISSET(STDIN_FILENO, &rset)) {
            if ((n = read(STDIN_FILENO, &to[toiptr], to.size() - toiptr)) < 0) {
                if (errno != EWOULDBLOCK && errno != EINTR)
                    err_sys("read error on stdin");
                trace("stdin: EWOULDBLOCK", 0, "");
            } else if (n == 0) {
                trace("EOF on stdin", 0, "");
                stdineof = true;
                if (tooptr == toiptr)
                    Shutdown(sockfd, SHUT_WR);  // nothing left to send: FIN
            } else {
                trace("read", n, "from stdin");
                toiptr += n;
                FD_SET(sockfd, &wset);  // try and write to socket below
            }
        }

        if (FD_ISSET(sockfd, &rset)) {
            if ((n = read(sockfd, &fr[friptr], fr.size() - friptr)) < 0) {
                if (errno != EWOULDBLOCK && errno != EINTR)
                    err_sys("read error on socket");
                trace("socket: EWOULDBLOCK on read", 0, "");
            } else if (n == 0) {
                if (!stdineof)
                    err_quit("str_cli: server terminated prematurely");
                // The server's FIN: write out what is left, then we are done.
                Fcntl(STDOUT_FILENO, F_SETFL, stdout_flags);
                Writen(STDOUT_FILENO, &fr[froptr], friptr - froptr);
                trace("EOF on socket", 0, "");
                return;
            } else {
                trace("read", n, "from socket");
                friptr += n;
                FD_SET(STDOUT_FILENO, &wset);  // try and write below
            }
        }

        if (FD_ISSET(STDOUT_FILENO, &wset) && friptr > froptr) {
            if ((nwritten = write(STDOUT_FILENO, &fr[froptr], friptr - froptr)) < 0) {
                if (errno != EWOULDBLOCK && errno != EINTR)
                    err_sys("write error to stdout");
                trace("stdout: EWOULDBLOCK", 0, "");
            } else {
                trace("wrote", nwritten, "to stdout");
                froptr += nwritten;
                if (froptr == friptr)
                    froptr = friptr = 0;  // back to the start of the buffer
            }
        }

        if (FD_ISSET(sockfd, &wset) && toiptr > tooptr) {
            if ((nwritten = write(sockfd, &to[tooptr], toiptr - tooptr)) < 0) {
                if (errno != EWOULDBLOCK && errno != EINTR)
                    err_sys("write error to socket");
                trace("socket: EWOULDBLOCK on write", 0, "");
            } else {
                trace("wrote", nwritten, "to socket");
                tooptr += nwritten;
                if (tooptr == toiptr) {
                    toiptr = tooptr = 0;
                    if (stdineof)
                        Shutdown(sockfd, SHUT_WR);  // everything sent: FIN
                }
            }
        }
    }
}

int main(int argc, char **argv)
{
    int sockfd;
    struct sockaddr_in servaddr;

    check_usage(argc, argv, true, "usage: strclinonb [-v] <IPaddress> [port]");  // -h, --help
    int argi = 1;
    if (argc > 1 && strcmp(argv[1], "-v") == 0) {
        verbose = true;
        argi++;
    }
    if (argc - argi != 1 && argc - argi != 2)
        err_quit("usage: strclinonb [-v] <IPaddress> [port]");
    int port = argc - argi == 2 ? Parse_port(argv[argi + 1]) : SERV_PORT;

    sockfd = Socket(AF_INET, SOCK_STREAM, 0);

    bzero(&servaddr, sizeof servaddr);
    servaddr.sin_family = AF_INET;
    servaddr.sin_port = htons(port);
    Inet_pton(AF_INET, argv[argi], &servaddr.sin_addr);

    Connect(sockfd, (SA *) &servaddr, sizeof servaddr);

    str_cli_nonb(sockfd);

    exit(0);
}
