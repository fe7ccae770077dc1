// SPDX-License-Identifier: MIT
// Tcp_listen/Tcp_connect over IPv4 and IPv6 with kernel-chosen ports,
// sock_ntop for every family, str_echo/str_cli, and the C++ layer.
#include "process.hpp"
#include "unp.h"
#include "unp.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sys/prctl.h>

#include <limits>
#include <thread>

using namespace socklab::test;
using ::testing::MatchesRegex;

namespace {

bool ipv6_loopback_available()
{
    unp::Fd fd(socket(AF_INET6, SOCK_STREAM, 0));
    sockaddr_in6 sa{};
    sa.sin6_family = AF_INET6;
    sa.sin6_addr = in6addr_loopback;
    return fd && bind(fd.get(), reinterpret_cast<sockaddr *>(&sa), sizeof sa) == 0;
}

std::string local_of(int fd)
{
    sockaddr_storage ss{};
    socklen_t len = sizeof ss;
    Getsockname(fd, reinterpret_cast<SA *>(&ss), &len);
    return Sock_ntop(reinterpret_cast<SA *>(&ss), len);
}

}  // namespace

class TcpListenConnect : public ::testing::TestWithParam<const char *> {};

TEST_P(TcpListenConnect, KernelChosenPortRoundTrip)
{
    const char *host = GetParam();
    if (std::string(host) == "::1" && !ipv6_loopback_available())
        GTEST_SKIP() << "no IPv6 loopback here";
    socklen_t addrlen = 0;
    int listenfd = Tcp_listen(host, "0", &addrlen);
    EXPECT_EQ(addrlen, std::string(host) == "::1" ? sizeof(sockaddr_in6) : sizeof(sockaddr_in));
    int on = 0;
    socklen_t onlen = sizeof on;
    Getsockopt(listenfd, SOL_SOCKET, SO_REUSEADDR, &on, &onlen);
    EXPECT_EQ(on, 1) << "Tcp_listen sets SO_REUSEADDR";

    int port = unp::local_port(listenfd);
    ASSERT_GT(port, 0);
    std::string serv = std::to_string(port);
    int connfd = Tcp_connect(host, serv.c_str());
    sockaddr_storage peer{};
    socklen_t peerlen = sizeof peer;
    int accepted = Accept(listenfd, reinterpret_cast<SA *>(&peer), &peerlen);
    // What the server sees as its peer is what the client sees as itself.
    EXPECT_EQ(Sock_ntop(reinterpret_cast<SA *>(&peer), peerlen), local_of(connfd));
    EXPECT_THAT(local_of(connfd), MatchesRegex(std::string(host) == "::1" ? R"(\[::1\]:[0-9]+)" : R"(127\.0\.0\.1:[0-9]+)"));
    Writen(connfd, "ping\n", 5);
    char buf[MAXLINE];
    EXPECT_EQ(Readline(accepted, buf, sizeof buf), 5);
    EXPECT_STREQ(buf, "ping\n");
    Close(accepted);
    Close(connfd);
    Close(listenfd);
}

INSTANTIATE_TEST_SUITE_P(Loopback, TcpListenConnect, ::testing::Values("127.0.0.1", "::1"),
                         [](const auto &info) { return std::string(info.param) == "::1" ? "IPv6" : "IPv4"; });

TEST(SockNtop, EveryFamily)
{
    sockaddr_in sin{};
    sin.sin_family = AF_INET;
    sin.sin_port = htons(80);
    Inet_pton(AF_INET, "1.2.3.4", &sin.sin_addr);
    EXPECT_STREQ(Sock_ntop(reinterpret_cast<SA *>(&sin), sizeof sin), "1.2.3.4:80");
    EXPECT_STREQ(Sock_ntop_host(reinterpret_cast<SA *>(&sin), sizeof sin), "1.2.3.4");
    EXPECT_EQ(sock_get_port(reinterpret_cast<SA *>(&sin), sizeof sin), 80);

    sockaddr_in6 sin6{};
    sin6.sin6_family = AF_INET6;
    sin6.sin6_port = htons(9877);
    sin6.sin6_addr = in6addr_loopback;
    EXPECT_STREQ(Sock_ntop(reinterpret_cast<SA *>(&sin6), sizeof sin6), "[::1]:9877");
    EXPECT_STREQ(Sock_ntop_host(reinterpret_cast<SA *>(&sin6), sizeof sin6), "::1");

    sockaddr_un sun{};
    sun.sun_family = AF_UNIX;
    strcpy(sun.sun_path, "/tmp/echo.sock");
    EXPECT_STREQ(Sock_ntop(reinterpret_cast<SA *>(&sun), sizeof sun), "/tmp/echo.sock");
    EXPECT_STREQ(Sock_ntop(reinterpret_cast<SA *>(&sun), sizeof(sa_family_t)), "(no pathname bound)");

    // Too short for its family: an error, not a read past the end.
    EXPECT_EQ(sock_ntop(reinterpret_cast<SA *>(&sin), 4), nullptr);
}

