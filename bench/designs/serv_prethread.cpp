// SPDX-License-Identifier: MIT
// serv_prethread - a pool of threads created in advance, each calling
// accept() on the one listening socket (the book's serv07, chapter 30).
//
// Usage: serv_prethread [-n threads] [port]   (default 8 threads)
//
// serv_prefork with threads: no process per client and none per
// connection.  As with any pool, its size caps how many clients are served
// at once.  The book puts a mutex around accept(); Linux lets several
// threads block in accept() on one socket and wakes one per connection,
// so these threads call it directly.
// Observe: `ps -L -p <pid>` lists the pool's threads, one more than -n.
#include "service.h"
#include "unp.h"

#include <string>

#include <pthread.h>

#include <cstdint>

static void *pool_thread(void *arg)
{
    int listenfd = static_cast<int>(reinterpret_cast<intptr_t>(arg));
    for (;;) {
        int connfd = Accept(listenfd, nullptr, nullptr);
        serve_client(connfd);
        Close(connfd);
    }
    return nullptr;
}

int main(int argc, char **argv)
{
    int nthreads = 8;
    int c;
    // -h/--help before getopt sees them
    check_usage(argc, argv, true, "usage: serv_prethread [-n threads (1..1000)] [port]");
    while ((c = getopt(argc, argv, "n:")) != -1) {
        if (c == 'n')
            nthreads = atoi(optarg);
        else
            nthreads = 0;  // reported below
    }
    if (nthreads < 1 || nthreads > 1000 || argc - optind > 1)
        err_quit("usage: serv_prethread [-n threads (1..1000)] [port]");
    int port = optind < argc ? Parse_port(argv[optind]) : SERV_PORT;
    Signal(SIGPIPE, SIG_IGN);  // a client gone mid-reply: EPIPE, not death

    // Every design listens the same way (socket, SO_REUSEADDR, bind, listen),
    // as the book's chapter 30 servers do: what differs is what comes after.
    int listenfd = Tcp_listen("0.0.0.0", std::to_string(port).c_str(), nullptr);

    for (int i = 0; i < nthreads; i++) {
        pthread_t tid;
        int n = pthread_create(&tid, nullptr, pool_thread, reinterpret_cast<void *>(static_cast<intptr_t>(listenfd)));
        if (n != 0) {  // pthread functions return the error, not -1/errno
            errno = n;
            err_sys("pthread_create error");
        }
    }
    print_listening(listenfd);  // the pool is ready

    for (;;)
        pause();  // the threads do all the work
}
