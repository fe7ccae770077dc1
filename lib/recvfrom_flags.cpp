// SPDX-License-Identifier: MIT
// recvfrom_flags: recvfrom() that also returns the datagram's flags
// (MSG_TRUNC when it was longer than the buffer) and, for IPv4, the
// address it was sent to and the interface it arrived on (the book's
// advio/ chapter).  Linux reports both with IP_PKTINFO, which this turns
// on for the socket when pktp is given.
#include "unp.h"

extern "C" {

ssize_t recvfrom_flags(int fd, void *ptr, size_t nbytes, int *flagsp, SA *sa, socklen_t *salenptr,
                       struct unp_in_pktinfo *pktp)
{
    if (pktp != nullptr) {
        memset(pktp, 0, sizeof *pktp);  // 0.0.0.0 and index 0: not known
        const int on = 1;
        setsockopt(fd, IPPROTO_IP, IP_PKTINFO, &on, sizeof on);  // fails harmlessly on IPv6
    }
    union {
        struct cmsghdr cm;
        char space[CMSG_SPACE(sizeof(struct in_pktinfo)) + CMSG_SPACE(sizeof(int))];
    } control {};
    iovec iov{ptr, nbytes};
    msghdr msg{};
    msg.msg_name = sa;
    msg.msg_namelen = salenptr ? *salenptr : 0;
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control.space;
    msg.msg_controllen = sizeof control.space;
    ssize_t n = recvmsg(fd, &msg, *flagsp);
    if (n < 0)
        return n;
    if (salenptr != nullptr)
        *salenptr = msg.msg_namelen;
    *flagsp = msg.msg_flags;  // MSG_TRUNC, MSG_CTRUNC, ...
    for (cmsghdr *c = CMSG_FIRSTHDR(&msg); pktp != nullptr && c != nullptr; c = CMSG_NXTHDR(&msg, c)) {
        if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_PKTINFO) {
            struct in_pktinfo info;
            memcpy(&info, CMSG_DATA(c), sizeof info);
            pktp->ipi_addr = info.ipi_addr;  // the datagram's destination address
            pktp->ipi_ifindex = info.ipi_ifindex;
        }
    }
    return n;
}

ssize_t Recvfrom_flags(int fd, void *ptr, size_t nbytes, int *flagsp, SA *sa, socklen_t *salenptr,
                       struct unp_in_pktinfo *pktp)
{
    ssize_t n = recvfrom_flags(fd, ptr, nbytes, flagsp, sa, salenptr, pktp);
    if (n < 0)
        err_sys("recvfrom_flags error");
    return n;
}

}  // extern "C"
