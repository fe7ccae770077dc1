// SPDX-License-Identifier: MIT
#include "inetd_support.hpp"

#include <gtest/gtest.h>

#include <pwd.h>

#include <fstream>

namespace socklab::test {

ScratchFile::ScratchFile(const std::string &name)
{
    const char *tmp = getenv("TMPDIR");
    std::string pattern = std::string(tmp && *tmp ? tmp : "/tmp") + "/socklab-inetd.XXXXXX";
    if (mkdtemp(pattern.data()) == nullptr) {
        ADD_FAILURE() << "mkdtemp: " << strerror(errno);
        return;
    }
    dir_ = pattern;
    chmod(dir_.c_str(), 0755);
    path_ = dir_ + "/" + name;
}

ScratchFile::~ScratchFile()
{
    if (!path_.empty())
        unlink(path_.c_str());
    if (!dir_.empty())
        rmdir(dir_.c_str());
}

void ScratchFile::write(const std::string &text) const
{
    std::ofstream out(path_, std::ios::trunc);
    out << text;
    if (!out)
        ADD_FAILURE() << "cannot write " << path_;
}

namespace {

Process launch(const ScratchFile &conf, const std::string &text, SyslogReceiver &log, std::vector<std::string> extra)
{
    conf.write(text);
    std::vector<std::string> args = {"-d", "-f", conf.path()};
    args.insert(args.end(), extra.begin(), extra.end());
    return Process::run("tinyinetd", args, {.env = {log.env()}, .cwd = ""});
}

}  // namespace

Tinyinetd::Tinyinetd(const std::string &conf_text, SyslogReceiver &log, std::vector<std::string> extra_args)
    : conf_("tinyinetd.conf"), proc_(launch(conf_, conf_text, log, std::move(extra_args)))
{
}

std::optional<std::pair<int, int>> parse_announcement(const std::string &text)
{
    static const std::regex form(R"(listening on \S+, port (\d+): line (\d+) )");
    std::smatch m;
    if (!std::regex_search(text, m, form))
        return std::nullopt;
    return std::make_pair(std::stoi(m[2]), std::stoi(m[1]));
}

std::map<int, int> Tinyinetd::wait_for_services(size_t count)
{
    std::map<int, int> ports;
    static const std::regex any(R"(listening on )");
    while (ports.size() < count) {
        auto line = proc_.wait_for_line(any);
        if (!line) {
            ADD_FAILURE() << ports.size() << " of " << count << " services listening; stdout:\n"
                          << proc_.stdout_seen() << "stderr:\n" << proc_.stderr_text();
            return {};
        }
        if (auto a = parse_announcement(*line))
            ports[a->first] = a->second;
    }
    return ports;
}

std::string me()
{
    struct passwd *pw = getpwuid(getuid());
    return pw ? pw->pw_name : "root";
}

std::string server(const std::string &name) { return program_path(name); }

std::optional<std::string> udp_exchange(int port, const std::string &payload, Millis timeout)
{
    unp::Fd fd(socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
    sockaddr_in sa{};
    sa.sin_family = AF_INET;
    sa.sin_port = htons(static_cast<uint16_t>(port));
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd.get(), reinterpret_cast<sockaddr *>(&sa), sizeof sa) < 0 ||
        send(fd.get(), payload.data(), payload.size(), 0) < 0)
        return std::nullopt;
    pollfd p{fd.get(), POLLIN, 0};
    if (poll(&p, 1, static_cast<int>(timeout.count())) != 1)
        return std::nullopt;
    char buf[65536];
    ssize_t n = recv(fd.get(), buf, sizeof buf, 0);
    if (n < 0)
        return std::nullopt;
    return std::string(buf, static_cast<size_t>(n));
}

int free_port(int type)
{
    unp::Fd fd(socket(AF_INET, type | SOCK_CLOEXEC, 0));
    sockaddr_in sa{};
    sa.sin_family = AF_INET;
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof sa;
    if (bind(fd.get(), reinterpret_cast<sockaddr *>(&sa), sizeof sa) < 0 ||
        getsockname(fd.get(), reinterpret_cast<sockaddr *>(&sa), &len) < 0)
        return 0;
    return ntohs(sa.sin_port);
}

}  // namespace socklab::test
