// SPDX-License-Identifier: MIT
// tcpserv09 - a fork server that adds two integers sent in binary: each
// request is 8 bytes (two 32-bit integers, network byte order), each reply
// 8 bytes (their 64-bit sum, network byte order); see sum09.h.
//
// usage: tcpserv09 [port]      (default 9877; 0: the kernel picks)
//
// Observe: with tcpcli09, negative and large values come back right.  The
// book's version receives a C struct of two longs as raw bytes, which
// works only between hosts with the same byte order and the same size of
// long: README.md shows the bytes.  Readn reads a whole request even when
// TCP delivers it in pieces.
#include "unp.h"
#include "sigchld.h"
#include "sum09.h"

namespace {

// The child's work: one reply per 8-byte request, until the client closes.
void str_sum_binary(int sockfd)
{
    SumRequest req;
    while (Readn(sockfd, req.data(), req.size()) == static_cast<ssize_t>(req.size())) {
        SumArgs args = decode_args(req);
        SumReply reply = encode_sum(int64_t{args.a} + int64_t{args.b});  // cannot overflow
        Writen(sockfd, reply.data(), reply.size());
    }
    // Readn returned 0 (the client closed) or a partial request (it closed
    // in the middle of one): either way there is nothing more to answer.
}

}  // namespace

int main(int argc, char **argv)
{
    int listenfd, connfd;
    pid_t childpid;
    socklen_t clilen;
    struct sockaddr_in cliaddr, servaddr;

    check_usage(argc, argv, argc <= 2, "usage: tcpserv09 [port]");
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
            str_sum_binary(connfd);
            exit(0);
        }
        Close(connfd);
    }
}
