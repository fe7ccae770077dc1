// SPDX-License-Identifier: MIT
#include "http_support.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>

namespace socklab::test {

std::string site_dir() { return SOCKLAB_HTTP_SITE; }

HttpServer::HttpServer(const std::string &name, const std::string &dir, std::vector<std::string> extra,
                       Process::Options options)
    : process([&] {
          std::vector<std::string> args = {"-d", dir, "-t", "2"};
          args.insert(args.end(), extra.begin(), extra.end());
          args.push_back("0");
          return Process::run(name, args, options);
      }())
{
    port = process.wait_for_port();
    EXPECT_GT(port, 0) << name << " did not say its port; stderr: " << process.stderr_text();
}

std::optional<std::string> HttpServer::log_for(const std::string &request, Millis timeout)
{
    std::string quoted = "\"" + request + "\"";
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
        auto left = std::chrono::duration_cast<Millis>(deadline - std::chrono::steady_clock::now());
        auto line = process.read_line(left);
        if (!line)
            return std::nullopt;
        if (line->find(quoted) != std::string::npos)
            return line;
    }
    return std::nullopt;
}

std::string Response::header(const std::string &name) const
{
    auto it = headers.find(name);
    return it == headers.end() ? "" : it->second;
}

std::optional<Response> read_response(Client &c, bool head_only, Millis timeout)
{
    Response r;
    auto line = c.recv_line(timeout);
    if (!line || line->empty() || line->back() != '\r')
        return std::nullopt;
    r.status_line = line->substr(0, line->size() - 1);
    if (r.status_line.size() < 12 || r.status_line.compare(0, 7, "HTTP/1.") != 0)
        return std::nullopt;
    r.status = std::stoi(r.status_line.substr(9, 3));
    for (;;) {
        line = c.recv_line(timeout);
        if (!line || line->empty() || line->back() != '\r')
            return std::nullopt;
        line->pop_back();
        if (line->empty())
            break;
        auto colon = line->find(": ");
        if (colon == std::string::npos)
            return std::nullopt;
        std::string name = line->substr(0, colon);
        std::transform(name.begin(), name.end(), name.begin(), [](unsigned char ch) { return std::tolower(ch); });
        r.headers[name] = line->substr(colon + 2);
    }
    if (!head_only && !r.header("content-length").empty()) {
        std::size_t n = std::stoul(r.header("content-length"));
        r.body = c.recv_exact(n, timeout);
        if (r.body.size() != n)
            return std::nullopt;
    }
    return r;
}

std::string request(const std::string &path, const std::string &method, const std::string &extra)
{
    return method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + extra + "\r\n";
}

std::optional<Response> fetch(int port, const std::string &raw, bool head_only)
{
    Client c(port);
    if (!c.connected() || !c.send(raw))
        return std::nullopt;
    return read_response(c, head_only);
}

std::string curl(const std::vector<std::string> &args)
{
    std::vector<std::string> argv = {"/usr/bin/curl", "-sS", "--max-time", "10"};
    argv.insert(argv.end(), args.begin(), args.end());
    Process p = Process::start(argv);
    std::string out = p.read_rest(Millis(15000));
    ExitStatus st = p.wait();
    if (!st.exited || st.code != 0) {
        ADD_FAILURE() << "curl failed (" << st.describe() << "): " << p.stderr_text();
        return "";
    }
    return out;
}

int log_port(const std::string &line)
{
    auto at = line.rfind(" port=");
    return at == std::string::npos ? -1 : std::stoi(line.substr(at + 6));
}

}  // namespace socklab::test
