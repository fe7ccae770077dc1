// SPDX-License-Identifier: MIT
// The servers under attack, one row each.  A new server is one row: its
// program, its design, three requests of its protocol and a correct client.
#include "hostile.hpp"
#include "protocols.hpp"
#include "udp_socket.hpp"
#include "udpft.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <pwd.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <fstream>

namespace socklab::hostile {

Server row(const std::string &name, const std::string &program, Design design, bool sheds)
{
    Server s;
    s.name = name;
    s.program = program;
    s.design = design;
    s.sheds = sheds;
    s.args = [](const std::string &) { return std::vector<std::string>{}; };
    return s;
}

namespace {

using test::UdpSocket;

std::string u32(uint32_t v)
{
    v = htonl(v);
    return std::string(reinterpret_cast<const char *>(&v), 4);
}

// ---- echo (tcpcliserv, inetd): a line comes back
bool echo_good(int port, const std::string &, std::string &why)
{
    Client c(port);
    if (!c.send("good client\n"))
        return (why = "send failed"), false;
    auto line = c.recv_line(3s);
    why = "echo: " + line.value_or("(none)");
    return line == "good client";
}

Server echo(const std::string &name, const std::string &program, bool sheds)
{
    Server s = row(name, program, Design::concurrent, sheds);
    s.reads_lines = true;
    s.request = [](const std::string &) { return std::string("hello\n"); };
    s.large = [](const std::string &) { return std::string(256 << 10, 'a') + "\n"; };
    s.unknown = [](const std::string &) { return std::string("\r\n\x04\x1b[2J\n"); };
    s.good = echo_good;
    return s;
}

Server echo(const std::string &name, bool sheds) { return echo(name, name, sheds); }

// The nonblock lab's echo servers, with the timeout a student tries first
// (forever): the same loops as tcpservselect01/tcpservpoll01, timed.
Server timed_echo(const std::string &program)
{
    Server s = echo(program, program, true);
    s.args = [](const std::string &) { return std::vector<std::string>{"forever"}; };
    return s;
}

// ---- sum (tcpcliserv): "a b\n" -> "sum\n" (tcpserv08); 8 bytes -> 8 (tcpserv09)
Server sum_text()
{
    Server s = row("tcpserv08", "tcpserv08", Design::concurrent, false);
    s.reads_lines = true;
    s.request = [](const std::string &) { return std::string("1 2\n"); };
    s.large = [](const std::string &) {
        std::string many;
        for (int i = 0; i < 65536; i++)
            many += "1 2\n";  // a reply per line
        return many;
    };
    s.unknown = [](const std::string &) { return std::string("one two\n\x1b[2J\n"); };
    s.good = [](int port, const std::string &, std::string &why) {
        Client c(port);
        c.send("40 2\n");
        auto line = c.recv_line(3s);
        why = "sum: " + line.value_or("(none)");
        return line == "42";
    };
    return s;
}

Server sum_binary()
{
    Server s = row("tcpserv09", "tcpserv09", Design::concurrent, false);
    s.request = [](const std::string &) { return u32(1) + u32(2); };
    s.large = [](const std::string &) {
        std::string many;
        for (int i = 0; i < 65536; i++)
            many += u32(0x7fffffff) + u32(0x7fffffff);
        return many;
    };
    s.unknown = [](const std::string &) { return std::string("\xff\xff\xff", 3); };  // a request cut short
    s.good = [](int port, const std::string &, std::string &why) {
        Client c(port);
        c.send(u32(40) + u32(2));
        std::string reply = c.recv_exact(8, 3s);
        why = "reply of " + std::to_string(reply.size()) + " bytes";
        return reply == std::string("\0\0\0\0\0\0\0\x2a", 8);
    };
    return s;
}

// ---- daytime (intro, inetd): one line, then the server closes
bool daytime_good(int port, const std::string &, std::string &why)
{
    Client c(port);
    std::string all = c.recv_all(3s);
    why = "got \"" + all + "\"";
    return all.size() > 10 && all.back() == '\n';
}

Server daytime()
{
    Server s = row("daytimetcpsrv", "daytimetcpsrv", Design::iterative, false);
    s.request = s.large = s.unknown = [](const std::string &) { return std::string("hello\n"); };
    s.good = daytime_good;
    return s;
}

// ---- UDP echo (udpcliserv): each datagram comes back to its sender
Server udp_echo(const std::string &name)
{
    Server s = row(name, name, Design::concurrent, false);
    s.transport = Transport::udp;
    s.request = [](const std::string &) { return std::string("hello"); };
    s.large = [](const std::string &) { return std::string(65507, 'a'); };  // the largest over IPv4
    s.unknown = [](const std::string &) { return std::string("\r\n\x04\x1b[2J"); };
    s.good = [](int port, const std::string &, std::string &why) {
        UdpSocket u;
        u.send_to("good client", port);
        auto d = u.recv(2s);
        why = "echo: " + (d ? d->bytes : std::string("(none)"));
        return d && d->bytes == "good client";
    };
    return s;
}

// ---- lottery: 4-byte commands, text answers
Server lottery(const std::string &name, Design design, bool sheds)
{
    Server s = row(name, name, design, sheds);
    s.args = [](const std::string &) { return std::vector<std::string>{"-s", "1"}; };
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

Server ftserv02()
{
    Server s = row("ftserv02", "ftserv02", Design::concurrent, false);
    s.args = [](const std::string &scratch) {
        make_tree(scratch);
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
    s.own = path_attacks(ftserv02_paths(), ftserv02_ask);
    // Its log (stderr): one line per request, and one for a broken one.
    s.logs = {{"HalfMessageThenClose", "\"\" broken request"},
              {"UnknownCommandOrLength", "\"\" refused: path too long \\(4294967280 bytes"},
              {"PathDotDot", "\"\\.\\./\\.\\./etc/passwd\" refused: outside the served directory"},
              {"PathFifo", "\"fifo\" refused: not a regular file"},
              {"Path64KiB", "\"\" refused: path too long \\(65536 bytes; at most 4095\\)"}};
    return s;
}

// ---- FTServer: one client, one file, then it exits
Server ftserver_lab()
{
    Server s = row("FTServer", "FTServer", Design::single_shot, false);
    s.args = [](const std::string &scratch) {
        make_tree(scratch);
        return std::vector<std::string>{};
    };
    s.request = [](const std::string &scratch) { return ft_request(scratch + "/f"); };
    s.large = [](const std::string &scratch) { return ft_request(scratch + "/big"); };
    s.unknown = [](const std::string &) { return u32(0); };
    // The handout's server opens any path it is given (no served directory):
    // what it must refuse is what is not a regular file, and a path too long.
    s.own = path_attacks(ftserver_paths(), ftserver_ask, false);  // one request: no swap to race
    return s;
}

// ---- bench/designs: 16-byte header (length, reply, work, tag), reply bytes (tag + i)
std::string bench_header(uint32_t reply, uint32_t length = 16) { return u32(length) + u32(reply) + u32(0) + u32(7); }

Server bench(const std::string &name, Design design, bool sheds)
{
    Server s = row(name, name, design, sheds);
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

// ---- http: GET /f, a Common Log Format line on stdout per request
Server http(const std::string &name, Design design, bool sheds)
{
    Server s = row(name, name, design, sheds);
    s.reads_lines = true;
    s.args = [](const std::string &scratch) {
        make_tree(scratch);
        return std::vector<std::string>{"-d", scratch, "-t", "5"};
    };
    s.request = [](const std::string &) { return std::string("GET /f HTTP/1.0\r\n\r\n"); };
    s.large = [](const std::string &) { return std::string("GET /big HTTP/1.1\r\nHost: h\r\n\r\n"); };
    s.unknown = [](const std::string &) { return std::string("BREW /f HTTP/1.0\r\n\r\n"); };
    s.good = [](int port, const std::string &, std::string &why) {
        why = http_ask(port, "/f");
        return why == "good";
    };
    s.own = http_attacks();
    for (auto &a : path_attacks(http_paths(), http_ask))
        s.own.push_back(a);
    // What the log line says (README: one line per request, the status).
    s.logs = {{"UnknownCommandOrLength", "\"BREW /f HTTP/1\\.0\" 405 "},
              {"NulBytes", "\" 400 "},
              {"Line64KiB", "\" 414 "},
              {"Header64KiB", "\"GET /f HTTP/1\\.0\" 431 "},
              {"PathDotDot", "\"GET /\\.\\./\\.\\./etc/passwd HTTP/1\\.0\" 403 "},
              {"PathFifo", "\"GET /fifo HTTP/1\\.0\" 403 "}};
    return s;
}

// ---- tinyinetd: one service from a config in scratch; its port is in the config
std::string me()
{
    struct passwd *pw = getpwuid(getuid());
    return pw ? pw->pw_name : "nobody";
}

Server inetd(const std::string &name, const std::string &service, Server like)
{
    like.name = name;
    like.program = "tinyinetd";
    like.design = Design::concurrent;  // it answers daytime itself, forks for echo
    like.port_arg = false;
    like.args = [service](const std::string &scratch) {
        std::string line = service;
        if (std::size_t at = line.find("ECHOINETD"); at != std::string::npos)
            line.replace(at, 9, test::program_path("echoinetd"));
        std::ofstream(scratch + "/inetd.conf") << "127.0.0.1:0 " << line << "\n";
        // The rate limit (40 a second) would pause the service during the
        // attack: what is held to account here is the rest.
        return std::vector<std::string>{"-d", "-R", "1000", "-f", scratch + "/inetd.conf"};
    };
    return like;
}

// ---- UDPFTServer: RRQ "f" from a random transfer id, DATA 1, ACK 1
std::string rrq(std::uint32_t tid, const std::string &path)
{
    return udpft::encode_request(udpft::kRrq, tid, 1, static_cast<std::uint16_t>(udpft::kBlock), 0, path);
}

Server udpft_server()
{
    Server s = row("UDPFTServer", "UDPFTServer", Design::concurrent, false);
    s.transport = Transport::udp;
    s.args = [](const std::string &scratch) {
        make_tree(scratch);
        return std::vector<std::string>{"-d", scratch};
    };
    s.request = [](const std::string &) { return rrq(1, "f"); };
    s.large = [](const std::string &) { return rrq(2, "big"); };
    s.unknown = [](const std::string &) { return std::string("\x09\0\0\0\1", 5); };  // type 9
    s.good = [](int port, const std::string &, std::string &why) {
        UdpSocket u;
        std::uint32_t tid = static_cast<std::uint32_t>(u.port()) * 7919u;
        u.send_to(rrq(tid, "f"), port);
        auto d = u.recv(2s);
        auto p = d ? udpft::decode({reinterpret_cast<const unsigned char *>(d->bytes.data()), d->bytes.size()})
                   : std::nullopt;
        why = d ? "answer of " + std::to_string(d->bytes.size()) + " bytes" : "no answer";
        if (!p || p->type != udpft::kData || p->tid != tid || p->seq != 1 || p->body != "good")
            return false;
        u.send_to(udpft::encode_ack(tid, 1), port);
        return true;
    };
    // Its log (stderr): a datagram ignored, a transfer given up.
    s.logs = {{"DatagramGarbage0BTo64KiB", "datagram \"\" ignored: "},
              {"DatagramTruncatedOrUnknown", "datagram \"\" ignored: "},
              {"DatagramFromVanishedClient", "get \"big\" gave up"},
              {"DatagramFloodFromManyPorts", "get \"f\" gave up"}};
    return s;
}

// The same server with its confinement's fallback forced.
Server fallback(Server s, const std::string &env)
{
    s.name += "_fallback";
    s.env = {env};
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
        timed_echo("selecttimeo"),
        timed_echo("polltimeo"),
        sum_text(),
        sum_binary(),
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
        http("httpserv01", Design::iterative, false),
        http("httpserv02", Design::concurrent, false),
        http("httpserv03", Design::concurrent, true),
        // The confinement without openat2 (one openat(O_NOFOLLOW) per
        // component), where a symlink swap once got out: the path attacks again.
        fallback(ftserv02(), "FTSERVER_NO_OPENAT2=1"),
        fallback(http("httpserv03", Design::concurrent, true), "HTTPSERV_NO_OPENAT2=1"),
        udp_echo("udpserv01"),
        udp_echo("udpservselect01"),
        echo("udpservselect01_tcp", "udpservselect01", false),  // its TCP side: tcpserv04's
        udpft_server(),
        inetd("tinyinetd_echo", "stream tcp nowait " + me() + " internal echo", echo("", false)),
        inetd("tinyinetd_daytime", "stream tcp nowait " + me() + " internal daytime", daytime()),
        inetd("tinyinetd_echoinetd",
              "stream tcp nowait " + me() + " ECHOINETD echoinetd",
              echo("", false)),
        inetd("tinyinetd_udp_echo", "dgram udp wait " + me() + " internal echo", udp_echo("")),
    };
    return table;
}

}  // namespace socklab::hostile
