// SPDX-License-Identifier: MIT
// The attacks of one protocol alone (protocols.hpp): the path attacks on
// the file servers, and HTTP's oversized headers.
#include "protocols.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <atomic>
#include <cstring>
#include <regex>
#include <thread>

namespace socklab::hostile {

void make_tree(const std::string &scratch)
{
    unp::Fd f(open((scratch + "/f").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644));
    unp::Fd big(open((scratch + "/big").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644));
    if (!f || !big || write(f.get(), "good", 4) != 4 || ftruncate(big.get(), 8 << 20) != 0 ||
        symlink("/etc/passwd", (scratch + "/passwd_link").c_str()) != 0 ||
        symlink("/dev/zero", (scratch + "/zero").c_str()) != 0 || mkfifo((scratch + "/fifo").c_str(), 0644) != 0 ||
        symlink("f", (scratch + "/swap").c_str()) != 0)
        ADD_FAILURE() << "cannot make the served files in " << scratch << ": " << strerror(errno);
}

namespace {

constexpr std::size_t kCap = 1 << 20;  // more than any answer here: /dev/zero must not fill memory

std::string u32(uint32_t v)
{
    v = htonl(v);
    return std::string(reinterpret_cast<const char *>(&v), 4);
}

// One ftserv02 reply: the file's bytes, or "refused: " and the reason.
std::string ftserv02_reply(Client &c)
{
    std::string hdr = c.recv_exact(9, 3s);
    if (hdr.size() != 9)
        return "no reply (" + std::to_string(hdr.size()) + " bytes)";
    std::uint64_t size = 0;
    for (int i = 1; i < 9; i++)
        size = size << 8 | static_cast<unsigned char>(hdr[static_cast<std::size_t>(i)]);
    std::string body = c.recv_exact(static_cast<std::size_t>(std::min<std::uint64_t>(size, kCap)), 3s);
    return hdr[0] == 0 ? body : "refused: " + body;
}

}  // namespace

// After the answer, "f" on the same connection: a refusal never ends the
// session (PROTOCOL.md).
std::string ftserv02_ask(int port, const std::string &path)
{
    Client c(port);
    send_for(c, u32(static_cast<uint32_t>(path.size())) + path + u32(1) + "f");
    std::string answer = ftserv02_reply(c);
    std::string next = ftserv02_reply(c);
    return next == "good" ? answer : answer + " (and then the session ended: " + next + ")";
}

// FTServer's segments: a length (negative: a refusal of that many bytes), the bytes; 0 ends the file.
std::string ftserver_ask(int port, const std::string &path)
{
    Client c(port);
    send_for(c, u32(static_cast<uint32_t>(path.size())) + path);
    std::string body;
    while (body.size() < kCap) {
        std::string len = c.recv_exact(4, 3s);
        if (len.size() != 4)
            return body + " (then no end-of-file segment)";
        int32_t n = static_cast<int32_t>(ntohl(*reinterpret_cast<const uint32_t *>(len.data())));
        if (n == 0)
            return body;
        if (n < 0)
            return "refused: " + c.recv_exact(static_cast<std::size_t>(-static_cast<int64_t>(n)), 3s);
        body += c.recv_exact(static_cast<std::size_t>(n), 3s);
    }
    return "streamed more than 1 MiB";
}

// GET path as HTTP/1.0, so the server closes after its answer.
std::string http_ask(int port, const std::string &path)
{
    Client c(port);
    send_for(c, "GET " + path + " HTTP/1.0\r\n\r\n");
    std::string all;
    while (all.size() < kCap) {
        std::string part = c.recv_exact(65536, 3s);
        if (part.empty())
            break;
        all += part;
    }
    std::string status = all.substr(0, all.find("\r\n"));
    std::size_t body = all.find("\r\n\r\n");
    if (status.find(" 200 ") == std::string::npos || body == std::string::npos)
        return "refused: " + (status.empty() ? "(no answer)" : status);
    return all.size() >= kCap ? "streamed more than 1 MiB" : all.substr(body + 4);
}

std::vector<PathCase> ftserv02_paths()
{
    return {
        {"PathDotDot", "../../etc/passwd", "outside the served directory"},
        {"PathAbsolute", "/etc/passwd", "outside the served directory"},
        {"PathSymlinkOut", "passwd_link", "outside the served directory"},
        {"PathFifo", "fifo", "not a regular file"},
        {"PathDevZeroLink", "zero", "outside the served directory|not a regular file"},
        {"Path64KiB", std::string(64 << 10, 'a'), "path too long"},
        {"PathNul", std::string("f\0x", 3), "NUL byte"},
    };
}

std::vector<PathCase> ftserver_paths()
{
    return {
        {"PathFifo", "{dir}/fifo", "not a regular file"},
        {"PathDevZeroLink", "{dir}/zero", "not a regular file"},
        {"Path64KiB", std::string(64 << 10, 'a'), "path length out of range"},
        {"PathNul", std::string("{dir}/f\0x", 9), "NUL byte"},
    };
}

std::vector<PathCase> http_paths()
{
    return {
        {"PathDotDot", "/../../etc/passwd", " 403 "},
        {"PathPercentDotDot", "/%2e%2e/%2e%2e/etc/passwd", " 403 "},
        {"PathSymlinkOut", "/passwd_link", " 403 "},
        {"PathFifo", "/fifo", " 403 "},
        {"PathDevZeroLink", "/zero", " 403 "},
        {"Path64KiB", std::string(64 << 10, 'a').replace(0, 1, "/"), " 414 "},
        {"PathNul", "/f%00x", " 400 "},
    };
}

namespace {

// The swap: for a second, `swap` turns between f and /etc/passwd (each
// time a new link renamed over it, as an attacker with write access to
// the directory would), while it is asked for again and again.
std::vector<Client> symlink_swap(int port, const std::string &dir, Ask ask, const std::string &path)
{
    std::atomic<bool> stop{false};
    std::thread swapper([&] {
        std::string tmp = dir + "/.swap.tmp", link = dir + "/swap";
        for (bool out = true; !stop; out = !out) {
            unlink(tmp.c_str());
            if (symlink(out ? "/etc/passwd" : "f", tmp.c_str()) != 0 || rename(tmp.c_str(), link.c_str()) != 0)
                ADD_FAILURE() << "the swap failed: " << strerror(errno);
        }
    });
    int asked = 0, escapes = 0;
    std::string example;
    // At most 200 requests: a server logging each on a pipe nobody reads
    // meanwhile must not fill it (64 KiB).
    for (auto end = std::chrono::steady_clock::now() + 1s; std::chrono::steady_clock::now() < end && asked < 200;
         asked++) {
        std::string got = ask(port, path);
        if (got != "good" && got.rfind("refused: ", 0) != 0 && escapes++ == 0)
            example = got.substr(0, 200);
    }
    stop = true;
    swapper.join();
    EXPECT_EQ(escapes, 0) << "of " << asked << " requests, " << escapes << " were served from outside, e.g.:\n"
                          << example;
    return {};
}

}  // namespace

std::vector<Attack> path_attacks(const std::vector<PathCase> &cases, Ask ask, bool swap)
{
    std::vector<Attack> rows;
    for (const PathCase &pc : cases)
        rows.push_back({pc.name, [pc, ask](int port, const Server &, const std::string &dir) {
                            std::string path = pc.path;
                            if (std::size_t at = path.find("{dir}"); at != std::string::npos)
                                path.replace(at, 5, dir);
                            std::string got = ask(port, path);
                            EXPECT_TRUE(std::regex_search(got, std::regex(pc.refusal)))
                                << "asked for \"" << path.substr(0, 100) << "\": " << got.substr(0, 300);
                            return std::vector<Client>{};
                        }});
    if (swap) {
        std::string path = ask == http_ask ? "/swap" : "swap";
        rows.push_back({"PathSymlinkSwap", [ask, path](int port, const Server &, const std::string &dir) {
                            return symlink_swap(port, dir, ask, path);
                        }});
    }
    return rows;
}

std::vector<Attack> http_attacks()
{
    auto header = [](std::size_t n) {
        return std::string("GET /f HTTP/1.0\r\nX-Big: ") + std::string(n, 'x') + "\r\n\r\n";
    };
    return {
        {"Header64KiB",
         [header](int port, const Server &, const std::string &) {
             Client c(port);
             send_for(c, header(64 << 10));
             auto status = c.recv_line(3s);
             EXPECT_TRUE(status && status->find(" 431 ") != std::string::npos) << status.value_or("(no answer)");
             return std::vector<Client>{};
         }},
        {"Header10MiB",
         [header](int port, const Server &, const std::string &) {
             Client c(port);
             send_draining(c, header(10 << 20), 5s);
             return std::vector<Client>{};
         }},
    };
}

}  // namespace socklab::hostile
