// SPDX-License-Identifier: MIT
// What the UDP file transfer tests share: a server on a scratch directory,
// a client run to its end, and the numbers its -v line reports.
#ifndef SOCKLAB_UDPFT_SUPPORT_HPP
#define SOCKLAB_UDPFT_SUPPORT_HPP

#include "../filetransfer/ft_support.hpp"
#include "udp_relay.hpp"

#include <gtest/gtest.h>

#include <regex>
#include <string>
#include <vector>

namespace socklab::test {

// UDPFTServer -d <srv> 0, with a client directory beside it.
struct UdpftServer {
    TempDir root;
    TempDir srv{root.path()}, cli{root.path()};  // served, and the client's working directory
    Process proc;
    int port = 0;

    explicit UdpftServer(std::vector<std::string> env = {})
        : proc(Process::run("UDPFTServer", {"-d", srv.path(), "0"}, {std::move(env), ""}))
    {
        port = proc.wait_for_port();
    }
};

// UDPFTClient args... run in dir, to its end.
struct ClientRun {
    ExitStatus status;
    std::string out, err;
};

inline ClientRun run_client(const std::string &cwd, std::vector<std::string> args, Millis timeout = 60s)
{
    Process c = Process::run("UDPFTClient", std::move(args), {{}, cwd});
    ClientRun r;
    r.status = c.wait(timeout);
    r.out = c.read_rest(1s);
    r.err = c.stderr_text();
    return r;
}

// The retransmission count of a -v line ("..., 12 retransmissions, ..."); -1 if none.
inline long retransmissions(const std::string &out)
{
    static const std::regex re(R"((\d+) retransmissions)");
    std::smatch m;
    return std::regex_search(out, m, re) ? std::stol(m[1]) : -1;
}

}  // namespace socklab::test

#endif  // SOCKLAB_UDPFT_SUPPORT_HPP
