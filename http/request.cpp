// SPDX-License-Identifier: MIT
#include "request.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>

namespace http {
namespace {

// RFC 9110 5.6.2: the characters of a method or a header name.
bool is_token(std::string_view s)
{
    if (s.empty())
        return false;
    return std::all_of(s.begin(), s.end(), [](unsigned char c) {
        return std::isalnum(c) || std::string_view("!#$%&'*+-.^_`|~").find(static_cast<char>(c)) != std::string_view::npos;
    });
}

std::string lower(std::string_view s)
{
    std::string out(s);
    for (char &c : out)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

std::string_view trim(std::string_view s)
{
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
        s.remove_suffix(1);
    return s;
}

// Does a comma-separated header value hold this token (any case)?
bool has_token(std::string_view list, std::string_view token)
{
    while (!list.empty()) {
        std::size_t comma = list.find(',');
        if (lower(trim(list.substr(0, comma))) == token)
            return true;
        list = comma == std::string_view::npos ? std::string_view() : list.substr(comma + 1);
    }
    return false;
}

ParseResult fail(ParseResult r, int status, std::string reason)
{
    r.state = Parse::done;
    r.status = status;
    r.reason = std::move(reason);
    r.close_after = true;
    return r;
}

// One line starting at pos: its text without CR LF, and where the next one
// starts; nullopt if the '\n' has not arrived yet.
std::optional<std::pair<std::string_view, std::size_t>> next_line(std::string_view buf, std::size_t pos)
{
    std::size_t nl = buf.find('\n', pos);
    if (nl == std::string_view::npos)
        return std::nullopt;
    std::string_view line = buf.substr(pos, nl - pos);
    if (!line.empty() && line.back() == '\r')
        line.remove_suffix(1);
    return std::make_pair(line, nl + 1);
}

// "GET /path HTTP/1.1": fills method, target, version, path and query.
ParseResult parse_request_line(ParseResult r, std::string_view line)
{
    //@blank-begin (k) the request line's three words, split at its two spaces (400 if there are not three)
    std::size_t sp1 = line.find(' ');
    std::size_t sp2 = sp1 == std::string_view::npos ? sp1 : line.find(' ', sp1 + 1);
    if (sp2 == std::string_view::npos || line.find(' ', sp2 + 1) != std::string_view::npos)
        return fail(std::move(r), 400, "the request line is not METHOD TARGET VERSION");
    r.req.method = line.substr(0, sp1);
    r.req.target = line.substr(sp1 + 1, sp2 - sp1 - 1);
    r.req.version = line.substr(sp2 + 1);
    //@blank-end
    if (!is_token(r.req.method) || r.req.target.empty())
        return fail(std::move(r), 400, "the request line is not METHOD TARGET VERSION");
    for (unsigned char c : r.req.target)
        if (c <= ' ' || c == 0x7f)
            return fail(std::move(r), 400, "a control character in the target");
    const std::string &v = r.req.version;
    if (v.size() != 8 || v.compare(0, 5, "HTTP/") != 0 || !std::isdigit(static_cast<unsigned char>(v[5])) ||
        v[6] != '.' || !std::isdigit(static_cast<unsigned char>(v[7])))
        return fail(std::move(r), 400, "the version is not HTTP/x.y");
    if (v != "HTTP/1.0" && v != "HTTP/1.1")
        return fail(std::move(r), 505, "only HTTP/1.0 and HTTP/1.1 are spoken here");

    // origin-form "/a/b?q", or absolute-form "http://host/a/b?q" (RFC 9112 3.2).
    std::string_view t = r.req.target;
    if (t.compare(0, 7, "http://") == 0) {
        std::size_t slash = t.find('/', 7);
        t = slash == std::string_view::npos ? std::string_view("/") : t.substr(slash);
    }
    if (t.front() != '/')
        return fail(std::move(r), 400, "the target is not a path starting with /");
    t = t.substr(0, t.find('#'));
    std::size_t q = t.find('?');
    if (q != std::string_view::npos)
        r.req.query = t.substr(q + 1);
    if (!percent_decode(t.substr(0, q), r.req.path))
        return fail(std::move(r), 400, "a bad %-escape (or a NUL byte) in the path");
    return r;
}

// "Name: value" (or a folded continuation line) into req.headers.
bool add_header(Request &req, std::string_view line)
{
    if (line.front() == ' ' || line.front() == '\t') {  // obs-fold
        if (req.headers.empty())
            return false;
        std::string &value = req.headers.back().second;
        std::string_view more = trim(line);
        if (!more.empty())
            value += (value.empty() ? "" : " ") + std::string(more);
        return true;
    }
    std::size_t colon = line.find(':');
    if (colon == std::string_view::npos || !is_token(line.substr(0, colon)))
        return false;  // also "Name : value", which RFC 9112 5.1 says to refuse
    std::string_view value = trim(line.substr(colon + 1));
    for (unsigned char c : value)
        if ((c < ' ' && c != '\t') || c == 0x7f)
            return false;
    req.headers.emplace_back(lower(line.substr(0, colon)), value);
    return true;
}

// Once the head is complete: Host, Connection, a body, the method.
ParseResult check_head(ParseResult r)
{
    Request &req = r.req;
    bool http11 = req.version == "HTTP/1.1";
    auto hosts = std::count_if(req.headers.begin(), req.headers.end(), [](const auto &h) { return h.first == "host"; });
    if ((http11 && hosts == 0) || hosts > 1)
        return fail(std::move(r), 400, http11 && hosts == 0 ? "HTTP/1.1 needs a Host header" : "more than one Host header");
    auto connection = req.header("connection");
    req.keep_alive = http11 ? !(connection && has_token(*connection, "close"))
                            : connection && has_token(*connection, "keep-alive");
    if (auto length = req.header("content-length")) {
        unsigned long long n = 0;
        auto [end, ec] = std::from_chars(length->data(), length->data() + length->size(), n);
        if (ec != std::errc() || end != length->data() + length->size() || length->empty())
            return fail(std::move(r), 400, "Content-Length is not a number");
        if (n > 0)
            r.close_after = true;  // a body we will not read: no next request can be found after it
    }
    if (req.header("transfer-encoding"))
        r.close_after = true;
    if (req.method != "GET" && req.method != "HEAD") {
        r.status = 405;
        r.reason = "only GET and HEAD are served here";
    }
    if (r.close_after)
        req.keep_alive = false;
    return r;
}

}  // namespace

std::optional<std::string_view> Request::header(std::string_view name) const
{
    for (const auto &[n, v] : headers)
        if (n == name)
            return v;
    return std::nullopt;
}

ParseResult parse_request(std::string_view buf)
{
    ParseResult r;
    std::size_t pos = 0;
    while (pos < buf.size() && (buf[pos] == '\r' || buf[pos] == '\n'))
        pos++;  // empty lines before a request are ignored
    auto line = next_line(buf, pos);
    if (!line)
        return buf.size() - pos > kMaxRequestLine ? fail(std::move(r), 414, "the request line is over 8 KiB") : r;
    if (line->first.size() > kMaxRequestLine)
        return fail(std::move(r), 414, "the request line is over 8 KiB");
    r.line = line->first;
    r = parse_request_line(std::move(r), line->first);
    if (r.state == Parse::done)
        return r;  // a bad request line is answered at once, without waiting for headers

    std::size_t head_start = line->second;
    for (pos = head_start;;) {
        line = next_line(buf, pos);
        std::size_t used = (line ? line->second : buf.size()) - head_start;
        if (used > kMaxHeaderBlock)
            return fail(std::move(r), 431, "the header lines are over 8 KiB");
        if (!line)
            return r;  // incomplete (req partly filled)
        pos = line->second;
        if (line->first.empty())
            break;
        if (!add_header(r.req, line->first))
            return fail(std::move(r), 400, "a malformed header line");
    }
    r.state = Parse::done;
    r.consumed = pos;
    return check_head(std::move(r));
}

bool percent_decode(std::string_view in, std::string &out)
{
    out.clear();
    for (std::size_t i = 0; i < in.size(); i++) {
        char c = in[i];
        if (c == '%') {
            unsigned value = 0;
            if (i + 2 >= in.size())
                return false;
            auto [end, ec] = std::from_chars(in.data() + i + 1, in.data() + i + 3, value, 16);
            if (ec != std::errc() || end != in.data() + i + 3)
                return false;
            c = static_cast<char>(value);
            i += 2;
        }
        if (c == '\0')
            return false;
        out += c;
    }
    return true;
}

std::string percent_encode(std::string_view in)
{
    static const char hex[] = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : in) {
        if (std::isalnum(c) || std::string_view("-._~/").find(static_cast<char>(c)) != std::string_view::npos) {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 15];
        }
    }
    return out;
}

const char *reason_phrase(int status)
{
    switch (status) {
    case 200: return "OK";
    case 301: return "Moved Permanently";
    case 302: return "Found";
    case 400: return "Bad Request";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 408: return "Request Timeout";
    case 414: return "URI Too Long";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 505: return "HTTP Version Not Supported";
    default: return "Unknown";
    }
}

}  // namespace http
