// SPDX-License-Identifier: MIT
// The book's address helpers for any family: sock_set_*, sock_cmp_*,
// sock_bind_wild, sockfd_to_family and family_to_level, my_addrs and
// Gethostname, tv_sub and gf_time.
#include "unp.h"
#include "unp.hpp"

#include <gtest/gtest.h>

#include <regex>

#include <sys/utsname.h>

namespace {

// An address of `family` with host text and port, through getaddrinfo.
sockaddr_storage address(int family, const char *host, int port, socklen_t *len)
{
    sockaddr_storage ss{};
    ss.ss_family = static_cast<sa_family_t>(family);
    *len = family == AF_INET ? sizeof(sockaddr_in) : sizeof(sockaddr_in6);
    SA *sa = reinterpret_cast<SA *>(&ss);
    if (family == AF_INET)
        Inet_pton(AF_INET, host, &reinterpret_cast<sockaddr_in *>(sa)->sin_addr);
    else
        Inet_pton(AF_INET6, host, &reinterpret_cast<sockaddr_in6 *>(sa)->sin6_addr);
    sock_set_port(sa, *len, port);
    return ss;
}

}  // namespace

class SockAddr : public ::testing::TestWithParam<int> {};

TEST_P(SockAddr, SetAndCompareAddressAndPort)
{
    int family = GetParam();
    const char *loop = family == AF_INET ? "127.0.0.1" : "::1";
    const char *other = family == AF_INET ? "192.0.2.1" : "2001:db8::1";
    socklen_t len;
    sockaddr_storage a = address(family, loop, 9877, &len), b = address(family, other, 9877, &len);
    SA *sa = reinterpret_cast<SA *>(&a), *sb = reinterpret_cast<SA *>(&b);
    EXPECT_EQ(sock_get_port(sa, len), 9877) << "sock_set_port takes host byte order";
    EXPECT_EQ(sock_cmp_port(sa, sb, len), 0);
    EXPECT_NE(sock_cmp_addr(sa, sb, len), 0);
    EXPECT_STREQ(Sock_ntop(sa, len), family == AF_INET ? "127.0.0.1:9877" : "[::1]:9877");

    // Copy a's address into b: now the same, whatever the port.
    const void *addr = family == AF_INET ? static_cast<const void *>(&reinterpret_cast<sockaddr_in *>(sa)->sin_addr)
                                         : static_cast<const void *>(&reinterpret_cast<sockaddr_in6 *>(sa)->sin6_addr);
    sock_set_addr(sb, len, addr);
    sock_set_port(sb, len, 13);
    EXPECT_EQ(sock_cmp_addr(sa, sb, len), 0);
    EXPECT_NE(sock_cmp_port(sa, sb, len), 0);
    sock_set_wild(sb, len);
    EXPECT_STREQ(Sock_ntop(sb, len), family == AF_INET ? "0.0.0.0:13" : "[::]:13");

    socklen_t len4;
    sockaddr_storage v4 = address(AF_INET, "127.0.0.1", 9877, &len4);
    if (family == AF_INET6) {
        EXPECT_EQ(sock_cmp_addr(sa, reinterpret_cast<SA *>(&v4), len), -1) << "families differ";
    }
}

TEST_P(SockAddr, BindWildGivesTheKernelsPortAndFamily)
{
    int family = GetParam();
    unp::Fd fd(Socket(family, SOCK_DGRAM, 0));
    int port = Sock_bind_wild(fd.get(), family);
    EXPECT_GT(port, 0);
    EXPECT_EQ(port, unp::local_port(fd.get())) << "host byte order";
    EXPECT_EQ(unp::local_address(fd.get()), family == AF_INET ? "0.0.0.0:" + std::to_string(port)
                                                               : "[::]:" + std::to_string(port));
    EXPECT_EQ(Sockfd_to_family(fd.get()), family);
    EXPECT_EQ(Family_to_level(family), family == AF_INET ? IPPROTO_IP : IPPROTO_IPV6);
}

INSTANTIATE_TEST_SUITE_P(BothFamilies, SockAddr, ::testing::Values(AF_INET, AF_INET6),
                         [](const auto &info) { return info.param == AF_INET ? "IPv4" : "IPv6"; });

TEST(SockAddrUnix, ComparesPaths)
{
    sockaddr_un a{}, b{};
    a.sun_family = b.sun_family = AF_UNIX;
    strcpy(a.sun_path, UNIXSTR_PATH);
    strcpy(b.sun_path, UNIXSTR_PATH);
    EXPECT_EQ(sock_cmp_addr(reinterpret_cast<SA *>(&a), reinterpret_cast<SA *>(&b), sizeof a), 0);
    strcpy(b.sun_path, UNIXDG_PATH);
    EXPECT_NE(sock_cmp_addr(reinterpret_cast<SA *>(&a), reinterpret_cast<SA *>(&b), sizeof a), 0);
    EXPECT_EQ(sock_cmp_port(reinterpret_cast<SA *>(&a), reinterpret_cast<SA *>(&b), sizeof a), -1) << "no ports";
}

TEST(ThisHost, GethostnameAndMyAddrs)
{
    char name[256];
    Gethostname(name, sizeof name);
    utsname u{};
    ASSERT_EQ(uname(&u), 0);
    EXPECT_STREQ(name, u.nodename);

    // my_addrs finds what the resolver finds for that name, or nothing.
    addrinfo hints{}, *res = nullptr;
    hints.ai_family = AF_INET;
    int gai = getaddrinfo(name, nullptr, &hints, &res);
    int type = -1;
    char **addrs = my_addrs(&type);
    if (gai != 0) {
        EXPECT_EQ(addrs, nullptr) << name << " does not resolve, yet my_addrs found it";
        return;
    }
    ASSERT_NE(addrs, nullptr) << name << " resolves, yet my_addrs found nothing";
    ASSERT_EQ(type, AF_INET);
    ASSERT_NE(addrs[0], nullptr);
    EXPECT_EQ(memcmp(addrs[0], &reinterpret_cast<sockaddr_in *>(res->ai_addr)->sin_addr, sizeof(in_addr)), 0);
    freeaddrinfo(res);
}

TEST(Time, TvSubBorrowsAndGfTimeShowsMicroseconds)
{
    timeval out{5, 100}, in{2, 600};
    tv_sub(&out, &in);
    EXPECT_EQ(out.tv_sec, 2);
    EXPECT_EQ(out.tv_usec, 999500);
    EXPECT_TRUE(std::regex_match(gf_time(), std::regex("[0-2][0-9]:[0-5][0-9]:[0-6][0-9]\\.[0-9]{6}"))) << gf_time();
}
