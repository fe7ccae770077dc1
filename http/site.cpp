// SPDX-License-Identifier: MIT
#include "site.hpp"

#include <dirent.h>
#include <netinet/in.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <fstream>
#include <sstream>
#include <system_error>
#include <vector>

namespace http {
namespace {

// O_NONBLOCK: opening a FIFO would otherwise wait for a writer forever
// (and it is refused afterwards: only regular files are served).
constexpr int kOpenFlags = O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK;

std::string html_escape(std::string_view s)
{
    std::string out;
    for (char c : s) {
        switch (c) {
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '&': out += "&amp;"; break;
        case '"': out += "&quot;"; break;
        default: out += c;
        }
    }
    return out;
}

// "Tue, 01 Dec 2026 19:30:00 GMT" (the Date header, RFC 9110 5.6.7).
std::string http_date()
{
    char buf[64];
    time_t now = time(nullptr);
    struct tm tm {};
    gmtime_r(&now, &tm);
    strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S GMT", &tm);
    return buf;
}

// The status line and headers, into r.head.
void finish(Response &r, const char *type, bool persistent, std::string_view extra = "")
{
    std::string head = persistent ? "HTTP/1.1 " : "HTTP/1.0 ";
    head += std::to_string(r.status) + " " + reason_phrase(r.status) + "\r\n";  //@blank (l) the status line's code and reason, and its end
    head += "Date: " + http_date() + "\r\n";
    head += "Server: socklab\r\n";
    head += std::string("Content-Type: ") + type + "\r\n";
    head += "Content-Length: " + std::to_string(r.body_size()) + "\r\n";
    head += extra;
    head += r.keep_alive ? "Connection: keep-alive\r\n" : "Connection: close\r\n";
    head += "\r\n";                                 //@blank (m) the end of the head
    r.head = std::move(head);
}

// The path's components, "." and empty ones left out; 0 if fine, else the
// status that refuses it.
int split_path(std::string_view path, std::vector<std::string> &parts)
{
    while (!path.empty()) {
        std::size_t slash = path.find('/');
        std::string_view part = path.substr(0, slash);
        path = slash == std::string_view::npos ? std::string_view() : path.substr(slash + 1);
        if (part.empty() || part == ".")
            continue;
        if (part == "..")
            return 403;  // refused before anything is opened
        if (part.front() == '.')
            return 404;  // dotfiles are not served
        parts.emplace_back(part);
    }
    return 0;
}

}  // namespace

Site::Site(const std::string &dir, bool persistent) : dir_(dir), persistent_(persistent)
{
    root_.reset(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (!root_)
        unp::throw_errno("open");
    int fd = getenv("HTTPSERV_NO_OPENAT2") ? -1 : unp::openat2_beneath(root_.get(), ".", kOpenFlags);
    have_openat2_ = fd >= 0;
    if (fd >= 0)
        ::close(fd);

    std::ifstream in(dir + "/.redirects");
    for (std::string line; std::getline(in, line);) {
        std::istringstream words(line.substr(0, line.find('#')));
        std::string from, to;
        if (words >> from >> to)
            redirects_[from] = to;
    }
}

int Site::walk_beneath(const std::string &rel) const
{
    // One component at a time from the directory's descriptor, never
    // following a link: a symlink anywhere fails with ELOOP (last
    // component) or ENOTDIR (on the way), told apart with fstatat.
    unp::Fd cur(dup(root_.get()));
    std::string_view rest = rel;
    while (cur) {
        std::size_t slash = rest.find('/');
        std::string part(rest.substr(0, slash));
        bool last = slash == std::string_view::npos;
        int fd = ::openat(cur.get(), part.c_str(), last ? kOpenFlags | O_NOFOLLOW : O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (fd < 0 && errno == ENOTDIR) {
            struct stat st {};
            if (fstatat(cur.get(), part.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(st.st_mode))
                errno = ELOOP;
            else
                errno = ENOTDIR;
        }
        if (fd < 0 || last)
            return fd;
        cur.reset(fd);
        rest = rest.substr(slash + 1);
    }
    return -1;
}

int Site::open_beneath(const std::string &rel) const
{
    if (have_openat2_)
        return unp::openat2_beneath(root_.get(), rel.c_str(), kOpenFlags);
    return walk_beneath(rel);
}

Response Site::error(int status, std::string_view reason, bool keep) const
{
    Response r;
    r.status = status;
    r.keep_alive = keep;
    std::string title = std::to_string(status) + " " + reason_phrase(status);
    r.body = "<!DOCTYPE html>\n<html><head><title>" + title + "</title></head>\n<body><h1>" + title +
             "</h1>\n<p>" + html_escape(reason) + "</p></body></html>\n";
    finish(r, "text/html; charset=utf-8", persistent_, status == 405 ? "Allow: GET, HEAD\r\n" : "");
    return r;
}

Response Site::respond(const ParseResult &parsed) const
{
    const Request &req = parsed.req;
    bool keep = persistent_ && req.keep_alive && !parsed.close_after;
    Response r;
    if (parsed.status != 0) {
        r = error(parsed.status, parsed.reason, keep);
    } else if (auto it = redirects_.find(req.path); it != redirects_.end()) {
        r = redirect(it->second, keep);
    } else {
        r = serve_path(req, keep);
    }
    r.send_body = req.method != "HEAD";
    return r;
}

Response Site::redirect(const std::string &to, bool keep) const
{
    Response r;
    r.status = 301;
    r.keep_alive = keep;
    r.body = "<!DOCTYPE html>\n<html><body><p>Moved to <a href=\"" + html_escape(to) + "\">" + html_escape(to) +
             "</a>.</p></body></html>\n";
    finish(r, "text/html; charset=utf-8", persistent_, "Location: " + to + "\r\n");
    return r;
}

Response Site::serve_path(const Request &req, bool keep) const
{
    std::vector<std::string> parts;
    if (int refused = split_path(req.path, parts))
        return error(refused, refused == 403 ? "That path leads out of the served directory." : "Not found.", keep);
    std::string rel;
    for (const auto &p : parts)
        rel += (rel.empty() ? "" : "/") + p;
    unp::Fd fd(open_beneath(rel.empty() ? "." : rel));
    if (!fd) {
        if (errno == ENOENT || errno == ENOTDIR || errno == ENAMETOOLONG)
            return error(404, "Not found.", keep);          //@blank (n) no such file: the answer
        if (errno == EXDEV || errno == ELOOP)
            return error(403, "That path leads out of the served directory (or through a symbolic link).", keep);
        if (errno == EACCES || errno == EPERM || errno == ENXIO || errno == ENODEV)
            return error(403, "That file cannot be read.", keep);
        return error(500, std::string("open: ") + strerror(errno), keep);
    }
    struct stat st {};
    if (fstat(fd.get(), &st) < 0)
        return error(500, std::string("fstat: ") + strerror(errno), keep);
    if (S_ISDIR(st.st_mode))
        return serve_directory(req, std::move(fd), keep);
    if (!S_ISREG(st.st_mode))
        return error(403, "Only regular files are served.", keep);
    Response r;
    r.keep_alive = keep;
    r.file = std::move(fd);
    r.file_size = static_cast<std::uint64_t>(st.st_size);
    finish(r, mime_type(req.path), persistent_);
    return r;
}

Response Site::serve_directory(const Request &req, unp::Fd dirfd, bool keep) const
{
    Response r;
    r.keep_alive = keep;
    if (req.path.empty() || req.path.back() != '/') {
        // "/sub" names a directory: send the browser to "/sub/", so that
        // the relative links of its page resolve inside it.
        return redirect(percent_encode(req.path) + "/" + (req.query.empty() ? "" : "?" + req.query), keep);
    }
    int index = ::openat(dirfd.get(), "index.html", kOpenFlags | O_NOFOLLOW);
    struct stat st {};
    if (index >= 0 && fstat(index, &st) == 0 && S_ISREG(st.st_mode)) {
        r.file.reset(index);
        r.file_size = static_cast<std::uint64_t>(st.st_size);
        finish(r, "text/html; charset=utf-8", persistent_);
        return r;
    }
    if (index >= 0)
        ::close(index);

    // No index.html: a listing, names sorted, directories with a '/'.
    DIR *d = fdopendir(dirfd.release());
    if (d == nullptr)
        return error(500, std::string("fdopendir: ") + strerror(errno), keep);
    std::vector<std::string> names;
    while (struct dirent *e = readdir(d)) {
        if (e->d_name[0] == '.')
            continue;
        bool isdir = fstatat(::dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISDIR(st.st_mode);
        names.push_back(std::string(e->d_name) + (isdir ? "/" : ""));
    }
    closedir(d);
    std::sort(names.begin(), names.end());
    std::string title = "Index of " + html_escape(req.path);
    r.body = "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>" + title + "</title></head>\n<body><h1>" +
             title + "</h1>\n<ul>\n";
    if (req.path != "/")
        r.body += "<li><a href=\"../\">../</a></li>\n";
    for (const auto &n : names)
        r.body += "<li><a href=\"" + html_escape(percent_encode(n)) + "\">" + html_escape(n) + "</a></li>\n";
    r.body += "</ul></body></html>\n";
    finish(r, "text/html; charset=utf-8", persistent_);
    return r;
}

const char *mime_type(std::string_view name)
{
    static const std::pair<const char *, const char *> types[] = {
        {"html", "text/html; charset=utf-8"}, {"htm", "text/html; charset=utf-8"},
        {"css", "text/css; charset=utf-8"},   {"js", "text/javascript; charset=utf-8"},
        {"txt", "text/plain; charset=utf-8"}, {"png", "image/png"},
        {"jpg", "image/jpeg"},                {"jpeg", "image/jpeg"},
        {"gif", "image/gif"},                 {"svg", "image/svg+xml"},
        {"ico", "image/x-icon"},
    };
    std::size_t dot = name.rfind('.');
    std::size_t slash = name.rfind('/');
    if (dot == std::string_view::npos || (slash != std::string_view::npos && dot < slash))
        return "application/octet-stream";
    std::string ext(name.substr(dot + 1));
    for (char &c : ext)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    for (const auto &[e, type] : types)
        if (ext == e)
            return type;
    return "application/octet-stream";
}

std::string log_line(const sockaddr *peer, socklen_t len, std::string_view request_line, int status,
                     std::uint64_t bytes)
{
    char host[INET6_ADDRSTRLEN + 8] = "-";
    int port = 0;
    if (peer->sa_family == AF_INET && len >= sizeof(sockaddr_in)) {
        auto *sin = reinterpret_cast<const sockaddr_in *>(peer);
        inet_ntop(AF_INET, &sin->sin_addr, host, sizeof host);
        port = ntohs(sin->sin_port);
    } else if (peer->sa_family == AF_INET6 && len >= sizeof(sockaddr_in6)) {
        auto *sin6 = reinterpret_cast<const sockaddr_in6 *>(peer);
        inet_ntop(AF_INET6, &sin6->sin6_addr, host, sizeof host);
        port = ntohs(sin6->sin6_port);
    }
    char when[64];
    time_t now = time(nullptr);
    struct tm tm {};
    gmtime_r(&now, &tm);
    strftime(when, sizeof when, "[%d/%b/%Y:%H:%M:%S +0000]", &tm);

    // The request line as the client sent it, made printable and cut short.
    std::string req;
    for (std::size_t i = 0; i < request_line.size() && i < 200; i++) {
        unsigned char c = static_cast<unsigned char>(request_line[i]);
        if (std::isprint(c) && c != '"' && c != '\\') {
            req += static_cast<char>(c);
        } else {
            char esc[8];
            snprintf(esc, sizeof esc, "\\x%02x", c);
            req += esc;
        }
    }
    if (request_line.size() > 200)
        req += "...";
    std::string line = std::string(host) + " - - " + when + " \"" + (req.empty() ? "-" : req) + "\" " +
                       std::to_string(status) + " " + (bytes ? std::to_string(bytes) : "-") +
                       " port=" + std::to_string(port) + "\n";
    return line;
}

void write_log(const std::string &line)
{
    ssize_t ignored = write(STDOUT_FILENO, line.data(), line.size());
    (void)ignored;  // nowhere left to report a failing stdout
}

}  // namespace http
