// SPDX-License-Identifier: MIT
// httpserv03 - the HTTP/1.1 file server of httpserv02 in one process: an
// epoll loop over non-blocking sockets, each client a state machine
// (conn.hpp), so a thousand idle keep-alive connections cost a thousand
// small objects, not a thousand processes.
//
// usage: httpserv03 [-d DIR] [-t SECONDS] [port]
//        (DIR: default "."; SECONDS: the request and idle timeout, default
//         10; port: default 9877, 0 lets the kernel pick)
//
// Observe: the same browser load as with httpserv02 gives the same log,
// but `ps` shows one process; `strace -e trace=epoll_wait,read,sendfile -p
// PID` shows one wait returning several ready clients, and a sendfile()
// that moves less than the whole file and comes back on EPOLLOUT.  A
// slowloris client (`nc`, typing slowly) holds one Conn, not the loop:
// others are served meanwhile, and it gets 408 after SECONDS.
#include "unp.h"
#include "blocking.hpp"
#include "conn.hpp"

#include <sys/epoll.h>

#include <unordered_map>
#include <vector>

static int epfd;
static std::unordered_map<int, http::Conn> clients;  // by descriptor

static uint32_t events_for(http::Want want)
{
    return want == http::Want::write ? EPOLLOUT : EPOLLIN;
}

// After advance() or expire(): close the client, or tell epoll what it
// waits for now.
static void update(http::Conn &c, http::Want before, http::Want after)
{
    if (after == http::Want::close) {
        int fd = c.fd();
        clients.erase(fd);
        Close(fd);  // close() also removes it from the epoll set
        return;
    }
    if (after != before) {
        struct epoll_event ev {};
        ev.events = events_for(after);
        ev.data.fd = c.fd();
        if (epoll_ctl(epfd, EPOLL_CTL_MOD, c.fd(), &ev) < 0)
            err_sys("epoll_ctl error");
    }
}

// Out of descriptors, accept() fails with EMFILE and leaves the client in
// the listen queue: the listener stays ready, and epoll_wait would report
// it again at once, for ever (100% CPU, a log line each time).
// accept_reserve() (lib/accept_reserve.cpp, as bench/designs/serv_epoll
// does) frees a spare descriptor, accepts that client and closes it at
// once, so the queue drains and the loop sleeps; it logs once.
static struct accept_reserve reserve;

// Accept every connection waiting (the listening socket is non-blocking).
static void accept_clients(int listenfd, const http::Site &site, int timeout)
{
    for (;;) {
        struct sockaddr_in cliaddr;
        socklen_t clilen = sizeof cliaddr;
        int connfd = accept_reserve(&reserve, listenfd, (SA *) &cliaddr, &clilen);
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
        clients.emplace(connfd, http::Conn(connfd, cliaddr, site, std::chrono::seconds(timeout)));
    }
}

// Clients past their deadline: 408, or closed.
static void expire_clients(http::Clock::time_point now)
{
    std::vector<int> due;
    for (auto &[fd, c] : clients)
        if (c.deadline() <= now)
            due.push_back(fd);
    for (int fd : due) {
        auto it = clients.find(fd);
        http::Want before = it->second.want();
        update(it->second, before, it->second.expire());
    }
}

int main(int argc, char **argv)
{
    int listenfd, on = 1;
    struct sockaddr_in servaddr;

    http::ServerArgs args = http::parse_args(argc, argv, "usage: httpserv03 [-d DIR] [-t SECONDS] [port]");
    http::Site site = http::open_site("httpserv03", args, true);  // true: HTTP/1.1, keep-alive

    listenfd = Socket(AF_INET, SOCK_STREAM, 0);
    Setsockopt(listenfd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
    bzero(&servaddr, sizeof servaddr);
    servaddr.sin_family = AF_INET;
    servaddr.sin_addr.s_addr = htonl(INADDR_ANY);
    servaddr.sin_port = htons(static_cast<uint16_t>(args.port));
    Bind(listenfd, (SA *) &servaddr, sizeof servaddr);
    Listen(listenfd, LISTENQ);
    Fcntl(listenfd, F_SETFL, Fcntl(listenfd, F_GETFL, 0) | O_NONBLOCK);
    Signal(SIGPIPE, SIG_IGN);  // a client gone mid-answer: EPIPE, not death

    if ((epfd = epoll_create1(EPOLL_CLOEXEC)) < 0)
        err_sys("epoll_create1 error");
    struct epoll_event ev {};
    ev.events = EPOLLIN;
    ev.data.fd = listenfd;
    if (epoll_ctl(epfd, EPOLL_CTL_ADD, listenfd, &ev) < 0)
        err_sys("epoll_ctl error");
    accept_reserve_init(&reserve);
    print_listening(listenfd);  // once every descriptor of the loop is open
    fprintf(stderr, "httpserv03: serving %s (%s)\n", site.path().c_str(),
            site.kernel_checked() ? "openat2 RESOLVE_BENEATH" : "fallback: openat O_NOFOLLOW per component");

    // Deadlines are checked every quarter second (while anyone is
    // connected): a timeout is exact to that, which is plenty for seconds.
    struct epoll_event ready[64];
    auto next_sweep = http::Clock::now();
    for (;;) {
        int n = epoll_wait(epfd, ready, 64, clients.empty() ? -1 : 250);
        if (n < 0 && errno != EINTR)
            err_sys("epoll_wait error");
        for (int i = 0; i < n; i++) {
            int fd = ready[i].data.fd;
            if (fd == listenfd) {
                accept_clients(listenfd, site, args.timeout);
                continue;
            }
            auto it = clients.find(fd);
            if (it == clients.end())
                continue;  // closed earlier in this round
            http::Want before = it->second.want();
            update(it->second, before, it->second.advance());
        }
        auto now = http::Clock::now();
        if (now >= next_sweep) {
            expire_clients(now);
            next_sweep = now + std::chrono::milliseconds(250);
        }
    }
}
