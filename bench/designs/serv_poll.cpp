// SPDX-License-Identifier: MIT
// serv_poll - one process, one thread, poll() over every client (the
// book's tcpservpoll01, chapter 6, with replies of any size).
//
// Usage: serv_poll [port]        (port 0: the kernel picks one)
//
// serv_select with poll() (ppoll() here, for its finer timeout): an array of struct pollfd instead of three bit
// sets, so no FD_SETSIZE limit and the events asked for (events) stay apart
// from the events that happened (revents).  The kernel still scans the
// whole array on every call, as with select().
// Observe: `strace -e trace=ppoll -p <pid>` while loadgen runs: one call
// per wakeup, each handed every client.
#include "conn.h"
#include "unp.h"

#include <string>

#include <algorithm>
#include <vector>

// Out of descriptors, accept_reserve() turns a waiting client away with a
// spare descriptor (lib/accept_reserve.cpp) instead of leaving it queued,
// where the loop would be told about it again at once, for ever.
static struct accept_reserve reserve;

// Accept every connection waiting (the listening socket is non-blocking).
static void accept_clients(int listenfd, std::vector<Conn> &clients)
{
    for (;;) {
        int connfd = accept_reserve(&reserve, listenfd, nullptr, nullptr);
        if (connfd < 0) {
            if (errno == EINTR || errno == ECONNABORTED || errno == EPROTO)
                continue;  // a client gave up before we got to it
            if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EMFILE && errno != ENFILE)
                err_ret("accept error");
            return;  // EMFILE: that client was turned away (and logged once)
        }
        Fcntl(connfd, F_SETFL, Fcntl(connfd, F_GETFL, 0) | O_NONBLOCK);
        clients.emplace_back(connfd);
    }
}

int main(int argc, char **argv)
{
    check_usage(argc, argv, argc <= 2, "usage: serv_poll [port]");
    int port = argc == 2 ? Parse_port(argv[1]) : SERV_PORT;
    Signal(SIGPIPE, SIG_IGN);  // a client gone mid-reply: EPIPE, not death

    // Every design listens the same way (socket, SO_REUSEADDR, bind, listen),
    // as the book's chapter 30 servers do: what differs is what comes after.
    int listenfd = Tcp_listen("0.0.0.0", std::to_string(port).c_str(), nullptr);
    Fcntl(listenfd, F_SETFL, Fcntl(listenfd, F_GETFL, 0) | O_NONBLOCK);
    accept_reserve_init(&reserve);  // before the port line: tests count descriptors from it
    print_listening(listenfd);

    std::vector<Conn> clients;          // clients[i] is watched by fds[i + 1]
    std::vector<struct pollfd> fds;
    for (;;) {
        // fds[0] is the listening socket; then one entry per client.  A
        // client waiting for its work timer gets fd -1: poll() skips it.
        fds.assign(1, pollfd{listenfd, POLLIN, 0});
        auto deadline = Clock::time_point::max();
        for (const Conn &c : clients) {
            if (c.want() == Want::timer) {
                fds.push_back(pollfd{-1, 0, 0});
                deadline = std::min(deadline, c.ready_at());
            } else {
                short events = c.want() == Want::read ? POLLIN : POLLOUT;
                fds.push_back(pollfd{c.fd(), events, 0});
            }
        }
        struct timespec ts {}, *timeout = nullptr;  // null: no timer, wait for I/O
        if (deadline != Clock::time_point::max()) {
            // ppoll() takes a timespec: poll()'s milliseconds would round
            // the 1 ms work time up to 2.
            auto nsec = std::chrono::duration_cast<std::chrono::nanoseconds>(deadline - Clock::now()).count();
            nsec = std::max<long long>(nsec, 0);
            ts.tv_sec = static_cast<time_t>(nsec / 1'000'000'000);
            ts.tv_nsec = static_cast<long>(nsec % 1'000'000'000);
            timeout = &ts;
        }

        if (ppoll(fds.data(), fds.size(), timeout, nullptr) < 0 && errno != EINTR)
            err_sys("ppoll error");

        auto now = Clock::now();
        // Walk the clients, dropping closed ones in place (stable order).
        std::size_t kept = 0;
        for (std::size_t i = 0; i < clients.size(); i++) {
            Conn &c = clients[i];
            short revents = fds[i + 1].revents;
            bool ready = (c.want() == Want::timer) ? now >= c.ready_at() : revents != 0;
            // POLLERR/POLLHUP count as ready: advance() reads or writes, sees
            // the error or EOF, and asks to close.
            if (ready && c.advance(now) == Want::close) {
                Close(c.fd());
                continue;
            }
            if (kept != i)
                clients[kept] = clients[i];
            kept++;
        }
        clients.erase(clients.begin() + static_cast<std::ptrdiff_t>(kept), clients.end());
        if (fds[0].revents & POLLIN)
            accept_clients(listenfd, clients);
    }
}
