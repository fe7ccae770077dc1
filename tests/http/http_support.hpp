// SPDX-License-Identifier: MIT
// What the HTTP tests share: a server of the lab started on the sample
// site (or another directory), a response read off a raw socket, and curl.
#ifndef SOCKLAB_HTTP_SUPPORT_HPP
#define SOCKLAB_HTTP_SUPPORT_HPP

#include "process.hpp"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace socklab::test {

// The sample site in the source tree (http/site).
std::string site_dir();

// One of httpserv01/02/03 serving dir, port 0, with a short timeout.
struct HttpServer {
    HttpServer(const std::string &name, const std::string &dir, std::vector<std::string> extra = {},
               Process::Options options = {});
    Process process;
    int port = 0;
    // The next log line on stdout mentioning `request` (a request line),
    // e.g. "GET / HTTP/1.1"; nullopt if none comes in time.
    std::optional<std::string> log_for(const std::string &request, Millis timeout = kDefaultTimeout);
};

struct Response {
    std::string status_line;                    // "HTTP/1.1 200 OK"
    int status = 0;
    std::map<std::string, std::string> headers;  // names in lower case
    std::string body;
    std::string header(const std::string &name) const;
};

// Reads one response (head, then Content-Length bytes unless `head_only`,
// as for HEAD); nullopt if the head does not come or is malformed.
std::optional<Response> read_response(Client &c, bool head_only = false, Millis timeout = kDefaultTimeout);

// "GET path HTTP/1.1\r\nHost: 127.0.0.1\r\n" + extra + "\r\n"
std::string request(const std::string &path, const std::string &method = "GET", const std::string &extra = "");

// Sends `raw` on a new connection and reads one response.
std::optional<Response> fetch(int port, const std::string &raw, bool head_only = false);

// curl's output (stdout) for args, with a 10 s limit; "" if it fails.
std::string curl(const std::vector<std::string> &args);

// The client port a log line names (its "port=N" field), or -1.
int log_port(const std::string &line);

}  // namespace socklab::test

#endif  // SOCKLAB_HTTP_SUPPORT_HPP
