// SPDX-License-Identifier: MIT
// tcpserv08 - a fork server that adds two integers sent as text: the line
// "2 5\n" is answered "7\n"; a line that is not exactly two integers (or
// whose sum does not fit in 64 bits) is answered "input error\n".
//
// usage: tcpserv08 [port]      (default 9877; 0: the kernel picks)
//
// Observe: with tcpcli08, type "2 5", "-3 3", "a b".  Text is the
// portable way to send numbers: both ends agree on the characters, whatever
// their byte order or the size of their long (compare tcpserv09).
//
// The book's version (str_echo08) runs sscanf on what readline returned.
// Here a line longer than MAXLINE, a NUL byte or binary garbage gets
// "input error" like any bad line, one answer per line, and the child
// goes on serving.
#include "unp.h"
#include "sigchld.h"

#include <charconv>
#include <cstdint>
#include <string>
#include <string_view>

namespace {

constexpr std::string_view kInputError = "input error\n";

// The reply to one line (without its '\n'): the sum, or "input error".
std::string sum_reply(std::string_view line)
{
    auto skip_blanks = [&line] {
        while (!line.empty() && (line.front() == ' ' || line.front() == '\t' || line.front() == '\r'))
            line.remove_prefix(1);
    };
    int64_t arg[2];
    for (int64_t &a : arg) {
        skip_blanks();
        auto [end, ec] = std::from_chars(line.data(), line.data() + line.size(), a);
        if (ec != std::errc())
            return std::string(kInputError);  // not a number, or out of range
        line.remove_prefix(static_cast<size_t>(end - line.data()));
    }
    skip_blanks();
    int64_t sum;
    if (!line.empty() || __builtin_add_overflow(arg[0], arg[1], &sum))
        return std::string(kInputError);
    return std::to_string(sum) + "\n";
}

// The child's work: one reply per line, until the client closes.
void str_sum(int sockfd)
{
    char line[MAXLINE];
    ssize_t n;
    bool too_long = false;  // inside a line longer than MAXLINE - 1 bytes

    while ((n = Readline(sockfd, line, sizeof line)) > 0) {
        bool complete = line[n - 1] == '\n';
        if (!complete && n == sizeof line - 1) {
            too_long = true;  // readline gave us a piece: skip to the line's end
            continue;
        }
        std::string reply = too_long ? std::string(kInputError)
                                     : sum_reply(std::string_view(line, complete ? n - 1 : n));
        too_long = false;
        Writen(sockfd, reply.data(), reply.size());
    }
    // EOF right after a piece: readline cannot tell a piece of a longer
    // line from the end of the data until this call returned 0, so the
    // last, unterminated line (4095 bytes, 8190, ...) is answered here.
    if (too_long)
        Writen(sockfd, kInputError.data(), kInputError.size());
}

}  // namespace

int main(int argc, char **argv)
{
    int listenfd, connfd;
    pid_t childpid;
    socklen_t clilen;
    struct sockaddr_in cliaddr, servaddr;

    check_usage(argc, argv, argc <= 2, "usage: tcpserv08 [port]");
    int port = argc == 2 ? Parse_port(argv[1]) : SERV_PORT;

    listenfd = Socket(AF_INET, SOCK_STREAM, 0);

    bzero(&servaddr, sizeof servaddr);
    servaddr.sin_family = AF_INET;
    servaddr.sin_addr.s_addr = htonl(INADDR_ANY);
    servaddr.sin_port = htons(port);

    Bind(listenfd, (SA *) &servaddr, sizeof servaddr);

    Listen(listenfd, LISTENQ);
    print_listening(listenfd);

    Signal_intr(SIGCHLD, sig_chld_waitpid);

    for (;;) {
        clilen = sizeof cliaddr;
        if ((connfd = accept(listenfd, (SA *) &cliaddr, &clilen)) < 0) {
            if (errno == EINTR || errno == ECONNABORTED || errno == EPROTO)
                continue;  // interrupted by SIGCHLD, or the client left first: accept again
            err_sys("accept error");
        }

        if ((childpid = Fork()) == 0) {
            Close(listenfd);
            str_sum(connfd);
            exit(0);
        }
        Close(connfd);
    }
}
