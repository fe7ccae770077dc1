// SPDX-License-Identifier: MIT
// ftproto.hpp - the wire format of ftserv02 and ftcli02 (PROTOCOL.md).
//
//   request  (client -> server): u32 length, then the path (length bytes)
//   reply    (server -> client): u8 status, u64 size, then size bytes:
//            the file if status is OK, else the reason as text
//
// Integers are big-endian (network byte order), packed with no padding.
// Encoding goes through these helpers, never through a struct on the wire.
#ifndef FT_PROTO_HPP
#define FT_PROTO_HPP

#include <cstddef>
#include <cstdint>

namespace ft {

inline constexpr std::size_t kRequestHeader = 4;  // u32 path length
inline constexpr std::size_t kReplyHeader = 9;    // u8 status + u64 size
inline constexpr std::uint32_t kMaxPath = 4095;   // longest path served
// A longer request is read and dropped up to this length (included),
// refused, and the connection kept; beyond it the server refuses and
// closes the connection.
inline constexpr std::uint32_t kMaxDiscard = 65536;
inline constexpr std::uint64_t kMaxReason = 1024;  // longest reason text

enum Status : std::uint8_t {
    kOk = 0,
    kNotFound = 1,     // no such file
    kPermission = 2,   // permission denied
    kNotRegular = 3,   // not a regular file (a directory, a device, a FIFO)
    kOutside = 4,      // outside the served directory
    kBadRequest = 5,   // empty path, NUL byte, path too long
    kServerError = 6,  // anything else the server could not do
};

inline void put_u32(unsigned char *p, std::uint32_t v)
{
    for (int i = 3; i >= 0; i--, v >>= 8)
        p[i] = static_cast<unsigned char>(v & 0xff);
}

inline void put_u64(unsigned char *p, std::uint64_t v)
{
    for (int i = 7; i >= 0; i--, v >>= 8)
        p[i] = static_cast<unsigned char>(v & 0xff);
}

inline std::uint32_t get_u32(const unsigned char *p)
{
    std::uint32_t v = 0;
    for (int i = 0; i < 4; i++)
        v = (v << 8) | p[i];
    return v;
}

inline std::uint64_t get_u64(const unsigned char *p)
{
    std::uint64_t v = 0;
    for (int i = 0; i < 8; i++)
        v = (v << 8) | p[i];
    return v;
}

}  // namespace ft

#endif  // FT_PROTO_HPP
