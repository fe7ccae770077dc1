// SPDX-License-Identifier: MIT
// udpft.hpp - the wire format of UDPFTServer and UDPFTClient (PROTOCOL.md):
// five kinds of datagram, every field fixed-width and big-endian, encoded
// and decoded here and nowhere else.
//
//   RRQ   get: type=1 | tid u32 | window u16 | block u16 | flags u8 | len u16 | path
//   WRQ   put: type=2 | tid u32 | window u16 | block u16 | flags u8 | len u16 | path
//   DATA       type=3 | tid u32 | seq u32 | flags u8 | len u16 | len bytes (0..block)
//   ACK        type=4 | tid u32 | seq u32 | sack u32  (every block <= seq arrived;
//                                                 bit i of sack: block seq+2+i too)
//   ERROR      type=5 | tid u32 | code u8 | len u16 | text
#ifndef UDPFT_HPP
#define UDPFT_HPP

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace udpft {

inline constexpr std::size_t kBlock = 1024;       // bytes per DATA block by default; a shorter one ends the file
inline constexpr std::size_t kMaxBlock = 32768;   // the largest block a request may ask for
inline constexpr std::uint16_t kMaxWindow = 256;  // blocks in flight, at most
inline constexpr std::size_t kMaxPath = 4095;     // longest path served, as ftserv02
inline constexpr std::size_t kMaxText = 512;      // longest ERROR text
inline constexpr std::size_t kMaxDatagram = 65507;
inline constexpr std::uint8_t kForce = 1;         // WRQ flags: replace an existing file
inline constexpr std::uint8_t kAgain = 1;         // DATA flags: a retransmitted copy

enum Type : std::uint8_t { kRrq = 1, kWrq = 2, kData = 3, kAck = 4, kError = 5 };

// ERROR codes: 1..6 mean what they mean for ftserv02 (filetransfer/ftproto.hpp).
enum Code : std::uint8_t {
    kNotFound = 1,
    kPermission = 2,
    kNotRegular = 3,
    kOutside = 4,
    kBadRequest = 5,
    kServerError = 6,
    kExists = 7,           // put without -f, and the name exists
    kUnknownTransfer = 8,  // DATA or ACK for a transfer the server does not know
    kTimedOut = 9,         // the server gave up waiting for this client
};

// One decoded datagram.  Views point into the buffer it was decoded from.
struct Packet {
    Type type{};
    std::uint32_t tid = 0;
    std::uint32_t seq = 0;        // DATA, ACK
    std::uint32_t sack = 0;       // ACK
    std::uint16_t window = 1;     // RRQ, WRQ
    std::uint16_t block = 0;      // RRQ, WRQ
    std::uint8_t flags = 0;       // RRQ, WRQ, DATA
    std::uint8_t code = 0;        // ERROR
    std::string_view body;        // RRQ/WRQ: the path; DATA: the bytes; ERROR: the text
};

// Why a datagram was refused by decode(), for the server's log.
struct Malformed {
    std::string reason;
};

// Decodes one datagram; nullopt (and the reason in *why) if it is not one
// of ours: too short, an unknown type, a length that disagrees with the
// datagram's size.  Checks only the format, not what the values mean.
std::optional<Packet> decode(std::span<const unsigned char> dgram, Malformed *why = nullptr);

std::string encode_request(Type type, std::uint32_t tid, std::uint16_t window, std::uint16_t block,
                           std::uint8_t flags, std::string_view path);
std::string encode_data(std::uint32_t tid, std::uint32_t seq, std::uint8_t flags, std::span<const unsigned char> bytes);
std::string encode_ack(std::uint32_t tid, std::uint32_t seq, std::uint32_t sack = 0);
std::string encode_error(std::uint32_t tid, Code code, std::string_view text);

// DATA header size: a block's datagram is kDataHeader + its length.
inline constexpr std::size_t kDataHeader = 12;
// Writes a DATA header for len bytes at p (the bytes follow it).
void put_data_header(unsigned char *p, std::uint32_t tid, std::uint32_t seq, std::uint8_t flags, std::uint16_t len);

}  // namespace udpft

#endif  // UDPFT_HPP
