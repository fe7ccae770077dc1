// SPDX-License-Identifier: MIT
// The servers under attack, one row each.  A new server is one row: its
// program, its design, three requests of its protocol and a correct client.
#include "hostile.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <unistd.h>

#include <gtest/gtest.h>

namespace socklab::hostile {
namespace {

std::string u32(uint32_t v)
{
    v = htonl(v);
    return std::string(reinterpret_cast<const char *>(&v), 4);
}

std::vector<std::string> no_args(const std::string &) { return {}; }

// ---- echo (tcpcliserv): a line comes back
Server echo(const std::string &name, bool sheds)
{
    Server s{name, name, Design::concurrent, sheds, no_args, {}, {}, {}, {}};
    s.request = [](const std::string &) { return std::string("hello\n"); };
    s.large = [](const std::string &) { return std::string(256 << 10, 'a') + "\n"; };
    s.unknown = [](const std::string &) { return std::string("\r\n\x04\x1b[2J\n"); };
    s.good = [](int port, const std::string &, std::string &why) {
        Client c(port);
        if (!c.send("good client\n"))
            return (why = "send failed"), false;
        auto line = c.recv_line(3s);
        why = "echo: " + line.value_or("(none)");
        return line == "good client";
    };
    return s;
}

// ---- daytime (intro): one line, then the server closes
Server daytime()
{
    Server s{"daytimetcpsrv", "daytimetcpsrv", Design::iterative, false, no_args, {}, {}, {}, {}};
    s.request = s.large = s.unknown = [](const std::string &) { return std::string("hello\n"); };
    s.good = [](int port, const std::string &, std::string &why) {
        Client c(port);
        std::string all = c.recv_all(3s);
        why = "got \"" + all + "\"";
        return all.size() > 10 && all.back() == '\n';
    };
    return s;
}

// ---- lottery: 4-byte commands, text answers
Server lottery(const std::string &name, Design design, bool sheds)
{
    Server s{name, name, design, sheds, [](const std::string &) { return std::vector<std::string>{"-s", "1"}; },
             {}, {}, {}, {}};
    s.request = [](const std::string &) { return u32(0); };  // GEN
    s.large = [](const std::string &) {
        std::string many;
        for (int i = 0; i < 4096; i++)
            many += u32(1);  // LIST, LIST, ...
        return many;
    };
    s.unknown = [](const std::string &) { return u32(0x7fffffff) + u32(0xffffffff); };
    s.good = [](int port, const std::string &, std::string &why) {
        Client c(port);
        c.send(u32(1));  // LIST
        auto line = c.recv_line(3s);
        why = "LIST: " + line.value_or("(none)");
        return line.has_value() && !line->empty();
    };
    return s;
}

// ---- ftserv02: u32 length + path; u8 status + u64 size + bytes
std::string ft_request(const std::string &path) { return u32(static_cast<uint32_t>(path.size())) + path; }

// "f" (4 bytes) and "big" (8 MiB, sparse: more than socket buffers hold).
void make_files(const std::string &scratch)
{
    unp::Fd f(open((scratch + "/f").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644));
    unp::Fd big(open((scratch + "/big").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644));
    if (!f || !big || write(f.get(), "good", 4) != 4 || ftruncate(big.get(), 8 << 20) != 0)
        ADD_FAILURE() << "cannot make the served files in " << scratch;
}

Server ftserv02()
{
    Server s{"ftserv02", "ftserv02", Design::concurrent, false, {}, {}, {}, {}, {}};
    s.args = [](const std::string &scratch) {
        make_files(scratch);
        return std::vector<std::string>{"-d", scratch};
    };
    s.request = [](const std::string &) { return ft_request("f"); };
    s.large = [](const std::string &) { return ft_request("big"); };
    s.unknown = [](const std::string &) { return u32(0xfffffff0); };
    s.good = [](int port, const std::string &, std::string &why) {
        Client c(port);
        c.send(ft_request("f"));
        std::string reply = c.recv_exact(13, 3s);
        why = "reply of " + std::to_string(reply.size()) + " bytes";
        return reply == std::string("\0\0\0\0\0\0\0\0\4good", 13);
    };
    return s;
}

// ---- FTServer: one client, one file, then it exits
Server ftserver_lab()
{
    Server s{"FTServer", "FTServer", Design::single_shot, false, {}, {}, {}, {}, {}};
    s.args = [](const std::string &scratch) {
        make_files(scratch);
        return std::vector<std::string>{};
    };
    s.request = [](const std::string &scratch) { return ft_request(scratch + "/f"); };
    s.large = [](const std::string &scratch) { return ft_request(scratch + "/big"); };
    s.unknown = [](const std::string &) { return u32(0); };
    return s;
}

// ---- bench/designs: 16-byte header (length, reply, work, tag), reply bytes (tag + i)
std::string bench_header(uint32_t reply, uint32_t length = 16) { return u32(length) + u32(reply) + u32(0) + u32(7); }

Server bench(const std::string &name, Design design, bool sheds)
{
    Server s{name, name, design, sheds, no_args, {}, {}, {}, {}};
    s.request = [](const std::string &) { return bench_header(64); };
    s.large = [](const std::string &) { return bench_header(8 << 20); };
    s.unknown = [](const std::string &) { return bench_header(16, 0xffffffff); };
    s.good = [](int port, const std::string &, std::string &why) {
        Client c(port);
        c.send(bench_header(64));
        std::string reply = c.recv_exact(64, 3s);
        why = "reply of " + std::to_string(reply.size()) + " bytes";
        for (std::size_t i = 0; i < reply.size(); i++)
            if (static_cast<unsigned char>(reply[i]) != ((7 + i) & 0xff))
                return (why = "wrong byte " + std::to_string(i)), false;
        return reply.size() == 64;
    };
    return s;
}

}  // namespace

const std::vector<Server> &servers()
{
    static const std::vector<Server> table = {
        daytime(),
        echo("tcpserv04", false),
        echo("tcpservselect01", true),
        echo("tcpservpoll01", true),
        lottery("LotteryServer", Design::single_shot, false),  // one client, then it ends
        lottery("LotteryServerFork", Design::concurrent, false),
        lottery("LotteryServerPoll", Design::concurrent, true),
        ftserver_lab(),
        ftserv02(),
        bench("serv_iterative", Design::iterative, false),
        bench("serv_fork", Design::concurrent, false),
        // A pool of 8: connections held open can take every worker.
        bench("serv_prefork", Design::iterative, false),
        bench("serv_thread", Design::concurrent, true),
        bench("serv_prethread", Design::iterative, false),
        bench("serv_select", Design::concurrent, true),
        bench("serv_poll", Design::concurrent, true),
        bench("serv_epoll", Design::concurrent, true),
    };
    return table;
}

}  // namespace socklab::hostile
