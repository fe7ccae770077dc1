// SPDX-License-Identifier: MIT
// serv_select - one process, one thread, select() over every client (the
// book's tcpservselect01, chapter 6, with replies of any size).
//
// Usage: serv_select [port]        (port 0: the kernel picks one)
//
// No fork, no threads: the server sleeps in select() until a socket is
// ready, then does only what will not block, for each ready client in turn
// (conn.h keeps each client's place).  A slow client costs nothing while it
// is silent.  select() is handed every descriptor on every call and the
// kernel scans them all, so its cost grows with the number of clients; and
// an fd_set holds descriptors below FD_SETSIZE (1024) only.
// Observe: `loadgen -c 16 -n 50 -s 1 -- serv_select 0`: the slow client
// does not slow the others, unlike with serv_iterative.
#include "conn.h"
#include "unp.h"

#include <string>

#include <algorithm>
#include <array>
#include <memory>

static std::array<std::unique_ptr<Conn>, FD_SETSIZE> client;  // by descriptor

// Out of descriptors, accept_reserve() turns a waiting client away with a
// spare descriptor (lib/accept_reserve.cpp) instead of leaving it queued,
// where the loop would be told about it again at once, for ever.
static struct accept_reserve reserve;

// Accept every connection waiting (the listening socket is non-blocking).
static void accept_clients(int listenfd)
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
        if (connfd >= FD_SETSIZE) {
            err_msg("descriptor %d is beyond select()'s FD_SETSIZE: closing it", connfd);
            Close(connfd);
            continue;
        }
        Fcntl(connfd, F_SETFL, Fcntl(connfd, F_GETFL, 0) | O_NONBLOCK);
        client[connfd] = std::make_unique<Conn>(connfd);
    }
}

int main(int argc, char **argv)
{
    check_usage(argc, argv, argc <= 2, "usage: serv_select [port]");
    int port = argc == 2 ? Parse_port(argv[1]) : SERV_PORT;
    Signal(SIGPIPE, SIG_IGN);  // a client gone mid-reply: EPIPE, not death

    // Every design listens the same way (socket, SO_REUSEADDR, bind, listen),
    // as the book's chapter 30 servers do: what differs is what comes after.
    int listenfd = Tcp_listen("0.0.0.0", std::to_string(port).c_str(), nullptr);
    // Non-blocking, so accept() after select() never hangs on a client that
    // reset before we accepted it (the book's section 16.6).
    Fcntl(listenfd, F_SETFL, Fcntl(listenfd, F_GETFL, 0) | O_NONBLOCK);
    accept_reserve_init(&reserve);  // before the port line: tests count descriptors from it
    print_listening(listenfd);

    for (;;) {
        // Each call gets the full sets again: select() overwrites them.
        fd_set rset, wset;
        FD_ZERO(&rset);
        FD_ZERO(&wset);
        FD_SET(listenfd, &rset);
        int maxfd = listenfd;
        auto deadline = Clock::time_point::max();
        for (auto &c : client) {
            if (!c)
                continue;
            if (c->want() == Want::read)
                FD_SET(c->fd(), &rset);
            else if (c->want() == Want::write)
                FD_SET(c->fd(), &wset);
            else  // Want::timer: not watched until its work time is up
                deadline = std::min(deadline, c->ready_at());
            if (c->want() != Want::timer)
                maxfd = std::max(maxfd, c->fd());
        }
        struct timeval tv {}, *timeout = nullptr;  // null: no timer, wait for I/O
        if (deadline != Clock::time_point::max()) {
            auto usec = std::chrono::duration_cast<std::chrono::microseconds>(deadline - Clock::now()).count();
            usec = std::max<long long>(usec, 0);
            tv.tv_sec = static_cast<time_t>(usec / 1'000'000);
            tv.tv_usec = static_cast<suseconds_t>(usec % 1'000'000);
            timeout = &tv;
        }

        Select(maxfd + 1, &rset, &wset, nullptr, timeout);

        if (FD_ISSET(listenfd, &rset))
            accept_clients(listenfd);
        auto now = Clock::now();
        for (auto &c : client) {
            if (!c)
                continue;
            bool ready = (c->want() == Want::read && FD_ISSET(c->fd(), &rset)) ||
                         (c->want() == Want::write && FD_ISSET(c->fd(), &wset)) ||
                         (c->want() == Want::timer && now >= c->ready_at());
            if (ready && c->advance(now) == Want::close) {
                Close(c->fd());
                c.reset();
            }
        }
    }
}
