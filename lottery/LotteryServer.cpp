// SPDX-License-Identifier: MIT
// LotteryServer - the lab's Lottery server (Practice 3).  It keeps six
// distinct numbers from 1 to 45 and answers ONE client's commands:
// GEN draws the next number, LIST shows them, END closes the connection,
// and then the server ends, as the handout's does.
//
// usage: LotteryServer [-s SEED] [port]
//   -s SEED  draw the same numbers on every run (a test, a demo)
//   port     default 9877; 0 lets the kernel choose (see the first line)
//
// The wire (README.md): each command is a 4-byte integer in network byte
// order; each answer is one text line ending in '\n'.
//
// What to observe (requirement 4): start a second LotteryClient while the
// first is connected.  Its connect() succeeds, because the kernel finishes
// the handshake from the listen queue without asking us, but its commands
// get no answer: this loop only reads the first client.  When the first
// client sends END, the server ends, and the kernel resets the waiting
// connection.  LotteryServerFork and LotteryServerPoll serve many clients.
//
// Fixed from the handout: the command travels in network byte order and is
// read with readn (one read() may return fewer than 4 bytes); answers end in
// '\n' so the client reads exactly one; clilen is set before accept(); every
// call is checked; numbers come from <random>, seeded once.
#include "lottery.h"
#include "unp.h"

#include <string>

int main(int argc, char **argv)
{
    int listenfd, connfd;
    struct sockaddr_in cliaddr, servaddr;
    socklen_t clilen;
    const int on = 1;

    LotteryArgs args = lottery_server_args(argc, argv, "LotteryServer");
    Lottery lottery(args.seed);  // seeded once, here, for the whole run
    setvbuf(stdout, nullptr, _IOLBF, 0);  // each line at once, even into a pipe

    listenfd = Socket(AF_INET, SOCK_STREAM, 0);                    //@blank (a) socket()

    bzero(&servaddr, sizeof(servaddr));
    servaddr.sin_family = AF_INET;
    servaddr.sin_addr.s_addr = htonl(INADDR_ANY);
    servaddr.sin_port = htons(args.port);

    // Lets the server start again at once, while its last connection is
    // still in TIME_WAIT.  A second server on a port that a running one
    // holds still fails: "bind error: Address already in use".
    Setsockopt(listenfd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
    Bind(listenfd, (SA *) &servaddr, sizeof(servaddr));            //@blank (b) bind()
    Listen(listenfd, LISTENQ);                                      //@blank (c) listen()
    print_listening(listenfd);

    // A client that vanishes must not kill the server: with SIGPIPE ignored,
    // writing to it fails with EPIPE, which we check, instead.
    Signal(SIGPIPE, SIG_IGN);

    clilen = sizeof(cliaddr);  // accept() reads it: the handout never set it
    connfd = Accept(listenfd, (SA *) &cliaddr, &clilen);           //@blank (d) accept()
    printf("connection from %s\n", Sock_ntop((SA *) &cliaddr, clilen));

    for (;;) {
        uint32_t wire;  // the command as it arrives: network byte order

        //@blank-begin (e) read(): the 4-byte command, with readn
        if (readn(connfd, &wire, sizeof(wire)) != (ssize_t) sizeof(wire))
            break;  // EOF, half a command, or a reset: the client is gone
        //@blank-end

        int32_t cmd = (int32_t) ntohl(wire);
        if (cmd == END)
            break;  // the client is done: close the connection, end
        // "New number generated: N", "Full", "numbers: ...", or an error
        // line for a command we do not know; the session goes on.
        std::string answer = lottery.answer(cmd);

        //@blank-begin (f) write(): the answer line, with writen
        if (writen(connfd, answer.data(), answer.size()) != (ssize_t) answer.size()) {
            err_ret("write error");
            break;
        }
        //@blank-end
    }
    Close(connfd);
    Close(listenfd);
    return 0;
}
