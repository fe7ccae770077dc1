// SPDX-License-Identifier: MIT
// str_cli: the echo client's work, stop and wait: send one line, read its
// echo, print it, repeat.
#include "unp.h"

namespace {

// Like fgets (read with getc), but returns the byte count, so a NUL byte in the input is
// echoed like any other.  0 at EOF.
size_t read_line(FILE *fp, char *buf, size_t size)
{
    size_t n = 0;
    int c;
    while (n < size - 1 && (c = getc(fp)) != EOF) {
        buf[n++] = static_cast<char>(c);
        if (c == '\n')
            break;
    }
    if (ferror(fp))
        err_sys("getc error");
    return n;
}

}  // namespace

extern "C" {

void str_cli(FILE *fp, int sockfd)
{
    char sendline[MAXLINE], recvline[MAXLINE];
    size_t n;
    while ((n = read_line(fp, sendline, sizeof sendline)) > 0) {
        Writen(sockfd, sendline, n);
        // The echo is exactly the bytes we sent, so read exactly that many;
        // this also copes with a piece of a line longer than MAXLINE.
        if (Readn(sockfd, recvline, n) != static_cast<ssize_t>(n))
            err_quit("str_cli: server terminated prematurely");
        if (fwrite(recvline, 1, n, stdout) != n)
            err_sys("fwrite error");
        fflush(stdout);  // show each echo at once, even into a pipe
    }
}

}  // extern "C"
