// SPDX-License-Identifier: MIT
// write_fd/read_fd: pass a descriptor to another process over a Unix
// domain socket, with some data (at least one byte, so the receiver has
// something to read), as SCM_RIGHTS ancillary data.
#include "unp.h"

extern "C" {

ssize_t write_fd(int fd, const void *ptr, size_t nbytes, int sendfd)
{
    union {  // aligned as a cmsghdr, sized for one descriptor
        struct cmsghdr cm;
        char space[CMSG_SPACE(sizeof(int))];
    } control {};
    iovec iov{const_cast<void *>(ptr), nbytes};
    msghdr msg{};
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control.space;
    msg.msg_controllen = sizeof control.space;
    cmsghdr *cmptr = CMSG_FIRSTHDR(&msg);
    cmptr->cmsg_len = CMSG_LEN(sizeof(int));
    cmptr->cmsg_level = SOL_SOCKET;
    cmptr->cmsg_type = SCM_RIGHTS;
    memcpy(CMSG_DATA(cmptr), &sendfd, sizeof sendfd);
    return sendmsg(fd, &msg, 0);
}

ssize_t read_fd(int fd, void *ptr, size_t nbytes, int *recvfd)
{
    union {
        struct cmsghdr cm;
        char space[CMSG_SPACE(sizeof(int))];
    } control {};
    iovec iov{ptr, nbytes};
    msghdr msg{};
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control.space;
    msg.msg_controllen = sizeof control.space;
    ssize_t n = recvmsg(fd, &msg, 0);
    if (n <= 0)
        return n;
    *recvfd = -1;  // data, but no descriptor with it
    cmsghdr *cmptr = CMSG_FIRSTHDR(&msg);
    if (cmptr != nullptr && cmptr->cmsg_len == CMSG_LEN(sizeof(int)) && cmptr->cmsg_level == SOL_SOCKET &&
        cmptr->cmsg_type == SCM_RIGHTS)
        memcpy(recvfd, CMSG_DATA(cmptr), sizeof(int));
    return n;
}

ssize_t Write_fd(int fd, const void *ptr, size_t nbytes, int sendfd)
{
    ssize_t n = write_fd(fd, ptr, nbytes, sendfd);
    if (n < 0)
        err_sys("write_fd error");
    return n;
}

ssize_t Read_fd(int fd, void *ptr, size_t nbytes, int *recvfd)
{
    ssize_t n = read_fd(fd, ptr, nbytes, recvfd);
    if (n < 0)
        err_sys("read_fd error");
    return n;
}

}  // extern "C"