TEST(SockNtop, TwoResultsInOnePrintfStayApart)
{
    sockaddr_in a{}, b{};
    a.sin_family = b.sin_family = AF_INET;
    a.sin_port = htons(1);
    b.sin_port = htons(2);
    char line[128];
    snprintf(line, sizeof line, "%s -> %s", Sock_ntop(reinterpret_cast<SA *>(&a), sizeof a),
             Sock_ntop(reinterpret_cast<SA *>(&b), sizeof b));
    EXPECT_STREQ(line, "0.0.0.0:1 -> 0.0.0.0:2");
}

TEST(SockNtop, ThreadsHaveTheirOwnBuffers)
{
    std::atomic<int> mismatches{0};
    auto worker = [&](int port) {
        sockaddr_in sin{};
        sin.sin_family = AF_INET;
        sin.sin_port = htons(static_cast<uint16_t>(port));
        std::string expected = "0.0.0.0:" + std::to_string(port);
        for (int i = 0; i < 20000; i++)
            if (expected != sock_ntop(reinterpret_cast<SA *>(&sin), sizeof sin))
                mismatches++;
    };
    std::thread t1(worker, 1111), t2(worker, 2222);
    t1.join();
    t2.join();
    EXPECT_EQ(mismatches, 0);
}

TEST(StrEchoStrCli, EchoesEveryByteIncludingLongLines)
{
    int fds[2];
    Socketpair(AF_UNIX, SOCK_STREAM, 0, fds);
    std::thread server([&] {
        str_echo(fds[1]);
        close(fds[1]);
    });
    // Input: short lines, a line longer than MAXLINE, a NUL byte.
    std::string input = "hello\n" + std::string(MAXLINE * 2 + 17, 'L') + "\nnul\0byte\nlast";
    input[input.size() - 12] = '\0';
    FILE *in = fmemopen(input.data(), input.size(), "r");
    ASSERT_NE(in, nullptr);
    testing::internal::CaptureStdout();
    str_cli(in, fds[0]);
    std::string out = testing::internal::GetCapturedStdout();
    fclose(in);
    shutdown(fds[0], SHUT_WR);
    server.join();
    close(fds[0]);
    EXPECT_EQ(out.size(), input.size());
    EXPECT_TRUE(out == input);
}

TEST(StrCliDeathTest, ServerTerminatedPrematurely)
{
    EXPECT_EXIT(
        {
            int fds[2];
            Socketpair(AF_UNIX, SOCK_STREAM, 0, fds);
            close(fds[1]);  // the "server" is gone before it answers
            signal(SIGPIPE, SIG_IGN);
            char line[] = "hello\n";
            FILE *in = fmemopen(line, sizeof line - 1, "r");
            str_cli(in, fds[0]);
        },
        ::testing::ExitedWithCode(1), "str_cli: server terminated prematurely|writen error: Broken pipe");
}

TEST(CxxLayer, FdOwnsAndReleases)
{
    int fds[2];
    ASSERT_EQ(socketpair(AF_UNIX, SOCK_STREAM, 0, fds), 0);
    int raw = fds[0];
    {
        unp::Fd a(fds[0]);
        unp::Fd b(std::move(a));
        EXPECT_FALSE(a);
        EXPECT_EQ(b.get(), raw);
    }
    EXPECT_EQ(fcntl(raw, F_GETFD), -1) << "closed by the destructor";
    unp::Fd c(fds[1]);
    int released = c.release();
    EXPECT_FALSE(c);
    EXPECT_NE(fcntl(released, F_GETFD), -1) << "release() hands it over open";
    close(released);
}

TEST(CxxLayer, ErrorsGoToTheCaller)
{
    RefusingPort refusing;
    ASSERT_NE(refusing.port(), 0);
    int port = refusing.port();
    try {
        unp::connect_tcp("127.0.0.1", std::to_string(port));
        FAIL() << "connect to a closed port succeeded";
    } catch (const std::system_error &e) {
        EXPECT_EQ(e.code(), std::errc::connection_refused);
    }
    try {
        unp::connect_tcp("127.0.0.1", "no-such-service");
        FAIL() << "lookup of a bogus service succeeded";
    } catch (const std::system_error &e) {
        EXPECT_EQ(&e.code().category(), &unp::gai_category());
        EXPECT_EQ(e.code().value(), EAI_SERVICE);
    }
    unp::Fd l = unp::listen_tcp("127.0.0.1", "0");
    EXPECT_THROW(unp::listen_tcp("127.0.0.1", std::to_string(unp::local_port(l.get()))), std::system_error);
}

