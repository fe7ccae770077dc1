// SPDX-License-Identifier: MIT
// libunp's UDP pieces (book chapters 8 and 11): udp_server, udp_client and
// udp_connect over IPv4 and IPv6 with kernel-chosen ports, their failure
// messages, print_listening on a UDP socket, dg_echo and dg_cli.
#include "udp_socket.hpp"
#include "unp.h"
#include "unp.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

using namespace socklab::test;
using ::testing::ExitedWithCode;
using ::testing::HasSubstr;

namespace {

bool ipv6_loopback_available()
{
    unp::Fd fd(socket(AF_INET6, SOCK_DGRAM, 0));
    sockaddr_in6 sa{};
    sa.sin6_family = AF_INET6;
    sa.sin6_addr = in6addr_loopback;
    return fd && bind(fd.get(), reinterpret_cast<sockaddr *>(&sa), sizeof sa) == 0;
}

// Runs body in a child whose stdout is a pipe; returns what it printed
// before it exited or was killed (after timeout).
std::string stdout_of_child(const std::function<void()> &body)
{
    int fds[2];
    if (pipe(fds) < 0)
        return "pipe failed";
    pid_t pid = fork();
    if (pid == 0) {
        dup2(fds[1], STDOUT_FILENO);
        close(fds[0]);
        body();
        fflush(stdout);
        _exit(0);
    }
    close(fds[1]);
    unp::Fd in(fds[0]);
    std::string out;
    char buf[4096];
    pollfd p{in.get(), POLLIN, 0};
    while (poll(&p, 1, 5000) == 1) {
        ssize_t n = read(in.get(), buf, sizeof buf);
        if (n <= 0)
            break;
        out.append(buf, static_cast<size_t>(n));
    }
    kill(pid, SIGKILL);
    waitpid(pid, nullptr, 0);
    return out;
}

}  // namespace

class UdpSetup : public ::testing::TestWithParam<const char *> {};

TEST_P(UdpSetup, ServerAndClientWithAKernelChosenPort)
{
    const std::string host = GetParam();
    if (host == "::1" && !ipv6_loopback_available())
        GTEST_SKIP() << "no IPv6 loopback here";
    socklen_t addrlen = 0;
    unp::Fd server(Udp_server(host.c_str(), "0", &addrlen));
    EXPECT_EQ(addrlen, host == "::1" ? sizeof(sockaddr_in6) : sizeof(sockaddr_in));
    std::string port = std::to_string(unp::local_port(server.get()));

    SA *servaddr = nullptr;
    socklen_t servlen = 0;
    unp::Fd client(Udp_client(host.c_str(), port.c_str(), &servaddr, &servlen));
    EXPECT_EQ(sock_get_port(servaddr, servlen), std::stoi(port));
    Sendto(client.get(), "ping", 4, 0, servaddr, servlen);
    free(servaddr);

    char buf[16];
    sockaddr_storage from{};
    socklen_t fromlen = sizeof from;
    EXPECT_EQ(Recvfrom(server.get(), buf, sizeof buf, 0, reinterpret_cast<SA *>(&from), &fromlen), 4);
    EXPECT_EQ(sock_get_port(reinterpret_cast<SA *>(&from), fromlen), unp::local_port(client.get()))
        << "the sender's port is the one the first sendto() gave the client";

    unp::Fd connected(Udp_connect(host.c_str(), port.c_str()));
    EXPECT_EQ(unp::peer_address(connected.get()), unp::local_address(server.get()));
    Write(connected.get(), "pong", 4);
    EXPECT_EQ(Recvfrom(server.get(), buf, sizeof buf, 0, nullptr, nullptr), 4);
}

INSTANTIATE_TEST_SUITE_P(Loopback, UdpSetup, ::testing::Values("127.0.0.1", "::1"));

TEST(UdpSetup, ConnectedSocketSeesConnectionRefused)
{
    RefusingUdpPort closed;
    ASSERT_NE(closed.port(), 0);
    unp::Fd fd(Udp_connect("127.0.0.1", std::to_string(closed.port()).c_str()));
    Write(fd.get(), "x", 1);
    char c;
    pollfd p{fd.get(), POLLIN, 0};
    ASSERT_EQ(poll(&p, 1, 5000), 1) << "the ICMP error makes the socket readable";
    EXPECT_EQ(recv(fd.get(), &c, 1, 0), -1);
    EXPECT_EQ(errno, ECONNREFUSED);
}

