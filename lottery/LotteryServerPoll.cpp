// SPDX-License-Identifier: MIT
// LotteryServerPoll - the Lottery server as ONE process serving every
// client at once with poll() (UNP 6.11), and so with ONE draw they share.
//
// usage: LotteryServerPoll [-s SEED] [port]
//
// What to observe: run two LotteryClients.  A GEN in one and a GEN in the
// other fill the same six numbers, LIST shows the same line to both, and
// after six GENs from anyone, everyone gets "Full".  (LotteryServerFork
// gives each client a draw of its own.)  The draw lasts as long as the
// server: stop it with Ctrl-C to start a new one.
//
// Why it never blocks: every client socket is non-blocking, and a client
// is only read while the answers to its earlier commands have all been
// written.  A client that sends commands and never reads its answers stops
// being read once its socket buffers fill; it cannot stall the others, and
// its unsent answers never grow past one read's worth.
#include "lottery.h"
#include "unp.h"

#include <string>
#include <vector>

struct Client {
    int fd;
    std::string peer;         // "127.0.0.1:40522", for the log
    std::string in;           // the start of a command not complete yet
    std::string out;          // answers not yet written
    bool ending = false;      // END seen: close once out is written
};

static void set_nonblocking(int fd)
{
    Fcntl(fd, F_SETFL, Fcntl(fd, F_GETFL, 0) | O_NONBLOCK);
}

// Reads what c sent and queues an answer to each complete command.
// False when the connection is over (EOF, reset, END with nothing to send).
static bool read_commands(Client &c, Lottery &lottery)
{
    char buf[4096];  // up to 1024 commands: one read's answers stay small
    ssize_t n = read(c.fd, buf, sizeof(buf));
    if (n < 0)
        return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR;
    if (n == 0)
        return false;  // EOF: the client closed (maybe mid-command)
    c.in.append(buf, (size_t) n);
    size_t used = 0;
    while (c.in.size() - used >= sizeof(uint32_t) && !c.ending) {
        uint32_t wire;
        memcpy(&wire, c.in.data() + used, sizeof(wire));
        used += sizeof(wire);
        int32_t cmd = (int32_t) ntohl(wire);
        if (cmd == END)
            c.ending = true;  // whatever follows END is ignored
        else
            c.out += lottery.answer(cmd);
    }
    c.in.erase(0, used);
    return true;
}

// Writes what the socket takes of c's answers.  False on an error.
static bool write_answers(Client &c)
{
    ssize_t n = write(c.fd, c.out.data(), c.out.size());
    if (n < 0)
        return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR;
    c.out.erase(0, (size_t) n);
    return true;
}

int main(int argc, char **argv)
{
    int listenfd;
    struct sockaddr_in cliaddr, servaddr;
    socklen_t clilen;
    const int on = 1;

    LotteryArgs args = lottery_server_args(argc, argv, "LotteryServerPoll");
    Lottery lottery(args.seed);  // one draw, shared by every client
    setvbuf(stdout, nullptr, _IOLBF, 0);

    listenfd = Socket(AF_INET, SOCK_STREAM, 0);

    bzero(&servaddr, sizeof(servaddr));
    servaddr.sin_family = AF_INET;
    servaddr.sin_addr.s_addr = htonl(INADDR_ANY);
    servaddr.sin_port = htons(args.port);

    Setsockopt(listenfd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
    Bind(listenfd, (SA *) &servaddr, sizeof(servaddr));
    Listen(listenfd, LISTENQ);
    print_listening(listenfd);

    // Non-blocking, so a client that resets between poll() and accept()
    // makes accept() fail with EAGAIN instead of blocking every client
    // (UNP 16.6).
    set_nonblocking(listenfd);
    Signal(SIGPIPE, SIG_IGN);  // a vanished client: EPIPE, not death

    std::vector<Client> clients;
    std::vector<struct pollfd> fds;
    bool accepting = true;  // false while we are out of descriptors
    for (;;) {
        // fds[0] is the listening socket, fds[i + 1] is clients[i].
        fds.clear();
        fds.push_back({listenfd, (short) (accepting ? POLLIN : 0), 0});
        for (const Client &c : clients)
            fds.push_back({c.fd, (short) (c.out.empty() ? POLLIN : POLLOUT), 0});
        Poll(fds.data(), fds.size(), INFTIM);

        for (size_t i = 0; i < clients.size(); i++) {
            Client &c = clients[i];
            short revents = fds[i + 1].revents;
            if (revents == 0)
                continue;
            bool open = c.out.empty() ? read_commands(c, lottery) : true;
            if (open && !c.out.empty())
                open = write_answers(c);  // at once: usually it all fits
            if (open && c.ending && c.out.empty())
                open = false;  // END, and every answer written: close
            if (!open) {
                printf("%s closed\n", c.peer.c_str());
                Close(c.fd);
                c.fd = -1;
                accepting = true;  // a descriptor is free again
            }
        }
        std::erase_if(clients, [](const Client &c) { return c.fd < 0; });

        if (fds[0].revents & POLLIN) {
            clilen = sizeof(cliaddr);
            int connfd = accept(listenfd, (SA *) &cliaddr, &clilen);
            if (connfd >= 0) {
                set_nonblocking(connfd);
                clients.push_back({connfd, Sock_ntop((SA *) &cliaddr, clilen), "", "", false});
                printf("connection from %s\n", clients.back().peer.c_str());
            } else if (errno == EMFILE || errno == ENFILE) {
                // Out of descriptors: the connection waits in the listen
                // queue.  Stop polling the listener (it would report it
                // again at once, for ever) until a client leaves.
                // (tcpservpoll01 and bench/designs use accept_reserve()
                // instead, which accepts and closes the client at once.
                // Here the waiting client keeps its place and is served
                // when a descriptor frees, and the way out stays in this
                // loop's own poll() set, the lesson of this program.)
                err_ret("accept error");
                accepting = false;
            } else if (errno != EAGAIN && errno != EWOULDBLOCK && errno != ECONNABORTED &&
                       errno != EINTR && errno != EPROTO) {
                err_sys("accept error");
            }
        }
    }
}
