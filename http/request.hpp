// SPDX-License-Identifier: MIT
// request.hpp - reading one HTTP/1.x request head out of the bytes a
// connection has received so far.  The one parser the three servers share
// (and tests/http/request_test.cpp checks on its own).
//
// A server appends what read() returns to a buffer and calls
// parse_request() on it.  Until the empty line that ends the head has
// arrived the answer is "incomplete" (read more); then it is a Request, or
// the status to answer with.  `consumed` says where the next request of a
// pipelining client begins.
//
// Limits (a client that exceeds one gets the status, then a close):
//   request line (method, target, version)  8 KiB  -> 414 URI Too Long
//   header lines after it, in all           8 KiB  -> 431 Request Header
//                                                      Fields Too Large
// What is accepted, and why:
//   - CRLF or a bare LF ends a line (RFC 9112 section 2.2 allows the LF);
//   - header names are case-insensitive: they are stored in lower case;
//   - a line starting with a blank continues the previous header
//     ("obsolete line folding"): joined with one space, as RFC 9112 5.2
//     lets a server do;
//   - only HTTP/1.0 and HTTP/1.1 (505 otherwise); HTTP/1.1 needs Host (400);
//   - GET and HEAD are served; any other well-formed method gets 405;
//   - a request with a body (Content-Length > 0 or Transfer-Encoding) is
//     answered and then the connection is closed, since these servers
//     never read bodies.
#ifndef HTTP_REQUEST_HPP
#define HTTP_REQUEST_HPP

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace http {

inline constexpr std::size_t kMaxRequestLine = 8192;
inline constexpr std::size_t kMaxHeaderBlock = 8192;

struct Request {
    std::string method;   // "GET"
    std::string target;   // as sent: "/img/a%20b.png?x=1"
    std::string version;  // "HTTP/1.1"
    std::string path;     // target's path, percent-decoded: "/img/a b.png"
    std::string query;    // after '?', as sent (not decoded)
    std::vector<std::pair<std::string, std::string>> headers;  // names in lower case
    bool keep_alive = false;  // the client allows another request on this connection

    // The value of a header (name in lower case), or nullopt.
    std::optional<std::string_view> header(std::string_view name) const;
    // "GET /img/a%20b.png HTTP/1.1", for the log.
    std::string request_line() const { return method + " " + target + " " + version; }
};

enum class Parse {
    incomplete,  // no end of head yet: read more
    done,        // a whole head: see status
};

struct ParseResult {
    Parse state = Parse::incomplete;
    int status = 0;            // 0: serve req; else answer this status (400, 405, 414, 431, 505)
    std::string reason;        // why, for the error page
    std::size_t consumed = 0;  // bytes of the buffer this head took (when done)
    std::string line;          // the request line as sent, once it has arrived (for the log)
    Request req;               // filled as far as it was parsed
    bool close_after = false;  // the connection cannot carry another request
};

// Parses the request head at the start of buf (see above).  Leading empty
// lines are skipped, as RFC 9112 2.2 asks.
ParseResult parse_request(std::string_view buf);

// "%41b%2Fc" -> "Ab/c".  False for a bad escape ("%4", "%zz") or a NUL
// byte (encoded or not): no file name contains one.
bool percent_decode(std::string_view in, std::string &out);

// The reverse, for links in a generated listing: everything but
// unreserved characters and '/' becomes %XX.
std::string percent_encode(std::string_view in);

// The standard reason phrase ("Not Found"), or "Unknown".
const char *reason_phrase(int status);

}  // namespace http

#endif  // HTTP_REQUEST_HPP