TEST(UdpSetup, LookupFailuresUseGetaddrinfosText)
{
    SA *sa = nullptr;
    socklen_t len = 0;
    std::string why = gai_strerror(EAI_SERVICE);
    EXPECT_EXIT(Udp_client("127.0.0.1", "no-such-service", &sa, &len), ExitedWithCode(1),
                "^udp_client error for 127\\.0\\.0\\.1, no-such-service: " + why + "\n$");
    EXPECT_EXIT(Udp_connect("127.0.0.1", "no-such-service"), ExitedWithCode(1),
                "^udp_connect error for 127\\.0\\.0\\.1, no-such-service: " + why + "\n$");
    EXPECT_EXIT(Udp_server(nullptr, "no-such-service", nullptr), ExitedWithCode(1),
                "^udp_server error for \\(any\\), no-such-service: " + why + "\n$");
}

TEST(UdpSetup, ServerOnABusyPortSaysSoWithTheHint)
{
    UdpSocket holder;
    std::string port = std::to_string(holder.port());
    // The death test's child runs the test again, with a holder (and a
    // port) of its own: the number differs, the shape does not.
    EXPECT_EXIT(Udp_server("127.0.0.1", port.c_str(), nullptr), ExitedWithCode(1),
                ::testing::ContainsRegex("^udp_server error for 127\\.0\\.0\\.1, [0-9]+: Address already in use\n"
                                         "hint: another socket holds this port.*\n$"));
}

TEST(UdpPrintListening, WorksOnABoundUdpSocket)
{
    unp::Fd fd(Udp_server("127.0.0.1", "0", nullptr));
    int port = unp::local_port(fd.get());
    EXPECT_EQ(stdout_of_child([&] { print_listening(fd.get()); }),
              "listening on 127.0.0.1, port " + std::to_string(port) + "\n");
}

TEST(DgEcho, EchoesEveryDatagramWholeToItsSender)
{
    unp::Fd server(Udp_server("127.0.0.1", "0", nullptr));
    int port = unp::local_port(server.get());
    pid_t pid = fork();
    if (pid == 0) {
        sockaddr_storage cli;
        dg_echo(server.get(), reinterpret_cast<SA *>(&cli), sizeof cli);
        _exit(2);
    }
    UdpSocket a, b;
    std::string largest(65507, 'z');
    for (const std::string &msg : {std::string(), std::string("abc"), largest}) {
        ASSERT_TRUE(a.send_to(msg, port));
        auto d = a.recv(5s);
        ASSERT_TRUE(d);
        EXPECT_TRUE(d->bytes == msg) << "sent " << msg.size() << " bytes, got " << d->bytes.size();
    }
    ASSERT_TRUE(b.send_to("to b", port));
    auto d = b.recv(5s);
    ASSERT_TRUE(d);
    EXPECT_EQ(d->bytes, "to b");
    kill(pid, SIGKILL);
    waitpid(pid, nullptr, 0);
}

TEST(DgCli, SendsEachLineAndPrintsTheReply)
{
    UdpSocket server;
    sockaddr_in sa{};
    sa.sin_family = AF_INET;
    sa.sin_port = htons(static_cast<uint16_t>(server.port()));
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    std::thread answer([&] {
        for (int i = 0; i < 2; i++)
            if (auto d = server.recv(5s))
                server.reply(*d, "[" + d->bytes + "]");
    });
    std::string out = stdout_of_child([&] {
        static char input[] = "one\ntwo\n";
        FILE *fp = fmemopen(input, sizeof input - 1, "r");
        int fd = Socket(AF_INET, SOCK_DGRAM, 0);
        dg_cli(fp, fd, reinterpret_cast<SA *>(&sa), sizeof sa);
    });
    answer.join();
    EXPECT_EQ(out, "[one\n][two\n]");
}