TEST(CxxLayer, LineReaderAndSpans)
{
    // listen_tcp throws rather than return an empty Fd: ask first.
    if (!ipv6_loopback_available())
        GTEST_SKIP() << "no IPv6 loopback here";
    unp::Fd l = unp::listen_tcp("::1", "0");
    unp::Fd c = unp::connect_tcp("::1", std::to_string(unp::local_port(l.get())));
    unp::Fd s(accept(l.get(), nullptr, nullptr));
    EXPECT_EQ(unp::peer_address(s.get()), unp::local_address(c.get()));
    unp::write_all(c.get(), "first\n" + std::string(20, 'x') + "\ntail");
    c.reset();
    unp::LineReader reader(s.get());
    EXPECT_EQ(reader.read_line(), "first\n");
    EXPECT_EQ(reader.read_line(8), "xxxxxxxx");
    EXPECT_EQ(reader.read_line(), std::string(12, 'x') + "\n");
    EXPECT_EQ(reader.read_line(), "tail");
    EXPECT_EQ(reader.read_line(), std::nullopt);
}

TEST(CxxLayer, LineReaderWaitsNoLongerThanItsDeadline)
{
    int fds[2];
    ASSERT_EQ(socketpair(AF_UNIX, SOCK_STREAM, 0, fds), 0);
    unp::Fd a(fds[0]), b(fds[1]);
    unp::LineReader reader(b.get());
    unp::write_all(a.get(), "Command: ");  // a prompt: no newline yet
    auto t0 = std::chrono::steady_clock::now();
    EXPECT_EQ(reader.read_line(t0 + 50ms), std::nullopt);
    EXPECT_GE(std::chrono::steady_clock::now() - t0, 50ms);
    EXPECT_FALSE(reader.at_eof());  // the deadline, not the end
    EXPECT_EQ(reader.buffered(), 9u);  // the prompt waits for the rest
    unp::write_all(a.get(), "0\nlast");
    EXPECT_EQ(reader.read_line(std::chrono::steady_clock::now() + 5s), "Command: 0\n");
    a.reset();
    EXPECT_EQ(reader.read_line(std::chrono::steady_clock::now() + 5s), "last");
    EXPECT_EQ(reader.read_line(std::chrono::steady_clock::now() + 5s), std::nullopt);
    EXPECT_TRUE(reader.at_eof());
}

// A protocol of lines and counted bytes (the test support's Client reads
// both through one reader): the bytes come from the same buffer, in order.
TEST(CxxLayer, LineReaderMixesLinesWithCountedBytes)
{
    int fds[2];
    ASSERT_EQ(socketpair(AF_UNIX, SOCK_STREAM, 0, fds), 0);
    unp::Fd a(fds[0]), b(fds[1]);
    unp::LineReader reader(b.get());
    auto soon = [] { return std::chrono::steady_clock::now() + 5s; };
    unp::write_all(a.get(), std::string("size 4\n\0\1\2\3size 0\n", 18));
    EXPECT_EQ(reader.read_line(soon()), "size 4\n");
    EXPECT_EQ(reader.read_bytes(4, soon()), std::string("\0\1\2\3", 4));
    EXPECT_EQ(reader.read_line(soon()), "size 0\n");
    unp::write_all(a.get(), "ab");
    EXPECT_EQ(reader.read_bytes(3, std::chrono::steady_clock::now() + 50ms), "ab") << "fewer at the deadline";
    EXPECT_FALSE(reader.at_eof());
    unp::write_all(a.get(), "kept");
    EXPECT_FALSE(reader.wait_eof(std::chrono::steady_clock::now() + 50ms)) << "still open";
    a.reset();
    EXPECT_TRUE(reader.wait_eof(soon()));
    EXPECT_EQ(reader.read_bytes(100, soon()), "kept") << "what came before the end is kept";
    EXPECT_TRUE(reader.at_eof());
}

