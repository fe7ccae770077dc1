// SPDX-License-Identifier: MIT
// sum09.h - the wire format shared by tcpcli09 and tcpserv09.
//
// A request is two signed 32-bit integers, a reply one signed 64-bit
// integer (so the sum of any two requests' values fits), each sent
// big-endian (network byte order), most significant byte first:
//
//   request:  a (4 bytes) | b (4 bytes)        reply:  a + b (8 bytes)
//
// The book's sum.h sends `struct args { long arg1, arg2; }` as it sits in
// memory; that breaks as soon as the two hosts differ in byte order or in
// the size of long (see README.md and the sumbytes program).  Here every
// byte is placed by hand, so the format is the same on every host.
#ifndef SUM09_H
#define SUM09_H

#include <array>
#include <cstddef>
#include <cstdint>

struct SumArgs {
    int32_t a;
    int32_t b;
};

using SumRequest = std::array<unsigned char, 8>;
using SumReply = std::array<unsigned char, 8>;

// Unsigned bytes in, unsigned bytes out; a signed value converts to and
// from its unsigned form modulo 2^n, which is exactly two's complement.
inline void put_be(unsigned char *p, uint64_t v, size_t nbytes)
{
    for (size_t i = 0; i < nbytes; i++)
        p[i] = static_cast<unsigned char>(v >> (8 * (nbytes - 1 - i)));
}

inline uint64_t get_be(const unsigned char *p, size_t nbytes)
{
    uint64_t v = 0;
    for (size_t i = 0; i < nbytes; i++)
        v = (v << 8) | p[i];
    return v;
}

inline SumRequest encode_args(SumArgs args)
{
    SumRequest req;
    put_be(&req[0], static_cast<uint32_t>(args.a), 4);
    put_be(&req[4], static_cast<uint32_t>(args.b), 4);
    return req;
}

inline SumArgs decode_args(const SumRequest &req)
{
    return {static_cast<int32_t>(static_cast<uint32_t>(get_be(&req[0], 4))),
            static_cast<int32_t>(static_cast<uint32_t>(get_be(&req[4], 4)))};
}

inline SumReply encode_sum(int64_t sum)
{
    SumReply reply;
    put_be(reply.data(), static_cast<uint64_t>(sum), 8);
    return reply;
}

inline int64_t decode_sum(const SumReply &reply)
{
    return static_cast<int64_t>(get_be(reply.data(), 8));
}

#endif  // SUM09_H
