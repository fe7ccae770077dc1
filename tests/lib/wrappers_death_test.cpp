// SPDX-License-Identifier: MIT
// Every wrapper's failure path: the message the book's programs print, and
// the exit status.  A wrapper that returned on failure would fail here too.
#include "lib_helpers.hpp"
#include "process.hpp"
#include "unp.h"
#include "unp.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sys/resource.h>

#if defined(__SANITIZE_ADDRESS__)
#define SOCKLAB_HAS_LSAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SOCKLAB_HAS_LSAN 1
#endif
#endif
#if SOCKLAB_HAS_LSAN
#include <sanitizer/lsan_interface.h>
#endif

#include <climits>
#include <cstdint>

using socklab::test::RefusingPort;
using ::testing::ExitedWithCode;
using ::testing::KilledBySignal;

namespace {

// The exact shape: the whole of stderr is "<message>\n".
std::string exactly(const std::string &message)
{
    std::string re = "^";
    for (char c : message) {
        if (strchr("\\^$.|?*+()[]{}", c))
            re += '\\';
        re += c;
    }
    return re + "\n$";
}

std::string err(const char *call, int errnum) { return exactly(std::string(call) + " error: " + strerror(errnum)); }

// A port some socket holds right now.
struct TakenPort {
    unp::Fd fd = unp::listen_tcp("127.0.0.1", "0");
    int port = unp::local_port(fd.get());
};

}  // namespace

TEST(WrapperDeathTest, Socket)
{
    EXPECT_EXIT(Socket(-1, SOCK_STREAM, 0), ExitedWithCode(1), err("socket", EAFNOSUPPORT));
}

TEST(WrapperDeathTest, BindToTakenPortSaysAddressInUse)
{
    TakenPort taken;
    EXPECT_EXIT(
        {
            int fd = Socket(AF_INET, SOCK_STREAM, 0);
            sockaddr_in sa = loopback(taken.port);
            Bind(fd, reinterpret_cast<SA *>(&sa), sizeof sa);
        },
        ExitedWithCode(1), "^bind error: Address already in use\nhint: another socket holds this port");
}

TEST(WrapperDeathTest, BindBadDescriptor)
{
    sockaddr_in sa = loopback(0);
    EXPECT_EXIT(Bind(-1, reinterpret_cast<SA *>(&sa), sizeof sa), ExitedWithCode(1), err("bind", EBADF));
}

TEST(WrapperDeathTest, ListenAcceptConnectShutdown)
{
    EXPECT_EXIT(Listen(-1, LISTENQ), ExitedWithCode(1), err("listen", EBADF));
    EXPECT_EXIT(Accept(-1, nullptr, nullptr), ExitedWithCode(1), err("accept", EBADF));
    RefusingPort refusing;  // nothing listens there
    ASSERT_NE(refusing.port(), 0);
    EXPECT_EXIT(
        {
            int fd = Socket(AF_INET, SOCK_STREAM, 0);
            sockaddr_in sa = loopback(refusing.port());
            Connect(fd, reinterpret_cast<SA *>(&sa), sizeof sa);
        },
        ExitedWithCode(1), err("connect", ECONNREFUSED));
    EXPECT_EXIT(
        {
            int fd = Socket(AF_INET, SOCK_STREAM, 0);
            Shutdown(fd, SHUT_WR);
        },
        ExitedWithCode(1), err("shutdown", ENOTCONN));
}

TEST(WrapperDeathTest, AcceptOnSocketNotListening)
{
    EXPECT_EXIT(Accept(Socket(AF_INET, SOCK_STREAM, 0), nullptr, nullptr), ExitedWithCode(1),
                err("accept", EINVAL));
}

