// SPDX-License-Identifier: MIT
// The formats the kit's own tools read, one parser each, next to what
// produces them: print_listening's line (socklab.cpp), the kernel's
// /proc/PID/stat, and numeric socket addresses.  Tests, tcpview and the
// benches call these instead of each splitting the text its own way.
#include "unp.hpp"

#include <charconv>
#include <cstring>

namespace unp {

Address numeric_address(const std::string &host, const std::string &port)
{
    addrinfo hints{};
    hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV;  // an address, never a name to look up
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo *res = nullptr;
    int n = getaddrinfo(host.c_str(), port.c_str(), &hints, &res);
    if (n != 0)
        throw std::system_error(n, gai_category(), "not a numeric address and port: " + host + " " + port);
    Address a;
    std::memcpy(&a.ss, res->ai_addr, res->ai_addrlen);
    a.len = res->ai_addrlen;
    freeaddrinfo(res);
    return a;
}

std::optional<int> parse_listening(std::string_view line)
{
    const std::string_view head = "listening on ", tail = ", port ";
    if (!line.empty() && line.back() == '\n')
        line.remove_suffix(1);
    if (!line.starts_with(head))
        return std::nullopt;
    std::size_t at = line.rfind(tail);  // an IPv6 address has no ", port "
    if (at == std::string_view::npos || at < head.size())
        return std::nullopt;
    std::string_view digits = line.substr(at + tail.size());
    int port = -1;
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), port);
    // After the number: the end, or ": " and what the server adds about
    // the socket (tinyinetd names the line of its configuration).
    std::string_view after(end, static_cast<std::size_t>(digits.data() + digits.size() - end));
    if (ec != std::errc() || (!after.empty() && !after.starts_with(": ")) || port < 0 || port > 65535)
        return std::nullopt;
    return port;
}

std::optional<ProcStat> read_proc_stat(pid_t pid)
{
    return read_proc_stat("/proc/" + std::to_string(pid) + "/stat");
}

std::optional<ProcStat> read_proc_stat(const std::string &path)
{
    // One read(2): the kernel makes the whole record for it, so what comes
    // back is one consistent snapshot (or ESRCH once the process is gone).
    Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd)
        return std::nullopt;
    char text[1024];
    ssize_t n;
    while ((n = ::read(fd.get(), text, sizeof text - 1)) < 0 && errno == EINTR) {
    }
    if (n <= 0)
        return std::nullopt;
    text[n] = '\0';
    // "pid (comm) state ppid pgrp session tty_nr ...": comm may hold
    // spaces and parentheses, so it ends at the last ')'.
    const char *open = std::strchr(text, '(');
    const char *close = std::strrchr(text, ')');
    if (open == nullptr || close == nullptr || close < open)
        return std::nullopt;
    ProcStat s;
    s.comm.assign(open + 1, close);
    long pid = 0, ppid = 0, pgrp = 0, session = 0;
    int tty = 0;
    // Fields 8 to 13 (tpgid, flags, minflt, cminflt, majflt, cmajflt) are skipped.
    if (std::sscanf(text, "%ld", &pid) != 1 ||
        std::sscanf(close + 1, " %c %ld %ld %ld %d %*d %*u %*u %*u %*u %*u %llu %llu %lld %lld", &s.state,
                    &ppid, &pgrp, &session, &tty, &s.utime, &s.stime, &s.cutime, &s.cstime) != 9)
        return std::nullopt;
    s.pid = static_cast<pid_t>(pid);
    s.ppid = static_cast<pid_t>(ppid);
    s.pgrp = static_cast<pid_t>(pgrp);
    s.session = static_cast<pid_t>(session);
    s.tty_nr = tty;
    return s;
}

}  // namespace unp
