// SPDX-License-Identifier: MIT
// Small helpers for the tcpcliserv tests: a server on port 0, and what
// /proc says about one of its processes.
#ifndef SOCKLAB_TCPCLISERV_HELPERS_HPP
#define SOCKLAB_TCPCLISERV_HELPERS_HPP

#include "process.hpp"

#include <gtest/gtest.h>

#include <dirent.h>

#include <cstdlib>
#include <fstream>
#include <iterator>
#include <random>
#include <sstream>
#include <string>
#include <thread>

namespace socklab::test {

// A server started with port 0, and the port it printed.
struct Server {
    Process proc;
    int port;
};

inline Server start_server(const std::string &name)
{
    Process p = Process::run(name, {"0"});
    int port = p.wait_for_port();
    return {std::move(p), port};
}

// True once pid has exited: gone, or a zombie waiting for its parent.
inline bool has_exited(pid_t pid)
{
    char s = proc_state(pid);
    return s == 0 || s == 'Z';
}

// True once the client end of a connection to server_port on this host has
// taken the server's FIN: its socket is in CLOSE_WAIT (/proc/net/tcp and
// tcp6).  Only then is the order certain: a FIN still on its way could be
// overtaken by the RST that the client's next segment draws, and the
// client would see ECONNRESET instead of EOF.  True also if /proc/net
// cannot be read, as there is then nothing to wait for.
inline bool client_end_got_fin(int server_port)
{
    constexpr int kCloseWait = 0x08;  // TCP_CLOSE_WAIT, as /proc/net/tcp shows it
    bool readable = false;
    for (const char *path : {"/proc/net/tcp", "/proc/net/tcp6"}) {
        std::ifstream in(path);
        if (!in)
            continue;
        readable = true;
        std::string line;
        std::getline(in, line);  // the header
        while (std::getline(in, line)) {
            std::istringstream fields(line);
            std::string slot, local, remote, state;
            if (!(fields >> slot >> local >> remote >> state))
                continue;
            size_t colon = remote.rfind(':');
            if (colon == std::string::npos)
                continue;
            if (std::stoi(remote.substr(colon + 1), nullptr, 16) == server_port &&
                std::stoi(state, nullptr, 16) == kCloseWait)
                return true;
        }
    }
    return !readable;
}

// Open descriptors of any process of ours (-1 if it is gone).
inline int fd_count(pid_t pid)
{
    DIR *d = opendir(("/proc/" + std::to_string(pid) + "/fd").c_str());
    if (d == nullptr)
        return -1;
    int n = 0;
    while (dirent *e = readdir(d))
        n += e->d_name[0] != '.';
    closedir(d);
    return n;
}

// n reproducible bytes of every value 0..255, with a newline now and then
// (so a line-based client sends lines of many lengths).
inline std::string test_bytes(size_t n, unsigned seed = 1)
{
    std::mt19937 gen(seed);
    std::uniform_int_distribution<int> byte(0, 255);
    std::string s(n, '\0');
    for (char &c : s)
        c = static_cast<char>(byte(gen));
    if (n > 0)
        s.back() = '\n';
    return s;
}

// Feeds `input` to p's stdin from a thread and closes it, while this
// thread reads p's stdout to EOF: neither pipe can fill up and stall.
inline std::string pipe_through(Process &p, const std::string &input, Millis timeout = 20s)
{
    std::thread writer([&] {
        p.write_stdin(input);
        p.close_stdin();
    });
    std::string out = p.read_rest(timeout);
    writer.join();
    return out;
}

// Where two long strings first differ, for a readable failure.
inline std::string first_difference(const std::string &a, const std::string &b)
{
    size_t i = 0;
    while (i < a.size() && i < b.size() && a[i] == b[i])
        i++;
    return "sizes " + std::to_string(a.size()) + " and " + std::to_string(b.size()) +
           ", first difference at byte " + std::to_string(i);
}

}  // namespace socklab::test

#endif  // SOCKLAB_TCPCLISERV_HELPERS_HPP
