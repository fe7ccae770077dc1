// SPDX-License-Identifier: MIT
// tcpservpoll01 - one process serving many echo clients with poll(): no
// fork, no threads.  poll() says which sockets can be read (or written)
// without blocking, and the loop serves exactly those.
//
// usage: tcpservpoll01 [port]      (default 9877; 0: the kernel picks)
//
// Observe: start several tcpcli01 clients: all are answered by this one
// process (`ps` shows no children).  The book's version keeps a fixed
// array of OPEN_MAX pollfds; here the array grows with the clients, so
// the limit is the process's descriptor limit (`ulimit -n`).
//
// Unlike the book's, one client cannot stop the others:
//   - a client that resets (tcpcli10) makes read() fail with ECONNRESET:
//     we drop that client, where the book's Read() would end the server;
//   - a client that sends but never reads fills its socket buffers: our
//     sockets are non-blocking, so instead of blocking in write() for it,
//     we keep its unsent echo and stop reading from it until it can take
//     more (POLLOUT), while the others are served as usual;
//   - SIGPIPE is ignored, so writing to a vanished client returns EPIPE.
#include "unp.h"

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
    int listenfd, connfd;
    socklen_t clilen;
    struct sockaddr_in cliaddr, servaddr;
    std::vector<Client> clients;
    std::vector<struct pollfd> fds;
    struct accept_reserve reserve;  // a spare descriptor, for when we run out

    check_usage(argc, argv, argc <= 2, "usage: tcpservpoll01 [port]");
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
        // fds[0] is the listening socket, fds[i + 1] is clients[i].
        fds.clear();
        fds.push_back({listenfd, POLLIN, 0});
        for (const Client &c : clients)  // read when we can echo, else wait until it can take more
            fds.push_back({c.fd, static_cast<short>(c.unsent.empty() ? POLLIN : POLLOUT), 0});

        if (poll(fds.data(), fds.size(), INFTIM) < 0) {
            if (errno == EINTR)
                continue;
            err_sys("poll error");
        }

        // Every client poll() reported: readable, writable, closed or reset.
        for (size_t i = 0; i < clients.size();) {
            Client &c = clients[i];
            if (fds[i + 1].revents == 0) {
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
            // Echo as much as it can take now; the rest waits for POLLOUT.
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
                clients.erase(clients.begin() + i);  // and its pollfd, to stay in step
                fds.erase(fds.begin() + i + 1);
                continue;
            }
            i++;
        }

        if (fds[0].revents & POLLIN) {  // a new client
            clilen = sizeof cliaddr;
            // Out of descriptors, accept_reserve turns the client away with
            // a spare one instead of leaving it queued, where poll() would
            // report it again at once, for ever (lib/accept_reserve.cpp).
            if ((connfd = accept_reserve(&reserve, listenfd, (SA *) &cliaddr, &clilen)) >= 0) {
                Fcntl(connfd, F_SETFL, Fcntl(connfd, F_GETFL, 0) | O_NONBLOCK);
                clients.push_back({connfd, {}});
            } else if (errno != EINTR && errno != ECONNABORTED && errno != EPROTO && errno != EAGAIN &&
                       errno != EMFILE && errno != ENFILE) {  // those: the loop goes on
                err_sys("accept error");
            }
        }
    }
}
