// SPDX-License-Identifier: MIT
// LotteryServerFork - the Lottery server made concurrent the book's way
// (UNP 5.2, tcpserv04): the parent only accepts, and forks one child per
// client to play the session.  Any number of LotteryClients are served at
// once, and the server runs until you stop it (Ctrl-C).
//
// usage: LotteryServerFork [-s SEED] [-i SECONDS] [port]
//        (-i: a client silent for SECONDS, default 300, is disconnected and
//         its child ends, "idle for 300 s: disconnected"; 0: never)
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
//
// Why an idle timeout: each connection costs a whole process, kept for as
// long as the client stays connected.  300 clients that connect and say
// nothing are 300 processes doing nothing, until the machine's process
// limit turns everyone else away.  SO_RCVTIMEO on the connection (UNP
// 14.2) makes a read that waited SECONDS fail with EAGAIN, and
// SO_SNDTIMEO does the same for a client that stopped reading its answers:
// the child says so and ends.
#include "lottery.h"
#include "sigchld.h"
#include "unp.h"

#include <random>
#include <string>

// One client's session, as in LotteryServer: read a 4-byte command, answer
// one line, until END, EOF, an error, or the idle timeout.
static void lottery_session(int connfd, Lottery &lottery, const char *peer, long idle)
{
    for (;;) {
        uint32_t wire;
        ssize_t n = readn(connfd, &wire, sizeof(wire));
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            printf("%s: idle for %ld s: disconnected\n", peer, idle);  // SO_RCVTIMEO ran out
            return;
        }
        if (n != (ssize_t) sizeof(wire))
            return;  // EOF, half a command, or a reset: the client is gone
        int32_t cmd = (int32_t) ntohl(wire);
        if (cmd == END)
            return;
        std::string answer = lottery.answer(cmd);
        if (writen(connfd, answer.data(), answer.size()) != (ssize_t) answer.size()) {
            if (errno == EAGAIN || errno == EWOULDBLOCK)
                printf("%s: not reading for %ld s: disconnected\n", peer, idle);  // SO_SNDTIMEO
            return;  // or the client went away while we answered
        }
    }
}

int main(int argc, char **argv)
{
    int listenfd, connfd;
    pid_t childpid;
    struct sockaddr_in cliaddr, servaddr;
    socklen_t clilen;
    const int on = 1;

    LotteryArgs args = lottery_server_args(argc, argv, "LotteryServerFork", true);
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
            if (errno == EINTR || errno == ECONNABORTED || errno == EPROTO)
                continue;  // a child ended, or the client gave up first
            err_sys("accept error");
        }
        std::string peer = Sock_ntop((SA *) &cliaddr, clilen);
        printf("connection from %s\n", peer.c_str());
        uint32_t seed = seeds();  // drawn here, in the parent: see the top

        if ((childpid = fork()) == 0) {
            Close(listenfd);  // child: it serves this one connection only
            struct timeval tv = {(time_t) args.idle, 0};  // {0, 0}: no timeout
            Setsockopt(connfd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
            Setsockopt(connfd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
            Lottery lottery(seed);
            lottery_session(connfd, lottery, peer.c_str(), args.idle);
            Close(connfd);
            exit(0);
        }
        if (childpid < 0)
            err_ret("fork error: client %s dropped", peer.c_str());
        // The parent's copy of the connection.  Without this Close the
        // client never sees the connection end (the child's close is not the
        // last), and the parent runs out of descriptors after ~1000 clients.
        Close(connfd);
    }
}