TEST(WrapperDeathTest, SocketOptionsAndNames)
{
    sockaddr_storage ss{};
    socklen_t len = sizeof ss;
    EXPECT_EXIT(Getsockname(-1, reinterpret_cast<SA *>(&ss), &len), ExitedWithCode(1), err("getsockname", EBADF));
    EXPECT_EXIT(Getpeername(Socket(AF_INET, SOCK_STREAM, 0), reinterpret_cast<SA *>(&ss), &len),
                ExitedWithCode(1), err("getpeername", ENOTCONN));
    int on = 1;
    socklen_t onlen = sizeof on;
    EXPECT_EXIT(Getsockopt(-1, SOL_SOCKET, SO_REUSEADDR, &on, &onlen), ExitedWithCode(1), err("getsockopt", EBADF));
    EXPECT_EXIT(Setsockopt(Socket(AF_INET, SOCK_STREAM, 0), SOL_SOCKET, 12345, &on, sizeof on), ExitedWithCode(1),
                err("setsockopt", ENOPROTOOPT));
}

TEST(WrapperDeathTest, SelectAndPoll)
{
    EXPECT_EXIT(Select(-1, nullptr, nullptr, nullptr, nullptr), ExitedWithCode(1), err("select", EINVAL));
    EXPECT_EXIT(Poll(nullptr, ULONG_MAX, 0), ExitedWithCode(1), err("poll", EINVAL));
}

TEST(WrapperDeathTest, ReadWriteClose)
{
    char buf[8];
    EXPECT_EXIT(Read(-1, buf, sizeof buf), ExitedWithCode(1), err("read", EBADF));
    EXPECT_EXIT(Write(-1, buf, sizeof buf), ExitedWithCode(1), err("write", EBADF));
    EXPECT_EXIT(Close(-1), ExitedWithCode(1), err("close", EBADF));
    EXPECT_EXIT(Readn(-1, buf, sizeof buf), ExitedWithCode(1), err("readn", EBADF));
    EXPECT_EXIT(Writen(-1, buf, sizeof buf), ExitedWithCode(1), err("writen", EBADF));
    EXPECT_EXIT(Readline(-1, buf, sizeof buf), ExitedWithCode(1), err("readline", EBADF));
}

TEST(WrapperDeathTest, ProcessesAndDescriptors)
{
    int status;
    EXPECT_EXIT(Wait(&status), ExitedWithCode(1), err("wait", ECHILD));
    EXPECT_EXIT(Waitpid(-1, &status, 0), ExitedWithCode(1), err("waitpid", ECHILD));
    EXPECT_EXIT(Dup2(-1, 10), ExitedWithCode(1), err("dup2", EBADF));
    EXPECT_EXIT(Open("/nonexistent/socklab", O_RDONLY, 0), ExitedWithCode(1),
                exactly(std::string("open error for /nonexistent/socklab: ") + strerror(ENOENT)));
    EXPECT_EXIT(Fcntl(-1, F_GETFL, 0), ExitedWithCode(1), err("fcntl", EBADF));
}

TEST(WrapperDeathTest, ForkWhenTheProcessLimitIsReached)
{
    // RLIMIT_NPROC never binds root, so as root the dying child first
    // becomes "nobody" (65534): the limit then holds, and the test runs in
    // CI too.
    auto fork_with_no_processes_left = [] {
#if SOCKLAB_HAS_LSAN
        // LeakSanitizer's exit-time check needs a thread of its own, which
        // the limit forbids: check now, and it will not run again at exit.
        __lsan_do_leak_check();
#endif
        if (geteuid() == 0 && setuid(65534) != 0)
            err_sys("setuid");
        rlimit none{0, 0};
        setrlimit(RLIMIT_NPROC, &none);
        Fork();
    };
    EXPECT_EXIT(fork_with_no_processes_left(), ExitedWithCode(1), err("fork", EAGAIN));
}

TEST(WrapperDeathTest, MallocAndCalloc)
{
    // CI's sanitizer run sets ASAN_OPTIONS=allocator_may_return_null=1;
    // AddressSanitizer then warns on its own line first, so these patterns
    // anchor only the end.
    volatile size_t huge = SIZE_MAX / 2;
    EXPECT_EXIT(Malloc(huge), ExitedWithCode(1), std::string("malloc error: ") + strerror(ENOMEM) + "\n$");
    EXPECT_EXIT(Calloc(huge, 4), ExitedWithCode(1), std::string("calloc error: ") + strerror(ENOMEM) + "\n$");
}

