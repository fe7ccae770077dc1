// SPDX-License-Identifier: MIT
// Socket wrappers: call the function, and on failure print
// "<name> error: <strerror>" and exit(1).
#include "unp.h"

extern "C" {

int Socket(int family, int type, int protocol)
{
    int n = socket(family, type, protocol);
    if (n < 0)
        err_sys("socket error");
    return n;
}

void Bind(int fd, const SA *sa, socklen_t salen)
{
    if (bind(fd, sa, salen) < 0) {
        int saved = errno;
        err_bind("bind error", saved, bind_hint_for(saved, fd, sa, salen));
    }
}

void Listen(int fd, int backlog)
{
    // As in the book: the LISTENQ environment variable overrides the caller.
    if (const char *ptr = getenv("LISTENQ"); ptr != nullptr)
        backlog = atoi(ptr);
    if (listen(fd, backlog) < 0)
        err_sys("listen error");
}

int Accept(int fd, SA *sa, socklen_t *salenptr)
{
    for (;;) {
        int n = accept(fd, sa, salenptr);
        if (n >= 0)
            return n;
        // A connection that was reset or failed before we accepted it is
        // not the listener's failure: take the next one.  EINTR stays fatal,
        // as in the book, so the interrupted-accept lesson still shows.
        if (errno == ECONNABORTED || errno == EPROTO)
            continue;
        err_sys("accept error");
    }
}

void Connect(int fd, const SA *sa, socklen_t salen)
{
    if (connect(fd, sa, salen) < 0)
        err_sys("connect error");
}

void Shutdown(int fd, int how)
{
    if (shutdown(fd, how) < 0)
        err_sys("shutdown error");
}

void Getsockname(int fd, SA *sa, socklen_t *salenptr)
{
    if (getsockname(fd, sa, salenptr) < 0)
        err_sys("getsockname error");
}

void Getpeername(int fd, SA *sa, socklen_t *salenptr)
{
    if (getpeername(fd, sa, salenptr) < 0)
        err_sys("getpeername error");
}

void Getsockopt(int fd, int level, int optname, void *optval, socklen_t *optlenptr)
{
    if (getsockopt(fd, level, optname, optval, optlenptr) < 0)
        err_sys("getsockopt error");
}

void Setsockopt(int fd, int level, int optname, const void *optval, socklen_t optlen)
{
    if (setsockopt(fd, level, optname, optval, optlen) < 0)
        err_sys("setsockopt error");
}

void Socketpair(int family, int type, int protocol, int fd[2])
{
    if (socketpair(family, type, protocol, fd) < 0)
        err_sys("socketpair error");
}

ssize_t Recv(int fd, void *ptr, size_t nbytes, int flags)
{
    ssize_t n = recv(fd, ptr, nbytes, flags);
    if (n < 0)
        err_sys("recv error");
    return n;
}

void Send(int fd, const void *ptr, size_t nbytes, int flags)
{
    if (send(fd, ptr, nbytes, flags) != static_cast<ssize_t>(nbytes))
        err_sys("send error");
}

ssize_t Recvfrom(int fd, void *ptr, size_t nbytes, int flags, SA *sa, socklen_t *salenptr)
{
    ssize_t n = recvfrom(fd, ptr, nbytes, flags, sa, salenptr);
    if (n < 0)
        err_sys("recvfrom error");
    return n;
}

void Sendto(int fd, const void *ptr, size_t nbytes, int flags, const SA *sa, socklen_t salen)
{
    if (sendto(fd, ptr, nbytes, flags, sa, salen) != static_cast<ssize_t>(nbytes))
        err_sys("sendto error");
}

int Select(int nfds, fd_set *readfds, fd_set *writefds, fd_set *exceptfds, struct timeval *timeout)
{
    int n = select(nfds, readfds, writefds, exceptfds, timeout);
    if (n < 0)
        err_sys("select error");
    return n;  // 0 on timeout
}

int Poll(struct pollfd *fdarray, unsigned long nfds, int timeout)
{
    int n = poll(fdarray, nfds, timeout);
    if (n < 0)
        err_sys("poll error");
    return n;
}

ssize_t Recvmsg(int fd, struct msghdr *msg, int flags)
{
    ssize_t n = recvmsg(fd, msg, flags);
    if (n < 0)
        err_sys("recvmsg error");
    return n;
}

void Sendmsg(int fd, const struct msghdr *msg, int flags)
{
    size_t nbytes = 0;  // what the iovecs hold: less sent is an error, as in Sendto
    for (size_t i = 0; i < msg->msg_iovlen; i++)
        nbytes += msg->msg_iov[i].iov_len;
    if (sendmsg(fd, msg, flags) != static_cast<ssize_t>(nbytes))
        err_sys("sendmsg error");
}

int Sockatmark(int fd)
{
    int n = sockatmark(fd);
    if (n < 0)
        err_sys("sockatmark error");
    return n;
}

}  // extern "C"
