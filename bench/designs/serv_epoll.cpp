// SPDX-License-Identifier: MIT
// serv_epoll - one process, one thread, epoll over every client (Linux).
//
// Usage: serv_epoll [port]        (port 0: the kernel picks one)
//
// serv_poll's event loop without its scan: the interest list lives in the
// kernel (epoll_ctl() changes it one descriptor at a time) and
// epoll_wait() returns only the descriptors that are ready.  With many
// clients of which few are busy, that is the difference: select() and
// poll() cost grows with every client connected, epoll's with the ready
// ones.  Level-triggered, like select() and poll().
// Observe: `strace -e trace=epoll_ctl,epoll_pwait2 -p <pid>`: interest
// changes one descriptor at a time, and each wait returns only ready ones.
#include "conn.h"
#include "unp.h"

#include <string>

#include <sys/epoll.h>

#include <algorithm>
#include <set>
#include <unordered_map>
#include <utility>

static int epfd;
static std::unordered_map<int, Conn> clients;               // by descriptor
static std::set<std::pair<Clock::time_point, int>> timers;  // (ready_at, fd), earliest first

static uint32_t events_for(Want want)
{
    switch (want) {
    case Want::read:
        return EPOLLIN;
    case Want::write:
        return EPOLLOUT;
    default:
        return 0;  // a timer: nothing to watch (errors and hangups still come)
    }
}

// Run one client as far as it goes, then tell epoll (or the timers) what
// it waits for now.
static void advance(Conn &c, Clock::time_point now)
{
    Want before = c.want();
    Want after = c.advance(now);
    if (after == Want::close) {
        Close(c.fd());  // close() also removes it from the epoll set
        clients.erase(c.fd());
        return;
    }
    if (after == Want::timer)
        timers.emplace(c.ready_at(), c.fd());
    if (after != before) {
        struct epoll_event ev {};
        ev.events = events_for(after);
        ev.data.fd = c.fd();
        if (epoll_ctl(epfd, EPOLL_CTL_MOD, c.fd(), &ev) < 0)
            err_sys("epoll_ctl error");
    }
}

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
        Fcntl(connfd, F_SETFL, Fcntl(connfd, F_GETFL, 0) | O_NONBLOCK);
        struct epoll_event ev {};
        ev.events = EPOLLIN;
        ev.data.fd = connfd;
        if (epoll_ctl(epfd, EPOLL_CTL_ADD, connfd, &ev) < 0)
            err_sys("epoll_ctl error");
        clients.emplace(connfd, Conn(connfd));
    }
}

int main(int argc, char **argv)
{
    check_usage(argc, argv, argc <= 2, "usage: serv_epoll [port]");
    int port = argc == 2 ? Parse_port(argv[1]) : SERV_PORT;
    Signal(SIGPIPE, SIG_IGN);  // a client gone mid-reply: EPIPE, not death

    // Every design listens the same way (socket, SO_REUSEADDR, bind, listen),
    // as the book's chapter 30 servers do: what differs is what comes after.
    int listenfd = Tcp_listen("0.0.0.0", std::to_string(port).c_str(), nullptr);
    Fcntl(listenfd, F_SETFL, Fcntl(listenfd, F_GETFL, 0) | O_NONBLOCK);

    if ((epfd = epoll_create1(EPOLL_CLOEXEC)) < 0)
        err_sys("epoll_create1 error");
    struct epoll_event ev {};
    ev.events = EPOLLIN;
    ev.data.fd = listenfd;
    if (epoll_ctl(epfd, EPOLL_CTL_ADD, listenfd, &ev) < 0)
        err_sys("epoll_ctl error");
    accept_reserve_init(&reserve);  // before the port line: tests count descriptors from it
    print_listening(listenfd);

    struct epoll_event ready[64];
    for (;;) {
        struct timespec ts {}, *timeout = nullptr;  // null: no timer, wait for I/O
        if (!timers.empty()) {
            // epoll_pwait2() (Linux 5.11) takes a timespec: epoll_wait()'s
            // milliseconds would round the 1 ms work time up to 2.
            auto nsec = std::chrono::duration_cast<std::chrono::nanoseconds>(timers.begin()->first - Clock::now()).count();
            nsec = std::max<long long>(nsec, 0);
            ts.tv_sec = static_cast<time_t>(nsec / 1'000'000'000);
            ts.tv_nsec = static_cast<long>(nsec % 1'000'000'000);
            timeout = &ts;
        }
        int n = epoll_pwait2(epfd, ready, 64, timeout, nullptr);
        if (n < 0 && errno != EINTR)
            err_sys("epoll_pwait2 error");

        auto now = Clock::now();
        for (int i = 0; i < n; i++) {
            int fd = ready[i].data.fd;
            if (fd == listenfd) {
                accept_clients(listenfd);
                continue;
            }
            auto it = clients.find(fd);
            if (it == clients.end())
                continue;  // closed earlier in this round
            if (it->second.want() == Want::timer && !(ready[i].events & (EPOLLERR | EPOLLHUP)))
                continue;  // nothing to do until its timer
            if (it->second.want() == Want::timer) {
                Close(fd);  // reset while it waited: no one to answer
                clients.erase(it);
                continue;  // its stale timer entry is skipped below
            }
            advance(it->second, now);
        }
        // Timers that are due, earliest first.
        while (!timers.empty() && timers.begin()->first <= now) {
            auto [when, fd] = *timers.begin();
            timers.erase(timers.begin());
            auto it = clients.find(fd);
            if (it != clients.end() && it->second.want() == Want::timer && it->second.ready_at() == when)
                advance(it->second, now);
        }
    }
}