TEST(WrapperDeathTest, Stdio)
{
    EXPECT_EXIT(Fopen("/nonexistent/socklab", "r"), ExitedWithCode(1),
                exactly(std::string("fopen error for /nonexistent/socklab: ") + strerror(ENOENT)));
    EXPECT_EXIT(
        {
            char buf[16];
            FILE *fp = Fopen("/dev/null", "w");
            Fgets(buf, sizeof buf, fp);  // reading a write-only stream
        },
        ExitedWithCode(1), err("fgets", EBADF));
    EXPECT_EXIT(
        {
            FILE *fp = Fopen("/dev/null", "r");
            setvbuf(fp, nullptr, _IONBF, 0);
            Fputs("x", fp);  // writing a read-only stream
        },
        ExitedWithCode(1), err("fputs", EBADF));
    EXPECT_EXIT(
        {
            FILE *fp = Fopen("/dev/null", "w");
            fputc('x', fp);
            close(fileno(fp));  // the flush inside fclose now fails
            Fclose(fp);
        },
        ExitedWithCode(1), err("fclose", EBADF));
    EXPECT_EXIT(Fdopen(-1, "r"), ExitedWithCode(1), err("fdopen", EBADF));
}

TEST(WrapperDeathTest, InetPtonAndNtop)
{
    in_addr a{};
    // Not an address: err_quit, so no errno text after the message.
    EXPECT_EXIT(Inet_pton(AF_INET, "1.2.3", &a), ExitedWithCode(1),
                exactly("inet_pton error for 1.2.3: not a numeric IPv4 address such as 127.0.0.1 "
                        "(for host names, use a client that calls getaddrinfo, e.g. "
                        "daytimetcpcli_names)"));
    EXPECT_EXIT(Inet_pton(12345, "1.2.3.4", &a), ExitedWithCode(1),
                exactly(std::string("inet_pton error for 1.2.3.4: ") + strerror(EAFNOSUPPORT)));
    char buf[4];  // too small for any IPv4 address
    EXPECT_EXIT(Inet_ntop(AF_INET, &a, buf, sizeof buf), ExitedWithCode(1), err("inet_ntop", ENOSPC));
}

TEST(WrapperDeathTest, SignalSets)
{
    // sigemptyset and sigfillset cannot fail given a valid pointer (glibc
    // declares it non-null), so their wrappers' error paths are not driven.
    sigset_t set;
    EXPECT_EXIT(Sigaddset(&set, 12345), ExitedWithCode(1), err("sigaddset", EINVAL));
    EXPECT_EXIT(Sigdelset(&set, 12345), ExitedWithCode(1), err("sigdelset", EINVAL));
    Sigemptyset(&set);
    EXPECT_EXIT(Sigprocmask(12345, &set, nullptr), ExitedWithCode(1), err("sigprocmask", EINVAL));
    EXPECT_EXIT(Signal(SIGKILL, SIG_IGN), ExitedWithCode(1), err("signal", EINVAL));
}

TEST(WrapperDeathTest, TcpConnectAndListen)
{
    // Death tests re-run this body in a fresh process, where the kernel
    // picks other ports: the patterns match any port number.
    RefusingPort refusing;
    ASSERT_NE(refusing.port(), 0);
    std::string serv = std::to_string(refusing.port());
    EXPECT_EXIT(Tcp_connect("127.0.0.1", serv.c_str()), ExitedWithCode(1),
                std::string("^tcp_connect error for 127\\.0\\.0\\.1, [0-9]+: ") + strerror(ECONNREFUSED) + "\n$");
    // A lookup failure reports getaddrinfo's own reason, not a stale errno.
    EXPECT_EXIT(Tcp_connect("127.0.0.1", "no-such-service"), ExitedWithCode(1),
                exactly(std::string("tcp_connect error for 127.0.0.1, no-such-service: ") + gai_strerror(EAI_SERVICE)));
    TakenPort taken;
    std::string taken_serv = std::to_string(taken.port);
    EXPECT_EXIT(Tcp_listen("127.0.0.1", taken_serv.c_str(), nullptr), ExitedWithCode(1),
                "^tcp_listen error for 127\\.0\\.0\\.1, [0-9]+: Address already in use\n"
                "hint: another socket holds this port.*\n$");
}

