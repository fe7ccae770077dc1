// SPDX-License-Identifier: MIT
// Timeouts (connect_timeo, connect_nonb, readable_timeo, writable_timeo),
// descriptor passing (write_fd/read_fd) and recvfrom_flags, on loopback
// and socketpairs, with their failure messages.
#include "lib_helpers.hpp"
#include "process.hpp"
#include "unp.h"
#include "unp.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <netinet/tcp.h>

#include <chrono>

using namespace socklab::test;
using ::testing::ExitedWithCode;

namespace {

using Clock = std::chrono::steady_clock;

std::string err(const char *call, int errnum)
{
    return std::string("^") + call + " error: " + strerror(errnum) + "\n$";
}

// A loopback port whose SYNs go unanswered, without root or a firewall: a
// listener with backlog 0 and one connection already waiting in its
// accept queue.  The queue is full, so Linux drops every further SYN, and
// a connect() there waits as for a host that went away.
struct Blackhole {
    unp::Fd listener{Socket(AF_INET, SOCK_STREAM, 0)};
    unp::Fd filler{Socket(AF_INET, SOCK_STREAM, 0)};
    sockaddr_in addr{};
    Blackhole()
    {
        addr = loopback(0);
        Bind(listener.get(), reinterpret_cast<SA *>(&addr), sizeof addr);
        socklen_t len = sizeof addr;
        Getsockname(listener.get(), reinterpret_cast<SA *>(&addr), &len);
        if (listen(listener.get(), 0) < 0)
            err_sys("listen error");
        Connect(filler.get(), reinterpret_cast<SA *>(&addr), sizeof addr);
        // For a listener, TCP_INFO's tcpi_unacked is its accept queue's length.
        EXPECT_TRUE(eventually([&] {
            tcp_info info{};
            socklen_t ilen = sizeof info;
            return getsockopt(listener.get(), IPPROTO_TCP, TCP_INFO, &info, &ilen) == 0 && info.tcpi_unacked >= 1;
        })) << "the filler never reached the accept queue";
    }
    const SA *sa() const { return reinterpret_cast<const SA *>(&addr); }
};

double seconds_since(Clock::time_point start)
{
    return std::chrono::duration<double>(Clock::now() - start).count();
}

}  // namespace

TEST(ConnectNonb, ConnectsAndIsBlockingAgain)
{
    unp::Fd listener = unp::listen_tcp("127.0.0.1", "0");
    sockaddr_in sa = loopback(unp::local_port(listener.get()));
    unp::Fd fd(Socket(AF_INET, SOCK_STREAM, 0));
    ASSERT_EQ(connect_nonb(fd.get(), reinterpret_cast<SA *>(&sa), sizeof sa, 5), 0) << strerror(errno);
    EXPECT_EQ(Fcntl(fd.get(), F_GETFL, 0) & O_NONBLOCK, 0) << "the caller's flags are back";
    EXPECT_EQ(unp::peer_address(fd.get()), "127.0.0.1:" + std::to_string(unp::local_port(listener.get())));
}

TEST(ConnectNonb, RefusedAtOnce)
{
    RefusingPort refusing;
    ASSERT_NE(refusing.port(), 0);
    sockaddr_in sa = loopback(refusing.port());
    unp::Fd fd(Socket(AF_INET, SOCK_STREAM, 0));
    auto start = Clock::now();
    EXPECT_EQ(connect_nonb(fd.get(), reinterpret_cast<SA *>(&sa), sizeof sa, 5), -1);
    EXPECT_EQ(errno, ECONNREFUSED) << strerror(errno);
    EXPECT_LT(seconds_since(start), 1.0);
}

TEST(ConnectNonb, BlackholedGivesUpAfterItsTimeout)
{
    Blackhole hole;
    unp::Fd fd(Socket(AF_INET, SOCK_STREAM, 0));
    auto start = Clock::now();
    EXPECT_EQ(connect_nonb(fd.get(), hole.sa(), sizeof hole.addr, 1), -1);
    EXPECT_EQ(errno, ETIMEDOUT) << strerror(errno);
    double took = seconds_since(start);
    EXPECT_GE(took, 0.95);
    EXPECT_LT(took, 3.0);
}

TEST(ConnectTimeoDeathTest, RefusedAndTimedOut)
{
    RefusingPort refusing;
    ASSERT_NE(refusing.port(), 0);
    EXPECT_EXIT(
        {
            sockaddr_in sa = loopback(refusing.port());
            Connect_timeo(Socket(AF_INET, SOCK_STREAM, 0), reinterpret_cast<SA *>(&sa), sizeof sa, 5);
        },
        ExitedWithCode(1), err("connect_timeo", ECONNREFUSED));
    EXPECT_EXIT(
        {
            Blackhole hole;
            Connect_timeo(Socket(AF_INET, SOCK_STREAM, 0), hole.sa(), sizeof hole.addr, 1);
        },
        ExitedWithCode(1), err("connect_timeo", ETIMEDOUT));
}

TEST(ConnectTimeo, ConnectsAndRestoresTheAlarmHandler)
{
    unp::Fd listener = unp::listen_tcp("127.0.0.1", "0");
    sockaddr_in sa = loopback(unp::local_port(listener.get()));
    unp::Fd fd(Socket(AF_INET, SOCK_STREAM, 0));
    Sigfunc *before = Signal(SIGALRM, SIG_IGN);
    Connect_timeo(fd.get(), reinterpret_cast<SA *>(&sa), sizeof sa, 5);
    EXPECT_EQ(Signal(SIGALRM, before), SIG_IGN) << "the caller's SIGALRM handler is back";
    EXPECT_EQ(alarm(0), 0u) << "no alarm left pending";
}

