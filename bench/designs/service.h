// SPDX-License-Identifier: MIT
// service.h - the one request/response service every design serves.
//
// A request is a 16-byte header, four unsigned 32-bit integers in network
// byte order, followed by padding up to the request's length:
//
//   request length   bytes the client sends, header included (>= 16)
//   reply length     bytes the server sends back
//   work             microseconds the server waits before it answers: a
//                    stand-in for a disk read or a database query
//   tag              any number; byte i of the reply is (tag + i) mod 256,
//                    so a reply sent to the wrong client is caught
//
// The server answers reply-length bytes and waits for the next request on
// the same connection, until the client closes.  The padding's bytes follow
// the same pattern (the server ignores them), which makes the request of the
// echo service look alike: in echo mode the reply is the request.
//
// This is the book's chapter 30 service ("send me N bytes") with a knob for
// the request size and one for the server's service time.
#ifndef BENCH_DESIGNS_SERVICE_H
#define BENCH_DESIGNS_SERVICE_H

#include <cstddef>
#include <cstdint>

inline constexpr std::size_t kHeaderSize = 16;
// Limits a server enforces, so a garbled header cannot ask for 4 GiB or an
// hour of waiting: the connection is closed instead.
inline constexpr std::uint32_t kMaxLength = 64u << 20;   // 64 MiB
inline constexpr std::uint32_t kMaxWorkUsec = 10'000'000; // 10 s
// Replies (and requests) go out in pieces of at most this many bytes.
inline constexpr std::size_t kChunk = 64 * 1024;

struct Request {
    std::uint32_t length = kHeaderSize;  // of the whole request
    std::uint32_t reply = 0;
    std::uint32_t work_usec = 0;
    std::uint32_t tag = 0;
};

void encode_header(const Request &req, unsigned char out[kHeaderSize]);
// False if a field is out of bounds (the caller closes the connection).
bool decode_header(const unsigned char in[kHeaderSize], Request &req);

// The bytes of a reply (or request) from `offset` on: at least kChunk of
// them, from a shared read-only table, so nothing is filled per request.
const unsigned char *pattern_at(std::uint32_t tag, std::uint64_t offset);

// Blocking servers: read one request from connfd, wait its work time,
// write its reply.  False at EOF, on an error (reset, bad header): the
// caller closes connfd.  Never exits the process: one bad client must not
// end the server.
bool serve_request(int connfd);

// The book's web_child(): serve requests on connfd until the client closes.
// Returns the number of requests served; the caller closes connfd.
long serve_client(int connfd);

// Sleep for the request's work time (restarting after a signal).
void simulate_work(std::uint32_t usec);

#endif  // BENCH_DESIGNS_SERVICE_H
