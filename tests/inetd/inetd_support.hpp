// SPDX-License-Identifier: MIT
// What the inetd/ tests share: a scratch CONF file, tinyinetd started on
// it in the foreground (-d) with its log sent to a SyslogReceiver, the
// ports it printed per CONF line, and a UDP exchange with a deadline.
#ifndef SOCKLAB_INETD_SUPPORT_HPP
#define SOCKLAB_INETD_SUPPORT_HPP

#include "process.hpp"
#include "syslog_receiver.hpp"

#include <map>
#include <optional>
#include <string>

namespace socklab::test {

// RFC 867 as strftime("%a %b %e %H:%M:%S %Y") writes it, then "\r\n".
inline const char *const kDaytimeLine =
    "(Mon|Tue|Wed|Thu|Fri|Sat|Sun) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) "
    "[ 123][0-9] [0-2][0-9]:[0-5][0-9]:[0-6][0-9] [0-9]{4}\r\n";

// A file in a directory of its own, removed with it.
class ScratchFile {
public:
    explicit ScratchFile(const std::string &name);
    ~ScratchFile();
    ScratchFile(const ScratchFile &) = delete;
    ScratchFile &operator=(const ScratchFile &) = delete;
    const std::string &path() const { return path_; }
    void write(const std::string &text) const;  // replaces the contents

private:
    std::string dir_, path_;
};

// tinyinetd -d -f CONF, its log to `log`.
class Tinyinetd {
public:
    Tinyinetd(const std::string &conf_text, SyslogReceiver &log, std::vector<std::string> extra_args = {});
    // Reads "listening on ..., port N: line L (...)" lines until `count`
    // services are listening; the port of each, by CONF line.  Empty (and
    // a test failure) if they do not all come.
    std::map<int, int> wait_for_services(size_t count);
    Process &process() { return proc_; }
    ScratchFile &conf() { return conf_; }

private:
    ScratchFile conf_;
    Process proc_;
};

// Parses one tinyinetd announcement: (line, port), or nullopt.
std::optional<std::pair<int, int>> parse_announcement(const std::string &text);

// The name of the user running the test: the user field of CONF lines
// for external servers, which only root may run as someone else.
std::string me();

// The path of a built program, for a CONF line.
std::string server(const std::string &name);

// Sends payload to 127.0.0.1:port over UDP and returns the first answer,
// nullopt if none comes in time.
std::optional<std::string> udp_exchange(int port, const std::string &payload, Millis timeout = 2s);

// A port on 127.0.0.1 that was free a moment ago (for programs that cannot
// bind port 0 and say which they got: openbsd-inetd, systemd-socket-activate).
int free_port(int type = SOCK_STREAM);

}  // namespace socklab::test

#endif  // SOCKLAB_INETD_SUPPORT_HPP