TEST(ReadableTimeo, TimesOutThenSeesData)
{
    int fds[2];
    Socketpair(AF_UNIX, SOCK_STREAM, 0, fds);
    unp::Fd a(fds[0]), b(fds[1]);
    auto start = Clock::now();
    EXPECT_EQ(Readable_timeo(a.get(), 1), 0);
    EXPECT_GE(seconds_since(start), 0.95);
    Writen(b.get(), "x", 1);
    EXPECT_EQ(Readable_timeo(a.get(), 5), 1);
    EXPECT_EQ(Writable_timeo(a.get(), 5), 1);
    int closed = Socket(AF_INET, SOCK_STREAM, 0);
    Close(closed);
    EXPECT_EXIT(Readable_timeo(closed, 1), ExitedWithCode(1), err("readable_timeo", EBADF));
    EXPECT_EXIT(Writable_timeo(-1, 1), ExitedWithCode(1), err("writable_timeo", EBADF));
}

TEST(DescriptorPassing, TheReceiverReadsTheFileItWasGiven)
{
    char name[] = "/tmp/slibXXXXXX";
    int file = Mkstemp(name);
    Unlink(name);  // only the descriptor leads to it now
    Writen(file, "passed along\n", 13);
    lseek(file, 0, SEEK_SET);
    int fds[2];
    Socketpair(AF_UNIX, SOCK_STREAM, 0, fds);
    pid_t pid = Fork();
    if (pid == 0) {  // the receiver: another process, so a new descriptor
        Close(fds[0]);
        char c, text[64];
        int recvfd = -1;
        if (Read_fd(fds[1], &c, 1, &recvfd) != 1 || recvfd < 0)
            _exit(2);
        ssize_t n = Read(recvfd, text, sizeof text);
        Writen(fds[1], text, static_cast<size_t>(n));
        _exit(0);
    }
    Close(fds[1]);
    EXPECT_EQ(Write_fd(fds[0], "", 1, file), 1);
    Close(file);  // the receiver's copy stays open
    char got[64] = {};
    EXPECT_EQ(Readn(fds[0], got, 13), 13);
    EXPECT_STREQ(got, "passed along\n");
    int status = 0;
    Waitpid(pid, &status, 0);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
    Close(fds[0]);
}

TEST(DescriptorPassing, DataWithoutADescriptorAndFailures)
{
    int fds[2];
    Socketpair(AF_UNIX, SOCK_STREAM, 0, fds);
    unp::Fd a(fds[0]), b(fds[1]);
    Writen(b.get(), "z", 1);
    char c;
    int recvfd = 123;
    EXPECT_EQ(Read_fd(a.get(), &c, 1, &recvfd), 1);
    EXPECT_EQ(recvfd, -1) << "no descriptor came";
    EXPECT_EXIT(Read_fd(-1, &c, 1, &recvfd), ExitedWithCode(1), err("read_fd", EBADF));
    EXPECT_EXIT(Write_fd(-1, "", 1, 0), ExitedWithCode(1), err("write_fd", EBADF));
}

TEST(RecvfromFlags, DestinationAddressInterfaceAndTruncation)
{
    unp::Fd rx(Socket(AF_INET, SOCK_DGRAM, 0)), tx(Socket(AF_INET, SOCK_DGRAM, 0));
    sockaddr_in to = loopback(0);
    Bind(rx.get(), reinterpret_cast<SA *>(&to), sizeof to);
    const int on = 1;  // as the book's programs do, before the datagrams arrive
    Setsockopt(rx.get(), IPPROTO_IP, IP_PKTINFO, &on, sizeof on);
    to = loopback(unp::local_port(rx.get()));
    Sendto(tx.get(), "datagram", 8, 0, reinterpret_cast<SA *>(&to), sizeof to);
    Sendto(tx.get(), "a longer datagram", 17, 0, reinterpret_cast<SA *>(&to), sizeof to);

    char buf[10];
    sockaddr_storage from{};
    socklen_t fromlen = sizeof from;
    unp_in_pktinfo pkt{};
    int flags = 0;
    ASSERT_EQ(Recvfrom_flags(rx.get(), buf, sizeof buf, &flags, reinterpret_cast<SA *>(&from), &fromlen, &pkt), 8);
    EXPECT_EQ(flags & MSG_TRUNC, 0);
    EXPECT_EQ(unp::to_string(reinterpret_cast<SA *>(&from), fromlen),
              "127.0.0.1:" + std::to_string(unp::local_port(tx.get())));
    char dst[INET_ADDRSTRLEN];
    EXPECT_STREQ(Inet_ntop(AF_INET, &pkt.ipi_addr, dst, sizeof dst), "127.0.0.1");
    EXPECT_EQ(pkt.ipi_ifindex, static_cast<int>(If_nametoindex("lo")));

    flags = 0;
    EXPECT_EQ(Recvfrom_flags(rx.get(), buf, sizeof buf, &flags, nullptr, nullptr, nullptr), 10);
    EXPECT_NE(flags & MSG_TRUNC, 0) << "17 bytes into 10: truncated";
    EXPECT_EXIT(Recvfrom_flags(-1, buf, sizeof buf, &flags, nullptr, nullptr, nullptr), ExitedWithCode(1),
                err("recvfrom_flags", EBADF));
}
