// SPDX-License-Identifier: MIT
// Helpers shared by the Lottery tests: speak the wire format, parse the
// answers, and stand in for a server to see exactly what a client sends.
#ifndef LOTTERY_TESTING_HPP
#define LOTTERY_TESTING_HPP

#include "process.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <regex>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace lottery_testing {

using namespace socklab::test;

inline const std::string kPrompt = "Command (0:GEN 1:LIST 2:END): ";
inline constexpr int32_t kGen = 0, kList = 1, kEnd = 2;

// The 4 bytes of a command on the wire: network byte order.
inline std::string wire(int32_t cmd)
{
    uint32_t net = htonl(static_cast<uint32_t>(cmd));
    return std::string(reinterpret_cast<const char *>(&net), sizeof net);
}

// Sends cmd and returns the answer line; "<no answer>" if none comes.
inline std::string ask(Client &c, int32_t cmd, Millis timeout = kDefaultTimeout)
{
    if (!c.send(wire(cmd)))
        return "<send failed>";
    return c.recv_line(timeout).value_or("<no answer>");
}

// N from "New number generated: N"; 0 for any other line.
inline int generated(const std::string &line)
{
    static const std::regex re(R"(New number generated: (\d+))");
    std::smatch m;
    return std::regex_match(line, m, re) ? std::stoi(m[1]) : 0;
}

// The LIST answer for the numbers drawn so far: zeros for the rest.
inline std::string numbers_line(std::vector<int> drawn)
{
    drawn.resize(6, 0);
    std::string line = "numbers:";
    for (int n : drawn)
        line += " " + std::to_string(n);
    return line;
}

// "" if the draw is six distinct numbers from 1 to 45, else what is wrong.
inline std::string draw_problem(const std::vector<int> &drawn)
{
    if (drawn.size() != 6)
        return "drew " + std::to_string(drawn.size()) + " numbers, not 6";
    for (int n : drawn)
        if (n < 1 || n > 45)
            return "number out of 1..45: " + std::to_string(n);
    if (std::set<int>(drawn.begin(), drawn.end()).size() != drawn.size())
        return "a number drawn twice: " + numbers_line(drawn);
    return "";
}

// Reads what a server printed so far, so its stdout pipe never fills up.
// 20 ms per line leaves time to be scheduled on a busy machine; a line
// already there returns at once.
inline void drain(Process &p)
{
    while (p.read_line(20ms)) {
    }
}

// A server program started on port 0 with `args`, and the port it got.
struct Server {
    Process process;
    int port;
};

inline Server start_server(const std::string &name, std::vector<std::string> args = {})
{
    args.push_back("0");
    Process p = Process::run(name, args);
    int port = p.wait_for_port();
    return {std::move(p), port};
}

// A full session on one connection, commands sent all at once: six GENs, a
// seventh, LIST, END.  Returns the six numbers; a wrong answer fails the
// test.
inline std::vector<int> play_session(int port)
{
    Client c(port);
    EXPECT_TRUE(c.connected()) << "connect: " << strerror(c.errno_value());
    std::string commands;
    for (int i = 0; i < 7; i++)
        commands += wire(kGen);
    commands += wire(kList) + wire(kEnd);
    EXPECT_TRUE(c.send(commands));
    std::vector<int> drawn;
    for (int i = 0; i < 6; i++) {
        std::string line = c.recv_line().value_or("<no answer>");
        int n = generated(line);
        EXPECT_NE(n, 0) << "GEN " << i + 1 << " answered: " << line;
        drawn.push_back(n);
    }
    EXPECT_EQ(c.recv_line().value_or("<no answer>"), "Full");
    EXPECT_EQ(c.recv_line().value_or("<no answer>"), numbers_line(drawn));
    EXPECT_TRUE(c.closed_by_peer()) << "END did not close the connection";
    return drawn;
}

// Sends `bytes` of garbage from a thread (the server answers as it reads,
// so someone must read meanwhile) and returns everything answered, until
// `expected_size` bytes have come back.
std::string send_garbage(Client &c, size_t bytes, size_t expected_size);

// A stand-in server the test drives byte by byte, to see what a client
// sends and how it copes with what comes back.
class FakeServer {
public:
    FakeServer();
    int port() const { return port_; }
    bool accept(Millis timeout = kDefaultTimeout);  // one connection
    // Exactly n bytes from the client; fewer at EOF or the deadline.
    std::string read(size_t n, Millis timeout = kDefaultTimeout);
    bool send(std::string_view bytes);
    bool closed_by_peer(Millis timeout = kDefaultTimeout);  // EOF seen
    void close_connection();

private:
    unp::Fd listener_, conn_;
    int port_ = 0;
};

}  // namespace lottery_testing

#endif  // LOTTERY_TESTING_HPP
