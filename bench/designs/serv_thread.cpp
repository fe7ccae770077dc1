// SPDX-License-Identifier: MIT
// serv_thread - one thread per client (the book's tcpserv01 of chapter 26).
//
// Usage: serv_thread [port]        (port 0: the kernel picks one)
//
// Like serv_fork, but pthread_create() instead of fork(): a thread shares
// the process's memory and descriptors, so creating one costs far less
// than a process.  Each thread detaches itself (nobody joins it) and closes
// its connection: the descriptor table is shared, so nobody else may.
// Observe: its CPU per connection (loadgen's server CPU / requests) sits
// between serv_fork's and serv_prethread's.
#include "service.h"
#include "unp.h"

#include <string>

#include <pthread.h>

#include <cstdint>

static void *serve_thread(void *arg)
{
    int connfd = static_cast<int>(reinterpret_cast<intptr_t>(arg));
    pthread_detach(pthread_self());  // its resources go when it returns
    serve_client(connfd);
    Close(connfd);  // the thread owns connfd: the main thread never closes it
    return nullptr;
}

int main(int argc, char **argv)
{
    check_usage(argc, argv, argc <= 2, "usage: serv_thread [port]");
    int port = argc == 2 ? Parse_port(argv[1]) : SERV_PORT;
    Signal(SIGPIPE, SIG_IGN);  // a client gone mid-reply: EPIPE, not death

    // Every design listens the same way (socket, SO_REUSEADDR, bind, listen),
    // as the book's chapter 30 servers do: what differs is what comes after.
    int listenfd = Tcp_listen("0.0.0.0", std::to_string(port).c_str(), nullptr);
    struct accept_reserve reserve;  // a spare descriptor, for when we run out
    accept_reserve_init(&reserve);
    print_listening(listenfd);

    for (;;) {
        // Out of descriptors, Accept() would end the server; accept_reserve
        // turns that client away with the spare and we go on.
        int connfd = accept_reserve(&reserve, listenfd, nullptr, nullptr);
        if (connfd < 0) {
            if (errno == EMFILE || errno == ENFILE || errno == EINTR || errno == ECONNABORTED || errno == EPROTO)
                continue;
            err_sys("accept error");
        }
        pthread_t tid;
        // connfd goes by value inside the pointer: passing &connfd would let
        // the next accept() overwrite it before the thread reads it.
        int n = pthread_create(&tid, nullptr, serve_thread, reinterpret_cast<void *>(static_cast<intptr_t>(connfd)));
        if (n != 0) {  // pthread functions return the error, not -1/errno
            errno = n;
            err_ret("pthread_create error");
            Close(connfd);  // this client is refused; the server goes on
        }
    }
}
