// SPDX-License-Identifier: MIT
// site.hpp - what the three servers answer: the served directory, the file
// a request names (never anything outside the directory), its type, the
// response head, and the log line.  The servers differ only in how they
// read requests and write the answers (iterative, fork, event loop).
//
// Confinement, as ftserv02 does it: the kernel checks, not the text.
// openat2(2) with RESOLVE_BENEATH resolves the path one component at a
// time below the directory's descriptor and fails (EXDEV) where "..", an
// absolute symlink or a link leading out would leave it.  Kernels before
// 5.6 (or sandboxes that filter openat2) get the fallback: a walk from the
// directory's descriptor, one openat(O_NOFOLLOW) per component, so no
// symbolic link is ever followed, in or out (stricter than openat2, which
// follows links that stay inside).  HTTPSERV_NO_OPENAT2=1 forces the
// fallback (the tests run both).  Before either, the decoded path is
// refused if a component is ".." (403) or starts with '.' (404: dotfiles
// such as the .redirects table are never served).
//
// .redirects in the served directory, if present, is read at start: one
// "FROM TO" pair a line ('#' starts a comment); GET FROM answers
// 301 Moved Permanently with Location: TO.
#ifndef HTTP_SITE_HPP
#define HTTP_SITE_HPP

#include "request.hpp"
#include "unp.hpp"

#include <sys/socket.h>

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

namespace http {

struct Response {
    int status = 200;
    std::string head;  // status line and headers, through the empty line
    std::string body;  // a generated body (error page, listing), or...
    unp::Fd file;      // ...a regular file to send (sendfile)
    std::uint64_t file_size = 0;
    bool send_body = true;    // false for HEAD: the head says the length, no body follows
    bool keep_alive = false;  // another request may follow on this connection

    std::uint64_t body_size() const { return file ? file_size : body.size(); }
};

class Site {
public:
    // Opens dir and reads its .redirects; throws std::system_error.
    // persistent: this server keeps connections open (an HTTP/1.1 server);
    // false makes every answer HTTP/1.0 with Connection: close.
    Site(const std::string &dir, bool persistent);

    // The answer to a parsed head (parse_request's result, done).
    Response respond(const ParseResult &parsed) const;

    // An error page (400, 408, 414, ...); keep: the connection stays open.
    Response error(int status, std::string_view reason, bool keep) const;

    const std::string &path() const { return dir_; }
    bool kernel_checked() const { return have_openat2_; }
    std::size_t redirects() const { return redirects_.size(); }

private:
    Response serve_path(const Request &req, bool keep) const;
    Response serve_directory(const Request &req, unp::Fd dirfd, bool keep) const;
    Response redirect(const std::string &to, bool keep) const;
    int open_beneath(const std::string &rel) const;  // -1 and errno on failure
    int walk_beneath(const std::string &rel) const;  // the fallback

    unp::Fd root_;
    std::string dir_;
    bool persistent_;
    bool have_openat2_ = false;
    std::map<std::string, std::string, std::less<>> redirects_;
};

// Content-Type from the name's extension; application/octet-stream when
// unknown.
const char *mime_type(std::string_view name);

// One line of the Common Log Format, with the client's port appended:
//   127.0.0.1 - - [01/Dec/2026:19:30:00 +0000] "GET / HTTP/1.1" 200 512 port=44958
// request_line "" prints "-" (nothing usable arrived); bytes are the body
// bytes sent ("-" for none).  The line ends in '\n'.
std::string log_line(const sockaddr *peer, socklen_t len, std::string_view request_line, int status,
                     std::uint64_t bytes);

// Writes line with one write(2), so the lines of processes serving at the
// same time never mix.
void write_log(const std::string &line);

}  // namespace http

#endif  // HTTP_SITE_HPP
