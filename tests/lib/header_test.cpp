// SPDX-License-Identifier: MIT
// unp.h's constants and its min/max beside the C++ standard library.
// "unp.h" comes first, as in a book program, and <algorithm> after it: a
// max macro would break std::max, std::numeric_limits<T>::max() and
// <algorithm> itself.
#include "unp.h"

#include <algorithm>
#include <limits>
#include <vector>

#include <gtest/gtest.h>

#include <sys/utsname.h>

TEST(Header, MinAndMaxLiveBesideAlgorithm)
{
    EXPECT_EQ(max(3, 7), 7);  // the book's calls, e.g. max(fileno(fp), sockfd) + 1
    EXPECT_EQ(min(3L, -7L), -7L);
    EXPECT_EQ(max(2u, 9u), 9u);
    EXPECT_EQ(max(sizeof(int), sizeof(char)), sizeof(int));
    EXPECT_EQ(std::max(3, 7), 7);
    EXPECT_EQ(std::numeric_limits<int>::max(), INT_MAX);
    std::vector<int> v{4, 1, 9};
    EXPECT_EQ(*std::max_element(v.begin(), v.end()), 9);
    {
        using namespace std;  // the non-template overloads win: no ambiguity
        EXPECT_EQ(max(1, 2), 2);
        EXPECT_EQ(min(1.5, 2.5), 1.5);
    }
    static_assert(max(1, 2) == 2, "usable in constant expressions, like the macro");
}

TEST(Header, BookConstants)
{
    EXPECT_STREQ(UNIXSTR_PATH, "/tmp/unix.str");
    EXPECT_STREQ(UNIXDG_PATH, "/tmp/unix.dg");
    EXPECT_EQ(FILE_MODE, 0644);
    EXPECT_EQ(DIR_MODE, 0755);
    EXPECT_EQ(OPEN_MAX, 1024);
    EXPECT_EQ(sizeof(struct unp_in_pktinfo), sizeof(in_addr) + sizeof(int));
}

TEST(Header, CpuVendorOsNamesThisMachine)
{
    // The book's intro/byteorder prints it: "x86_64-pc-linux-gnu: little-endian".
    utsname u{};
    ASSERT_EQ(uname(&u), 0);
    std::string host = CPU_VENDOR_OS;
    EXPECT_EQ(host.rfind(u.machine, 0), 0u) << host << " should start with " << u.machine;
    EXPECT_NE(host.find("-linux-"), std::string::npos) << host;
}