TEST(WrapperDeathTest, ParsePort)
{
    EXPECT_EXIT(Parse_port("http"), ExitedWithCode(1), "^bad port number: http ");
    EXPECT_EXIT(Parse_port("65536"), ExitedWithCode(1), "^bad port number: 65536 ");
    EXPECT_EXIT(Parse_port("-1"), ExitedWithCode(1), "^bad port number: -1 ");
    EXPECT_EQ(Parse_port("0"), 0);
    EXPECT_EQ(Parse_port("9877"), 9877);
}

TEST(ErrorFunctionsDeathTest, Semantics)
{
    errno = ENOENT;
    EXPECT_EXIT(err_sys("open %s", "x"), ExitedWithCode(1), exactly("open x: No such file or directory"));
    EXPECT_EXIT(err_quit("usage: prog <IPaddress>"), ExitedWithCode(1), exactly("usage: prog <IPaddress>"));
    errno = EPIPE;
    EXPECT_EXIT(err_dump("fatal"), KilledBySignal(SIGABRT), "^fatal: Broken pipe\n");
    // A '%' in the text itself is printed, never interpreted.
    EXPECT_EXIT(err_quit("%s", "100%s %n"), ExitedWithCode(1), exactly("100%s %n"));
}

TEST(ErrorFunctionsDeathTest, StdoutFlushedFirst)
{
    // Death-test stderr is captured; stdout is flushed before the message,
    // so a redirected "2>&1" shows them in order.
    EXPECT_EXIT(
        {
            dup2(STDERR_FILENO, STDOUT_FILENO);
            printf("before ");
            err_quit("after");
        },
        ExitedWithCode(1), "^before after\n$");
}

TEST(ErrorFunctions, ReturningVariantsKeepErrno)
{
    errno = EINTR;
    testing::internal::CaptureStderr();
    err_ret("read");
    EXPECT_EQ(errno, EINTR);
    err_msg("note %d", 42);
    EXPECT_EQ(errno, EINTR);
    EXPECT_EQ(testing::internal::GetCapturedStderr(),
              std::string("read: ") + strerror(EINTR) + "\nnote 42\n");
}

// ---- the Unix and library wrappers the later chapters use ----

TEST(WrapperDeathTest, IoctlMmapSysconf)
{
    int n = 0;
    EXPECT_EXIT(Ioctl(-1, FIONREAD, &n), ExitedWithCode(1), err("ioctl", EBADF));
    EXPECT_EXIT(Mmap(nullptr, 4096, PROT_READ, MAP_SHARED, -1, 0), ExitedWithCode(1), err("mmap", EBADF));
    EXPECT_EXIT(Sysconf(-1), ExitedWithCode(1), err("sysconf", EINVAL));
}

TEST(Wrappers, IoctlMmapSysconfSucceed)
{
    int fds[2];
    Socketpair(AF_UNIX, SOCK_STREAM, 0, fds);
    unp::Fd a(fds[0]), b(fds[1]);
    Writen(b.get(), "hello", 5);
    int n = 0;
    EXPECT_EQ(Ioctl(a.get(), FIONREAD, &n), 0);
    EXPECT_EQ(n, 5) << "FIONREAD: bytes waiting";
    auto *page = static_cast<char *>(Mmap(nullptr, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0));
    page[4095] = 'x';
    EXPECT_EQ(munmap(page, 4096), 0);
    EXPECT_GT(Sysconf(_SC_OPEN_MAX), 0);
    EXPECT_GE(OPEN_MAX, 256);
    char *copy = Strdup("text");  // strdup fails only without memory: its error path is not driven
    EXPECT_STREQ(copy, "text");
    free(copy);
}

