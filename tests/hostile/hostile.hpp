// SPDX-License-Identifier: MIT
// The hostile-input suite: every server of the kit (a row of servers.cpp)
// meets every attack (a row of attacks.cpp), one ctest test per pair.
// After each attack the harness checks what a user relies on: the server
// is still running, serves a correct client, holds as many descriptors as
// before, leaves no zombie, and (where its design promises it) logged a
// line.  README.md says how to add a server or an attack.
#ifndef SOCKLAB_HOSTILE_HPP
#define SOCKLAB_HOSTILE_HPP

#include "process.hpp"

#include <functional>
#include <string>
#include <vector>

namespace socklab::hostile {

using test::Client;
using test::Millis;
using namespace std::chrono_literals;

// How the server is reached: the attacks of each kind apply to it.
enum class Transport { tcp, udp };

// What a server's design promises while an attack holds connections open.
enum class Design {
    concurrent,   // serves a correct client during the attack
    iterative,    // one client at a time: serves again once the attack ends
    single_shot,  // serves one client and exits: it must end cleanly
};

struct Server;

// One attack.  It may leave connections open (returned): the harness
// checks a concurrent server while they are held, then closes them and
// checks every server again.  An attack may also check the answers it
// gets (a path attack: refused, never served) with gtest's EXPECT.
struct Attack {
    std::string name;
    std::function<std::vector<Client>(int port, const Server &s, const std::string &scratch)> run;
    int nofile = 0;  // nonzero: the server runs under this RLIMIT_NOFILE
    Transport transport = Transport::tcp;
    bool lines_only = false;  // only for servers that read lines (a 10 MiB line)
};

// One server, as the harness drives it.  `scratch` is a fresh directory
// for the server's files (and its working directory).
struct Server {
    std::string name;     // the test's name for it
    std::string program;  // a target of the build (program_path)
    Design design = Design::concurrent;
    bool sheds = false;   // turns clients away when out of descriptors, and logs it
    std::function<std::vector<std::string>(const std::string &scratch)> args;  // before the port
    // Bytes of the protocol: a correct request, one that asks for a large
    // reply, and one the protocol does not know (a command, a length).
    std::function<std::string(const std::string &scratch)> request, large, unknown;
    // One correct exchange on a new connection; false (and why) if it fails.
    std::function<bool(int port, const std::string &scratch, std::string &why)> good;
    Transport transport = Transport::tcp;
    bool reads_lines = false;  // its protocol is lines: the 10 MiB line applies
    bool port_arg = true;      // the port ("0") is its last argument (tinyinetd's is in its config)
    std::vector<std::string> env;  // "NAME=value" for its environment (a fallback forced)
    std::vector<Attack> own;   // attacks of its protocol alone (paths, HTTP headers)
    // What it promises to log, attack by attack: after the attack named
    // first, its stdout or stderr holds a line matching the second (ECMAScript).
    std::vector<std::pair<std::string, std::string>> logs;
};

// A server's row with the fields every row sets; the rest are its own.
Server row(const std::string &name, const std::string &program, Design design, bool sheds);

const std::vector<Server> &servers();
const std::vector<Attack> &attacks();

// Sends what the peer takes within `timeout`, never blocking longer (an
// attacker does not wait for a server that stopped reading).  Returns the
// bytes sent.
std::size_t send_for(Client &c, std::string_view bytes, Millis timeout = 1s);

// Sends bytes while reading (and dropping) what comes back, so a server
// that answers as it reads (echo) never stalls on us; stops at `timeout`
// or when the server closes.
void send_draining(Client &c, std::string_view bytes, Millis timeout);

// A connection that sends `bytes` once and closes (kept open if `keep`).
std::vector<Client> one(int port, std::string_view bytes, bool keep);

// Random bytes, the same for the same seed.
std::string garbage(std::size_t n, unsigned seed);

}  // namespace socklab::hostile

#endif  // SOCKLAB_HOSTILE_HPP
