// SPDX-License-Identifier: MIT
// The attacks of one protocol alone: paths a file server must refuse (each
// file server asked the same way, through its own `ask`), and HTTP's
// oversized headers.  Each becomes a row of that server's Server::own.
#ifndef SOCKLAB_HOSTILE_PROTOCOLS_HPP
#define SOCKLAB_HOSTILE_PROTOCOLS_HPP

#include "hostile.hpp"

#include <string>
#include <vector>

namespace socklab::hostile {

// The served tree, in scratch: f ("good"), big (8 MiB, sparse: more than
// socket buffers hold), and the traps: passwd_link -> /etc/passwd,
// zero -> /dev/zero, fifo (a FIFO no one writes), swap (a symlink the
// swap attack turns between f and /etc/passwd).
void make_tree(const std::string &scratch);

// Asks the server at port for path on a new connection: the file's bytes,
// or "refused: " and the reason it gave ("refused: HTTP/1.0 403 Forbidden").
using Ask = std::string (*)(int port, const std::string &path);

std::string ftserv02_ask(int port, const std::string &path);
std::string ftserver_ask(int port, const std::string &path);
std::string http_ask(int port, const std::string &path);

// One path attack: the path asked ("{dir}" stands for scratch), and the
// refusal expected (ECMAScript, searched in what `ask` returned).
struct PathCase {
    std::string name;
    std::string path;
    std::string refusal;
};

std::vector<PathCase> ftserv02_paths();
std::vector<PathCase> ftserver_paths();
std::vector<PathCase> http_paths();

// A row per case, plus (for servers that take more than one request) the
// symlink swap: `swap` turned between inside and outside while asked for,
// never once served from outside.
std::vector<Attack> path_attacks(const std::vector<PathCase> &cases, Ask ask, bool swap = true);

// HTTP's header block: 64 KiB and 10 MiB of one header line.
std::vector<Attack> http_attacks();

}  // namespace socklab::hostile

#endif  // SOCKLAB_HOSTILE_PROTOCOLS_HPP
