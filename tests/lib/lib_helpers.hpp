// SPDX-License-Identifier: MIT
// Small helpers shared by the library's tests.
#ifndef SOCKLAB_TESTS_LIB_HELPERS_HPP
#define SOCKLAB_TESTS_LIB_HELPERS_HPP

#include "unp.h"

#include <cstdint>

// 127.0.0.1:port as a sockaddr_in (port 0: the kernel picks at bind).
inline sockaddr_in loopback(int port)
{
    sockaddr_in sa{};
    sa.sin_family = AF_INET;
    sa.sin_port = htons(static_cast<uint16_t>(port));
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return sa;
}

#endif  // SOCKLAB_TESTS_LIB_HELPERS_HPP
