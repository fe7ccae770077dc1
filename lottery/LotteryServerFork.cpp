// SPDX-License-Identifier: MIT
// LotteryServerFork - the Lottery server made concurrent the book's way
// (UNP 5.2, tcpserv04): the parent only accepts, and forks one child per
// client to play the session.  Any number of LotteryClients are served at
// once, and the server runs until you stop it (Ctrl-C).
//
// usage: LotteryServerFork [-s SEED] [port]
//
// What to observe: every client has a draw of its own.  A forked child gets
// a COPY of the parent's memory: its GENs fill its own six numbers, which
// no other client sees and which vanish when it exits.  And beware of what
// else it copies: the random generator.  Seeded once and then forked, every
// child would draw the very same numbers; so the parent draws a fresh seed
// for each child before fork() (the run as a whole still repeats with -s).
// Compare LotteryServerPoll, one process whose clients share one draw.
//
// Watch "child N terminated": SIGCHLD's handler reaps each child as it
// ends (waitpid in a loop, WNOHANG), so none is left a zombie.
#include "lottery.h"
#include "sigchld.h"
#include "unp.h"

#include <random>
#include <string>

// One client's session, as in LotteryServer: read a 4-byte command, answer
// one line, until END, EOF or an error.
static void lottery_session(int connfd, Lottery &lottery)
{
    for (;;) {
        uint32_t wire;
        if (readn(connfd, &wire, sizeof(wire)) != (ssize_t) sizeof(wire))
            return;  // EOF, half a command, or a reset: the client is gone
        int32_t cmd = (int32_t) ntohl(wire);
        if (cmd == END)
            return;
        std::string answer = lottery.answer(cmd);
        if (writen(connfd, answer.data(), answer.size()) != (ssize_t) answer.size())
            return;  // the client went away while we answered
    }
}

int main(int argc, char **argv)
{
    int listenfd, connfd;
    pid_t childpid;
    struct sockaddr_in cliaddr, servaddr;
    socklen_t clilen;
    const int on = 1;

    LotteryArgs args = lottery_server_args(argc, argv, "LotteryServerFork");
    std::mt19937 seeds(args.seed);  // seeded once: one seed per child from it
    setvbuf(stdout, nullptr, _IOLBF, 0);  // lines out before fork(), never twice

    listenfd = Socket(AF_INET, SOCK_STREAM, 0);

    bzero(&servaddr, sizeof(servaddr));
    servaddr.sin_family = AF_INET;
    servaddr.sin_addr.s_addr = htonl(INADDR_ANY);
    servaddr.sin_port = htons(args.port);

    Setsockopt(listenfd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
    Bind(listenfd, (SA *) &servaddr, sizeof(servaddr));
    Listen(listenfd, LISTENQ);
    print_listening(listenfd);

    Signal(SIGPIPE, SIG_IGN);           // a vanished client: EPIPE, not death
    Signal(SIGCHLD, sig_chld_waitpid);  // reap every child that ended

    for (;;) {
        clilen = sizeof(cliaddr);
        if ((connfd = accept(listenfd, (SA *) &cliaddr, &clilen)) < 0) {
            if (errno == EINTR || errno == ECONNABORTED)
                continue;  // a child ended, or the client gave up first
            err_sys("accept error");
        }
        printf("connection from %s\n", Sock_ntop((SA *) &cliaddr, clilen));
        uint32_t seed = seeds();  // drawn here, in the parent: see the top

        if ((childpid = fork()) == 0) {
            Close(listenfd);  // child: it serves this one connection only
            Lottery lottery(seed);
            lottery_session(connfd, lottery);
            Close(connfd);
            exit(0);
        }
        if (childpid < 0)
            err_ret("fork error: client %s dropped", Sock_ntop((SA *) &cliaddr, clilen));
        // The parent's copy of the connection.  Without this Close the
        // client never sees the connection end (the child's close is not the
        // last), and the parent runs out of descriptors after ~1000 clients.
        Close(connfd);
    }
}
