// SPDX-License-Identifier: MIT
// tcpservselect01 - one process serving many echo clients with select():
// no fork, no threads.  select() says which sockets can be read (or
// written) without blocking, and the loop serves exactly those.
//
// usage: tcpservselect01 [port]      (default 9877; 0: the kernel picks)
//
// Observe: start several tcpcli01 clients: all are answered by this one
// process (`ps` shows no children).  An fd_set holds descriptors below
// FD_SETSIZE (1024) only: a client whose descriptor is past that is told
// "too many clients" and closed (the book's version exits instead).
// tcpservpoll01 has no such limit.
//
// Unlike the book's, one client cannot stop the others:
//   - a client that resets (tcpcli10) makes read() fail with ECONNRESET:
//     we drop that client, where the book's Read() would end the server;
//   - a client that sends but never reads fills its socket buffers: our
//     sockets are non-blocking, so instead of blocking in write() for it,
//     we keep its unsent echo and stop reading from it until select()
//     says it can take more, while the others are served as usual;
//   - SIGPIPE is ignored, so writing to a vanished client returns EPIPE.
#include "unp.h"

#include <algorithm>
#include <string>
#include <vector>

// One client: its socket (non-blocking), and the echo it has not taken yet.
// While `unsent` is empty we wait for its input; otherwise we wait until it
// can take more, and read nothing from it meanwhile, so a client that sends
// but never reads holds back only itself.
struct Client {
    int fd;
    std::string unsent;
};

int main(int argc, char **argv)
{
    int listenfd, connfd, maxfd;
    socklen_t clilen;
    struct sockaddr_in cliaddr, servaddr;
    std::vector<Client> clients;
    fd_set rset, wset;
    struct accept_reserve reserve;  // a spare descriptor, for when we run out

    check_usage(argc, argv, argc <= 2, "usage: tcpservselect01 [port]");
    int port = argc == 2 ? Parse_port(argv[1]) : SERV_PORT;

    Signal(SIGPIPE, SIG_IGN);  // a vanished client gives EPIPE, not death

    listenfd = Socket(AF_INET, SOCK_STREAM, 0);

    bzero(&servaddr, sizeof servaddr);
    servaddr.sin_family = AF_INET;
    servaddr.sin_addr.s_addr = htonl(INADDR_ANY);
    servaddr.sin_port = htons(port);

    Bind(listenfd, (SA *) &servaddr, sizeof servaddr);

    Listen(listenfd, LISTENQ);
    accept_reserve_init(&reserve);  // before the port line: tests count descriptors from it
    print_listening(listenfd);

    for (;;) {
        // select() overwrites its sets, so they are rebuilt every time.
        FD_ZERO(&rset);
        FD_ZERO(&wset);
        maxfd = listenfd;
        FD_SET(listenfd, &rset);
        for (const Client &c : clients) {  // read when we can echo, else wait until it can take more
            FD_SET(c.fd, c.unsent.empty() ? &rset : &wset);
            maxfd = std::max(maxfd, c.fd);
        }

        if (select(maxfd + 1, &rset, &wset, NULL, NULL) < 0) {
            if (errno == EINTR)
                continue;
            err_sys("select error");
        }

        // Every client select() reported: readable, writable, closed or reset.
        for (size_t i = 0; i < clients.size();) {
            Client &c = clients[i];
            if (!FD_ISSET(c.fd, &rset) && !FD_ISSET(c.fd, &wset)) {
                i++;
                continue;
            }
            // It was waiting for input: read what came (EOF: it closed).
            bool gone = false;
            if (c.unsent.empty()) {
                char buf[MAXLINE];
                ssize_t n = read(c.fd, buf, sizeof buf);
                if (n == 0) {
                    gone = true;
                } else if (n > 0) {
                    c.unsent.assign(buf, static_cast<size_t>(n));
                } else if (errno != EAGAIN && errno != EINTR) {
                    err_ret("read error");  // e.g. Connection reset by peer
                    gone = true;
                }
            }
            // Echo as much as it can take now; the rest waits for select()'s wset.
            if (!gone && !c.unsent.empty()) {
                ssize_t n = write(c.fd, c.unsent.data(), c.unsent.size());
                if (n >= 0) {
                    c.unsent.erase(0, static_cast<size_t>(n));
                } else if (errno != EAGAIN && errno != EINTR) {
                    err_ret("write error");
                    gone = true;
                }
            }
            if (gone) {
                Close(c.fd);
                clients.erase(clients.begin() + i);
                continue;
            }
            i++;
        }

        if (FD_ISSET(listenfd, &rset)) {  // a new client
            clilen = sizeof cliaddr;
            // accept_reserve: accept(), except that out of descriptors it
            // turns the client away with a spare one (lib/accept_reserve.cpp)
            // instead of leaving it queued, where select() would report it
            // again at once, for ever.
            if ((connfd = accept_reserve(&reserve, listenfd, (SA *) &cliaddr, &clilen)) >= 0) {
                if (connfd >= FD_SETSIZE) {  // FD_SET on it would write past the fd_set
                    const char msg[] = "too many clients\n";
                    ssize_t ignored = write(connfd, msg, sizeof msg - 1);
                    (void) ignored;  // it is being closed anyway
                    err_msg("too many clients: descriptor %d is past FD_SETSIZE", connfd);
                    Close(connfd);
                    continue;
                }
                Fcntl(connfd, F_SETFL, Fcntl(connfd, F_GETFL, 0) | O_NONBLOCK);
                clients.push_back({connfd, {}});
            } else if (errno != EINTR && errno != ECONNABORTED && errno != EPROTO && errno != EAGAIN &&
                       errno != EMFILE && errno != ENFILE) {  // those: the loop goes on
                err_sys("accept error");
            }
        }
    }
}
