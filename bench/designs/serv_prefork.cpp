// SPDX-License-Identifier: MIT
// serv_prefork - a pool of children forked in advance, all calling accept()
// on the one listening socket (the book's serv02 and serv04, chapter 30).
//
// Usage: serv_prefork [-l] [-n children] [port]
//   -l           take a lock around accept(): one child at a time waits in it
//   -n children  the pool's size (default 8)
//
// The fork() happens once per child, at start, not once per connection:
// the kernel hands each new connection to one of the children blocked in
// accept().  The pool's size caps how many clients are served at once: a
// ninth client waits for one of eight children, as with the iterative
// server.  -l puts a process-shared mutex around accept(), as the book
// does for kernels that wake every child for one connection ("thundering
// herd") or cannot let several processes accept() on one socket; Linux
// wakes one, so the lock only costs a little.  SIGTERM or SIGINT to the
// parent ends the children too.
// Observe: `ps --ppid <pid>` lists the pool; `loadgen -c 16 -w 1000` with
// -n 8 and with -n 16: the pool's size caps requests per second.
#include "service.h"
#include "unp.h"

#include <string>

#include <pthread.h>
#include <sys/mman.h>

#include <vector>

static std::vector<pid_t> children;
static pthread_mutex_t *accept_lock;  // in memory shared by the children; null without -l

static void lock_init()
{
    // MAP_SHARED: the children see one mutex, not a copy each.
    void *mem = mmap(nullptr, sizeof(pthread_mutex_t), PROT_READ | PROT_WRITE,
                     MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (mem == MAP_FAILED)
        err_sys("mmap error");
    accept_lock = static_cast<pthread_mutex_t *>(mem);
    pthread_mutexattr_t attr;
    pthread_mutexattr_init(&attr);
    pthread_mutexattr_setpshared(&attr, PTHREAD_PROCESS_SHARED);
    if (int n = pthread_mutex_init(accept_lock, &attr); n != 0) {
        errno = n;
        err_sys("pthread_mutex_init error");
    }
    pthread_mutexattr_destroy(&attr);
}

[[noreturn]] static void child_main(int listenfd)
{
    Signal(SIGTERM, SIG_DFL);  // the parent's handler is not the child's
    Signal(SIGINT, SIG_DFL);
    for (;;) {
        if (accept_lock)
            pthread_mutex_lock(accept_lock);
        int connfd = Accept(listenfd, nullptr, nullptr);
        if (accept_lock)
            pthread_mutex_unlock(accept_lock);
        serve_client(connfd);
        Close(connfd);
    }
}

// The parent on SIGTERM/SIGINT: end the children, reap them, exit.  Only
// async-signal-safe calls here (kill, waitpid, _exit).
static void sig_term(int)
{
    for (pid_t pid : children)
        kill(pid, SIGTERM);
    while (waitpid(-1, nullptr, 0) > 0)
        ;
    _exit(0);
}

int main(int argc, char **argv)
{
    int nchildren = 8;
    bool lock = false;
    int c;
    // -h/--help before getopt sees them
    check_usage(argc, argv, true, "usage: serv_prefork [-l] [-n children (1..1000)] [port]");
    while ((c = getopt(argc, argv, "ln:")) != -1) {
        switch (c) {
        case 'l':
            lock = true;
            break;
        case 'n':
            nchildren = atoi(optarg);
            break;
        default:
            nchildren = 0;  // reported below
        }
    }
    if (nchildren < 1 || nchildren > 1000 || argc - optind > 1)
        err_quit("usage: serv_prefork [-l] [-n children (1..1000)] [port]");
    int port = optind < argc ? Parse_port(argv[optind]) : SERV_PORT;
    Signal(SIGPIPE, SIG_IGN);  // a client gone mid-reply: EPIPE, not death

    // Every design listens the same way (socket, SO_REUSEADDR, bind, listen),
    // as the book's chapter 30 servers do: what differs is what comes after.
    int listenfd = Tcp_listen("0.0.0.0", std::to_string(port).c_str(), nullptr);

    if (lock)
        lock_init();
    // Block the signals while forking, so the handler never sees half a list.
    sigset_t block, old;
    Sigemptyset(&block);
    Sigaddset(&block, SIGTERM);
    Sigaddset(&block, SIGINT);
    Sigprocmask(SIG_BLOCK, &block, &old);
    Signal(SIGTERM, sig_term);
    Signal(SIGINT, sig_term);
    children.reserve(static_cast<size_t>(nchildren));
    for (int i = 0; i < nchildren; i++) {
        pid_t pid = Fork();
        if (pid == 0) {
            Sigprocmask(SIG_SETMASK, &old, nullptr);
            child_main(listenfd);  // never returns
        }
        children.push_back(pid);
    }
    print_listening(listenfd);  // after the fork()s: the pool is ready
    Sigprocmask(SIG_SETMASK, &old, nullptr);

    for (;;)
        pause();  // the children do all the work
}