TEST(WrapperDeathTest, MkstempAndUnlink)
{
    char bad[] = "/nonexistent/slibXXXXXX";
    EXPECT_EXIT(Mkstemp(bad), ExitedWithCode(1),
                std::string("^mkstemp error for /nonexistent/slib[A-Za-z0-9]{6}: ") + strerror(ENOENT) + "\n$");
    char name[] = "/tmp/slibXXXXXX";
    int fd = Mkstemp(name);
    EXPECT_GE(fd, 0);
    EXPECT_STRNE(name, "/tmp/slibXXXXXX") << "the template becomes the name made";
    struct stat st {};
    EXPECT_EQ(stat(name, &st), 0);
    Close(fd);
    Unlink(name);
    EXPECT_EQ(stat(name, &st), -1);
    EXPECT_EXIT(Unlink("/nonexistent/slib"), ExitedWithCode(1),
                exactly(std::string("unlink error for /nonexistent/slib: ") + strerror(ENOENT)));
}

TEST(WrapperDeathTest, MessagesAndOutOfBandMark)
{
    msghdr msg{};
    EXPECT_EXIT(Recvmsg(-1, &msg, 0), ExitedWithCode(1), err("recvmsg", EBADF));
    EXPECT_EXIT(Sendmsg(-1, &msg, 0), ExitedWithCode(1), err("sendmsg", EBADF));
    EXPECT_EXIT(Sockatmark(-1), ExitedWithCode(1), err("sockatmark", EBADF));
}

TEST(Wrappers, SendmsgAndRecvmsgCarryEveryIovec)
{
    int fds[2];
    Socketpair(AF_UNIX, SOCK_STREAM, 0, fds);
    unp::Fd a(fds[0]), b(fds[1]);
    char one[] = "two ", two[] = "iovecs";
    iovec out[2] = {{one, 4}, {two, 6}};
    msghdr msg{};
    msg.msg_iov = out;
    msg.msg_iovlen = 2;
    Sendmsg(b.get(), &msg, 0);
    char buf[32];
    iovec in = {buf, sizeof buf};
    msghdr got{};
    got.msg_iov = &in;
    got.msg_iovlen = 1;
    ASSERT_EQ(Recvmsg(a.get(), &got, 0), 10);
    EXPECT_EQ(std::string(buf, 10), "two iovecs");
    EXPECT_EQ(Sockatmark(a.get()), 0);
}

TEST(WrapperDeathTest, InterfaceNames)
{
    EXPECT_EXIT(If_nametoindex("slibnone0"), ExitedWithCode(1),
                exactly(std::string("if_nametoindex error for slibnone0: ") + strerror(ENODEV)));
    char name[IF_NAMESIZE];
    EXPECT_EXIT(If_indextoname(0x7fffffff, name), ExitedWithCode(1),
                exactly(std::string("if_indextoname error for 2147483647: ") + strerror(ENXIO)));
    unsigned lo = If_nametoindex("lo");
    EXPECT_GE(lo, 1u);
    EXPECT_STREQ(If_indextoname(lo, name), "lo");
    struct if_nameindex *all = If_nameindex();  // fails only without memory or sockets: not driven
    bool found = false;
    for (struct if_nameindex *p = all; p->if_index != 0; p++)
        found = found || p->if_index == lo;
    if_freenameindex(all);
    EXPECT_TRUE(found) << "lo in if_nameindex()";
}

TEST(WrapperDeathTest, SocketAddressesAndHostName)
{
    EXPECT_EXIT(Sock_bind_wild(-1, AF_INET), ExitedWithCode(1), err("sock_bind_wild", EBADF));
    EXPECT_EXIT(Sock_bind_wild(Socket(AF_INET, SOCK_STREAM, 0), AF_UNIX), ExitedWithCode(1),
                err("sock_bind_wild", EAFNOSUPPORT));
    EXPECT_EXIT(Sockfd_to_family(-1), ExitedWithCode(1), err("sockfd_to_family", EBADF));
    EXPECT_EXIT(Family_to_level(AF_UNIX), ExitedWithCode(1), err("family_to_level", EAFNOSUPPORT));
    char one[1];
    EXPECT_EXIT(Gethostname(one, sizeof one), ExitedWithCode(1), err("gethostname", ENAMETOOLONG));
}
