// SPDX-License-Identifier: MIT
// sigpipe: write to a TCP socket whose peer is gone, and see what SIGPIPE
// does.  Both ends live in this one process, on 127.0.0.1.
//
// usage: sigpipe default|catch|ignore|nosignal
//   default   SIGPIPE keeps its default action: the second write kills the
//             process (the shell's $? is 141 = 128 + 13, SIGPIPE)
//   catch     a handler catches SIGPIPE: write returns -1 with errno EPIPE,
//             "write error: Broken pipe", exit 1
//   ignore    SIGPIPE set to SIG_IGN: the same EPIPE, without a handler
//   nosignal  send(..., MSG_NOSIGNAL): EPIPE, and no signal is sent at all,
//             even though SIGPIPE is at its default action
//
// The steps, as when a server's child is killed under the book's client:
//   1. the peer closes: its TCP sends FIN, which only says "no more data
//      from me", so the writer cannot tell a half-close from a dead peer;
//   2. write 1 succeeds: the bytes go out, and the peer's TCP, which has no
//      socket for them any more, answers with RST;
//   3. write 2, to a socket that has received RST: SIGPIPE, and EPIPE.
#include "unp.h"

#include <string>

namespace {

void sig_pipe(int)
{
    const char msg[] = "SIGPIPE caught\n";
    ssize_t ignored = write(STDOUT_FILENO, msg, sizeof msg - 1);  // printf is not async-signal-safe
    (void)ignored;
}

}  // namespace

int main(int argc, char **argv)
{
    check_usage(argc, argv, argc == 2, "usage: sigpipe default|catch|ignore|nosignal");
    std::string mode = argv[1];
    if (mode == "default" || mode == "nosignal")
        Signal(SIGPIPE, SIG_DFL);
    else if (mode == "catch")
        Signal(SIGPIPE, sig_pipe);
    else if (mode == "ignore")
        Signal(SIGPIPE, SIG_IGN);
    else
        err_quit("usage: sigpipe default|catch|ignore|nosignal");
    setvbuf(stdout, nullptr, _IOLBF, 0);  // in order with the handler's write(2)

    // A connection to ourselves: listenfd and connfd are the "server" side.
    int listenfd = Socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in servaddr;
    bzero(&servaddr, sizeof servaddr);
    servaddr.sin_family = AF_INET;
    servaddr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    servaddr.sin_port = htons(0);  // any free port
    Bind(listenfd, (SA *)&servaddr, sizeof servaddr);
    Listen(listenfd, 1);
    socklen_t len = sizeof servaddr;
    Getsockname(listenfd, (SA *)&servaddr, &len);

    int sockfd = Socket(AF_INET, SOCK_STREAM, 0);
    Connect(sockfd, (SA *)&servaddr, sizeof servaddr);
    int connfd = Accept(listenfd, nullptr, nullptr);
    Close(listenfd);
    printf("connected to %s\n", Sock_ntop((SA *)&servaddr, len));

    // 1. The peer closes.  poll() returns when its FIN has arrived.
    Close(connfd);
    struct pollfd pfd = {sockfd, POLLIN, 0};
    if (Poll(&pfd, 1, 5000) == 0)
        err_quit("sigpipe: no FIN from the peer within 5 s");
    printf("peer closed: FIN received (a read would return 0)\n");

    // 2. The first write is accepted: TCP cannot yet know the peer is gone.
    const char line[] = "hello\n";
    ssize_t n = write(sockfd, line, sizeof line - 1);
    if (n < 0)
        err_sys("write 1 error");
    printf("write 1 returned %zd: the peer's TCP answers with RST\n", n);

    // Wait for that RST.  With events 0, poll() reports only POLLERR and
    // POLLHUP, which the RST sets; the FIN's POLLIN does not wake it.
    pfd.events = 0;
    if (Poll(&pfd, 1, 5000) == 0)
        err_quit("sigpipe: no RST from the peer within 5 s");
    printf("RST received (poll: %s%s)\n", pfd.revents & POLLERR ? "POLLERR " : "",
           pfd.revents & POLLHUP ? "POLLHUP" : "");

    // 3. The second write, to a socket that has received RST.
    if (mode == "nosignal") {
        printf("send 2 with MSG_NOSIGNAL, SIGPIPE at its default action:\n");
        n = send(sockfd, line, sizeof line - 1, MSG_NOSIGNAL);
        if (n < 0) {
            int err = errno;
            printf("send 2 returned -1, errno %s, and no signal was sent\n", strerrorname_np(err));
            errno = err;
            err_sys("send error");  // "send error: Broken pipe"
        }
    } else {
        printf("write 2, SIGPIPE %s:\n",
               mode == "default" ? "at its default action (terminate)"
               : mode == "catch" ? "caught by a handler"
                                 : "ignored");
        n = write(sockfd, line, sizeof line - 1);  // default action: we die here
        if (n < 0) {
            int err = errno;
            printf("write 2 returned -1, errno %s\n", strerrorname_np(err));
            errno = err;
            err_sys("write error");  // "write error: Broken pipe"
        }
    }
    printf("write 2 returned %zd: the peer did not reset the connection?\n", n);
    exit(2);
}
