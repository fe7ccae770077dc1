// SPDX-License-Identifier: MIT
#include "inetd_conf.h"

#include "internal.h"

#include <pwd.h>

#include <fstream>
#include <sstream>

namespace {

bool all_digits(const std::string &s)
{
    return !s.empty() && s.find_first_not_of("0123456789") == std::string::npos;
}

// "wait", "nowait", "nowait.20": the mode and the optional rate.
bool parse_wait(const std::string &field, ServiceConf &c, std::string &why)
{
    size_t dot = field.find('.');
    std::string mode = field.substr(0, dot);
    if (mode != "wait" && mode != "nowait") {
        why = "\"" + field + "\": expected wait or nowait[.max]";
        return false;
    }
    c.wait = mode == "wait";
    if (dot != std::string::npos) {
        std::string max = field.substr(dot + 1);
        if (!all_digits(max) || max.size() > 6 || std::stoi(max) == 0) {
            why = "\"" + field + "\": max must be a number of connections per second, 1 or more";
            return false;
        }
        c.max_per_second = std::stoi(max);
    }
    return true;
}

// The service field into c.addr: [ADDR:]PORT-or-NAME, resolved for proto.
bool resolve_service(const std::string &field, ServiceConf &c, std::string &why)
{
    std::string host, port = field;
    if (size_t colon = field.rfind(':'); colon != std::string::npos) {
        host = field.substr(0, colon);
        port = field.substr(colon + 1);
        if (host.size() >= 2 && host.front() == '[' && host.back() == ']')
            host = host.substr(1, host.size() - 2);
        if (host == "*")
            host.clear();
    }
    const char *protoname = c.socktype == SOCK_STREAM ? "tcp" : "udp";
    if (!all_digits(port)) {
        struct servent *se = getservbyname(port.c_str(), protoname);
        if (se == nullptr) {
            why = "\"" + port + "\": no such service in /etc/services for " + protoname;
            return false;
        }
        port = std::to_string(ntohs(static_cast<uint16_t>(se->s_port)));
    } else if (port.size() > 5 || std::stoi(port) > 65535) {
        why = "\"" + port + "\": not a port number";
        return false;
    }
    struct addrinfo hints {}, *res = nullptr;
    hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
    hints.ai_family = c.proto.back() == '6' ? AF_INET6 : (host.empty() ? AF_INET : AF_UNSPEC);
    hints.ai_socktype = c.socktype;
    int err = getaddrinfo(host.empty() ? nullptr : host.c_str(), port.c_str(), &hints, &res);
    if (err != 0) {
        why = "\"" + field + "\": " + gai_strerror(err);
        return false;
    }
    memcpy(&c.addr, res->ai_addr, res->ai_addrlen);  // the first address only
    c.addrlen = res->ai_addrlen;
    freeaddrinfo(res);
    return true;
}

// The server fields: `internal [name]` or a path and its argv.
bool parse_server(const std::vector<std::string> &f, ServiceConf &c, std::string &why)
{
    c.server = f[5];
    c.argv.assign(f.begin() + 6, f.end());
    if (c.server == "internal") {
        std::string name = c.argv.empty() ? c.service.substr(c.service.rfind(':') + 1) : c.argv[0];
        c.internal = find_internal(name);
        if (c.internal == nullptr) {
            why = "\"" + name + "\": no such internal service (echo, discard, chargen, daytime, time)";
            return false;
        }
        return true;
    }
    if (c.server.empty() || c.server[0] != '/') {
        why = "\"" + c.server + "\": the server must be `internal` or an absolute path";
        return false;
    }
    if (c.argv.empty())
        c.argv.push_back(c.server.substr(c.server.rfind('/') + 1));
    if (c.socktype == SOCK_DGRAM && !c.wait) {
        why = "dgram services must be `wait`: one server per datagram would race for it";
        return false;
    }
    return true;
}

}  // namespace

std::string ServiceConf::label() const
{
    return "line " + std::to_string(lineno) + " (" + service + " " + (socktype == SOCK_STREAM ? "stream" : "dgram") +
           " " + proto + ")";
}

bool parse_conf_line(const std::string &line, int lineno, ServiceConf &c, std::string &why)
{
    std::istringstream in(line);
    std::vector<std::string> f;
    for (std::string word; in >> word;)
        f.push_back(word);
    c.lineno = lineno;
    if (f.size() < 6) {
        why = "expected at least 6 fields (service socket-type protocol wait/nowait user server), got " +
              std::to_string(f.size());
        return false;
    }
    for (const auto &w : f)
        c.text += (c.text.empty() ? "" : " ") + w;
    c.service = f[0];
    if (f[1] == "stream" && (f[2] == "tcp" || f[2] == "tcp6")) {
        c.socktype = SOCK_STREAM;
    } else if (f[1] == "dgram" && (f[2] == "udp" || f[2] == "udp6")) {
        c.socktype = SOCK_DGRAM;
    } else {
        why = "\"" + f[1] + " " + f[2] + "\": expected stream tcp or dgram udp";
        return false;
    }
    c.proto = f[2];
    c.user = f[4];
    if (getpwnam(c.user.c_str()) == nullptr) {
        why = "\"" + c.user + "\": no such user";
        return false;
    }
    return parse_wait(f[3], c, why) && parse_server(f, c, why) && resolve_service(f[0], c, why);
}

Conf read_conf(const std::string &path)
{
    Conf conf;
    std::ifstream in(path);
    if (!in) {
        conf.errors.push_back({0, "cannot open " + path + ": " + strerror(errno)});
        return conf;
    }
    std::string line;
    for (int lineno = 1; std::getline(in, line); lineno++) {
        size_t start = line.find_first_not_of(" \t\r");
        if (start == std::string::npos || line[start] == '#')
            continue;  // blank, or a comment
        ServiceConf c;
        std::string why;
        if (parse_conf_line(line, lineno, c, why))
            conf.services.push_back(std::move(c));
        else
            conf.errors.push_back({lineno, why});
    }
    return conf;
}