// A line of 16 MiB read whole (no limit) is searched for its '\n' once,
// not again from its start after every read: a cost that grows with the
// square of the length (here 0.1 s instead of 0.6 s; 10 MiB lines are what
// the hostile suite sends).
TEST(CxxLayer, LineReaderReadsAVeryLongLineWhole)
{
    int fds[2];
    ASSERT_EQ(socketpair(AF_UNIX, SOCK_STREAM, 0, fds), 0);
    unp::Fd a(fds[0]), b(fds[1]);
    std::string line(16 << 20, 'x');
    line.back() = '\n';
    std::thread writer([&] { unp::write_all(a.get(), line + "next\n"); });
    unp::LineReader reader(b.get());
    auto got = reader.read_line(std::chrono::steady_clock::now() + 20s, std::numeric_limits<std::size_t>::max());
    writer.join();
    ASSERT_TRUE(got.has_value());
    EXPECT_EQ(got->size(), line.size());
    EXPECT_TRUE(*got == line);
    EXPECT_EQ(reader.read_line(std::chrono::steady_clock::now() + 5s), "next\n");
}

TEST(KitFormats, ParseListeningReadsPrintListeningsLineOnly)
{
    EXPECT_EQ(unp::parse_listening("listening on 0.0.0.0, port 9877"), 9877);
    EXPECT_EQ(unp::parse_listening("listening on ::, port 0\n"), 0);
    EXPECT_EQ(unp::parse_listening("listening on fe80::1%lo, port 65535"), 65535);
    EXPECT_EQ(unp::parse_listening("listening on 0.0.0.0, port 65536"), std::nullopt);
    EXPECT_EQ(unp::parse_listening("listening on 0.0.0.0, port 12x"), std::nullopt);
    // tinyinetd adds which line of its configuration the socket serves.
    EXPECT_EQ(unp::parse_listening("listening on 127.0.0.1, port 44485: line 1 (127.0.0.1:0 stream tcp)"),
              44485);
    EXPECT_EQ(unp::parse_listening("listening on 127.0.0.1, port 44485:"), std::nullopt);
    EXPECT_EQ(unp::parse_listening("listening on 0.0.0.0, port "), std::nullopt);
    EXPECT_EQ(unp::parse_listening("[server] listening on 0.0.0.0, port 1"), std::nullopt);
    EXPECT_EQ(unp::parse_listening("connection from 127.0.0.1, port 5"), std::nullopt);
}

TEST(KitFormats, ParseListeningReadsWhatPrintListeningPrints)
{
    unp::Fd l = unp::listen_tcp("127.0.0.1", "0");
    int fds[2];
    ASSERT_EQ(pipe(fds), 0);
    unp::Fd from(fds[0]), to(fds[1]);
    fflush(stdout);
    unp::Fd saved(dup(STDOUT_FILENO));
    dup2(to.get(), STDOUT_FILENO);
    print_listening(l.get());  // it flushes
    dup2(saved.get(), STDOUT_FILENO);
    to.reset();
    unp::LineReader reader(from.get());
    auto line = reader.read_line(std::chrono::steady_clock::now() + 5s);
    ASSERT_TRUE(line.has_value());
    EXPECT_EQ(unp::parse_listening(*line), unp::local_port(l.get())) << *line;
}

TEST(KitFormats, ReadProcStatOfThisProcessAndOfOneGone)
{
    char name[16] = {};
    ASSERT_EQ(prctl(PR_GET_NAME, name), 0);
    ASSERT_EQ(prctl(PR_SET_NAME, "a) b (c"), 0);  // a command name that fools sscanf
    auto me = unp::read_proc_stat(getpid());
    prctl(PR_SET_NAME, name);
    ASSERT_TRUE(me.has_value());
    EXPECT_EQ(me->comm, "a) b (c");
    EXPECT_EQ(me->pid, getpid());
    EXPECT_EQ(me->ppid, getppid());
    EXPECT_EQ(me->pgrp, getpgrp());
    EXPECT_EQ(me->session, getsid(0));
    EXPECT_EQ(me->state, 'R');  // reading its own stat: running
    Process p = Process::start({"/bin/sleep", "30"});
    ASSERT_TRUE(eventually([&] { return proc_state(p.pid()) == 'S'; }));
    pid_t gone = p.pid();
    p.stop();  // killed and reaped
    EXPECT_EQ(unp::read_proc_stat(gone), std::nullopt);  // no record, no exception
}

TEST(KitFormats, NumericAddressNeverLooksUpANames)
{
    EXPECT_EQ(unp::numeric_address("127.0.0.1", "9").family(), AF_INET);
    EXPECT_EQ(unp::numeric_address("::1", "9").family(), AF_INET6);
    EXPECT_EQ(sock_get_port(unp::numeric_address("::1", "9877").sa(), sizeof(sockaddr_in6)), 9877);
    EXPECT_THROW(unp::numeric_address("localhost", "9"), std::system_error);
    EXPECT_THROW(unp::numeric_address("127.0.0.1", "echo"), std::system_error);
}
