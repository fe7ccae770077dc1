// SPDX-License-Identifier: MIT
// Reading an inetd.conf file, the format every inetd shares: one service
// per line, fields separated by blanks, '#' starts a comment line:
//
//   service  socket-type  protocol  wait/nowait[.max]  user  server-path  [args...]
//   echo     stream       tcp       nowait             nobody internal
//   127.0.0.1:7777 stream tcp nowait nobody internal echo
//   127.0.0.1:0 stream tcp nowait.20 nobody /usr/local/bin/daytimeinetd daytimeinetd
//
// service: a name from /etc/services (echo: port 7), a port number, or
// ADDR:PORT ([::1]:PORT for IPv6) to bind one address (default: any).
// socket-type/protocol: stream tcp, or dgram udp (tcp6/udp6: IPv6 any).
// wait: the socket itself is lent to one server until it exits (UDP);
// nowait: accept, and one server per connection; .max: at most max
// connections per second (default -R), or the service stops for a while.
// server-path `internal`: a built-in service, named by the service field,
// or, where that is a number or ADDR:PORT, by the word after `internal`.
#ifndef TINYINETD_CONF_H
#define TINYINETD_CONF_H

#include "unp.h"

#include <string>
#include <vector>

struct Internal;

struct ServiceConf {
    int lineno = 0;
    std::string text;       // the fields, single-spaced: equal text on SIGHUP = unchanged service
    std::string service;    // the first field, as written
    std::string proto;      // "tcp", "udp", "tcp6", "udp6"
    int socktype = 0;       // SOCK_STREAM or SOCK_DGRAM
    bool wait = false;
    int max_per_second = 0; // 0: the command line's default
    std::string user;
    std::string server;     // a path, or "internal"
    std::vector<std::string> argv;  // for exec (argv[0] first)
    const Internal *internal = nullptr;  // the built-in, for `internal`
    sockaddr_storage addr{};  // where to bind
    socklen_t addrlen = 0;

    std::string label() const;  // "line 3 (echo stream tcp)", for messages
};

struct ConfError {
    int lineno;  // 0: the file itself
    std::string message;
};

struct Conf {
    std::vector<ServiceConf> services;
    std::vector<ConfError> errors;  // one per bad line; those lines are skipped
};

// Reads and parses the file at path.  Never exits: errors are returned.
Conf read_conf(const std::string &path);

// One line; false with *why set if it is not a valid service line.
bool parse_conf_line(const std::string &line, int lineno, ServiceConf &out, std::string &why);

#endif  // TINYINETD_CONF_H
