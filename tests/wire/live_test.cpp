// SPDX-License-Identifier: MIT
// Live captures on loopback of real programs, through tcpview --run: what
// a student sees for the daytime exchange and the reports' experiments.
// Skipped where the test may not capture (not root, no CAP_NET_RAW and
// CAP_NET_ADMIN); CI runs them as root.
#include "capture.hpp"
#include "process.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <cerrno>
#include <filesystem>
#include <regex>
#include <thread>

using namespace socklab::test;
using ::testing::HasSubstr;
using ::testing::Not;

namespace {

bool can_capture()
{
    static const bool ok = wire::Capture::live("lo").open();
    return ok;
}

#define REQUIRE_CAPTURE()                                                              \
    do {                                                                               \
        if (!can_capture())                                                            \
            GTEST_SKIP() << "live capture needs root or CAP_NET_RAW and CAP_NET_ADMIN"; \
    } while (0)

// One segment line of tcpview's output, taken apart.
struct Line {
    int number = 0;
    std::string src, dst;
    int sport = 0, dport = 0;
    std::string flags;
    int length = 0;
    std::string note;
};

std::vector<Line> segments(const std::string &out)
{
    static const std::regex re(R"(^ *(\d+) \S+ (\S+)\.(\d+) > (\S+)\.(\d+): Flags \[([^\]]+)\].*, length (\d+)(  \| (.*))?$)");
    std::vector<Line> v;
    std::istringstream in(out);
    for (std::string l; std::getline(in, l);) {
        std::smatch m;
        if (!std::regex_match(l, m, re))
            continue;
        v.push_back({std::stoi(m[1]), m[2], m[4], std::stoi(m[3]), std::stoi(m[5]), m[6],
                     std::stoi(m[7]), m[9]});
    }
    return v;
}

std::string quoted(const std::string &path) { return "'" + path + "'"; }

// Runs tcpview --run SERVER --run CLIENT and returns everything it printed.
std::string run_pair(const std::string &server, const std::string &client,
                     std::vector<std::string> extra = {})
{
    std::vector<std::string> args = {"--run", server, "--run", client};
    args.insert(args.end(), extra.begin(), extra.end());
    auto p = Process::run("tcpview", args);
    std::string out = p.read_rest(20s);
    EXPECT_EQ(p.wait().describe(), "exit 0") << p.stderr_text() << out;
    return out;
}

int server_port(const std::string &out)
{
    std::smatch m;
    static const std::regex re(R"(\[server\] listening on .*, port (\d+))");
    return std::regex_search(out, m, re) ? std::stoi(m[1]) : -1;
}

}  // namespace

TEST(TcpviewLive, DaytimeHandshakeOneDataSegmentServerClosesFirst)
{
    REQUIRE_CAPTURE();
    if (!SOCKLAB_HAVE_DAYTIME)
        GTEST_SKIP() << "intro/daytimetcpsrv is not built in this tree";
    std::string out = run_pair(quoted(program_path("daytimetcpsrv")) + " 0",
                               quoted(program_path("daytimetcpcli")) + " 127.0.0.1 {port}");
    int port = server_port(out);
    ASSERT_GT(port, 0) << out;
    auto s = segments(out);
    ASSERT_GE(s.size(), 3u) << out;
    EXPECT_EQ(s[0].flags, "S");
    EXPECT_EQ(s[0].dport, port);
    EXPECT_THAT(s[0].note, HasSubstr("handshake 1/3"));
    EXPECT_EQ(s[1].flags, "S.");
    EXPECT_EQ(s[1].sport, port);
    EXPECT_THAT(s[1].note, HasSubstr("handshake 2/3"));
    EXPECT_EQ(s[2].flags, ".");
    EXPECT_EQ(s[2].dport, port);
    EXPECT_THAT(s[2].note, HasSubstr("handshake 3/3"));

    // One data segment, from the server, as long as the line the client printed.
    std::smatch m;
    ASSERT_TRUE(std::regex_search(out, m, std::regex(R"(\[client\] (.+))"))) << out;
    size_t expected = m[1].str().size() + 2;  // the server ends the line with \r\n
    std::vector<Line> data;
    for (const auto &l : s)
        if (l.length > 0)
            data.push_back(l);
    ASSERT_EQ(data.size(), 1u) << out;
    EXPECT_EQ(data[0].sport, port);
    EXPECT_EQ(static_cast<size_t>(data[0].length), expected) << out;

    // The server's FIN comes first.
    auto first_fin = std::find_if(s.begin(), s.end(), [](const Line &l) {
        return l.flags.find('F') != std::string::npos;
    });
    ASSERT_NE(first_fin, s.end()) << out;
    EXPECT_EQ(first_fin->sport, port);
    EXPECT_THAT(out, HasSubstr("closed first:  by the server"));
    EXPECT_THAT(out, HasSubstr("ended:         orderly"));
    EXPECT_THAT(out, HasSubstr("[client] exit 0"));
}

TEST(TcpviewLive, UnreadDataMakesTheClosingClientSendRst)
{
    REQUIRE_CAPTURE();
    std::string out = run_pair(quoted(program_path("floodserv")) + " 0",
                               quoted(program_path("oneshotcli")) + " 127.0.0.1 {port} Hello,World!");
    int port = server_port(out);
    auto s = segments(out);
    auto rst = std::find_if(s.begin(), s.end(), [](const Line &l) {
        return l.flags.find('R') != std::string::npos;
    });
    ASSERT_NE(rst, s.end()) << out;
    EXPECT_EQ(rst->dport, port) << "the RST comes from the client, which closed";
    EXPECT_THAT(rst->note, HasSubstr("close() with unread data"));
    for (auto it = s.begin(); it != rst; ++it)
        EXPECT_FALSE(it->dport == port && it->flags.find('F') != std::string::npos)
            << "no FIN from the client before its RST\n" << out;
    EXPECT_THAT(out, HasSubstr("ended:         reset by the client"));
    EXPECT_THAT(out, HasSubstr("[server] read error: Connection reset by peer"));
}

TEST(TcpviewLive, DataAfterTheServersCloseGetsRst)
{
    REQUIRE_CAPTURE();
    std::string out = run_pair(quoted(program_path("upperserv")) + " 0",
                               quoted(program_path("oneshotcli")) + " 127.0.0.1 {port} hello again");
    int port = server_port(out);
    auto s = segments(out);
    auto rst = std::find_if(s.begin(), s.end(), [](const Line &l) {
        return l.flags.find('R') != std::string::npos;
    });
    ASSERT_NE(rst, s.end()) << out;
    EXPECT_EQ(rst->sport, port) << out;
    EXPECT_THAT(out, HasSubstr("closed first:  by the server"));
    EXPECT_THAT(out, HasSubstr("[client] read 5 bytes: HELLO"));
}

TEST(TcpviewLive, ShutdownIsToldApartFromClose)
{
    REQUIRE_CAPTURE();
    // eofserv answers only after the client's FIN.
    std::string out = run_pair(quoted(program_path("eofserv")) + " 0",
                               quoted(program_path("halfclosecli")) + " 127.0.0.1 {port} 'World! Hello, World!'");
    EXPECT_THAT(out, HasSubstr("closed first:  by the client"));
    EXPECT_THAT(out, HasSubstr("shutdown(SHUT_WR): it kept reading after its FIN"));
    EXPECT_THAT(out, HasSubstr("[client] read 20 bytes: WORLD! HELLO, WORLD!"));
    EXPECT_THAT(out, HasSubstr("[client] end of file after 20 bytes"));
    EXPECT_THAT(out, HasSubstr("ended:         orderly"));
}

TEST(TcpviewLive, NeverShowsOtherPorts)
{
    REQUIRE_CAPTURE();
    // Other traffic on loopback all the while: connections to a listener of ours.
    unp::Fd listener = unp::listen_tcp("127.0.0.1", "0");
    const int noise_port = unp::local_port(listener.get());
    std::atomic<bool> done{false};
    std::atomic<int> noise{0};
    std::thread chatter([&] {
        while (!done) {
            Client c(noise_port);
            if (!c.connected())
                continue;  // no connection to accept: accept() would wait forever
            unp::Fd conn(accept(listener.get(), nullptr, nullptr));
            if (c.send("noise\n"))
                ++noise;
        }
    });
    std::string out = run_pair(quoted(program_path("upperserv")) + " 0",
                               quoted(program_path("oneshotcli")) + " 127.0.0.1 {port} hello");
    done = true;
    chatter.join();
    ASSERT_GT(noise, 0);
    int port = server_port(out);
    auto s = segments(out);
    ASSERT_GE(s.size(), 8u) << out;
    for (const auto &l : s)
        EXPECT_TRUE(l.sport == port || l.dport == port) << "segment " << l.number << " of port "
                                                       << l.sport << " > " << l.dport;
    EXPECT_THAT(out, Not(HasSubstr("." + std::to_string(noise_port) + ":")));
    EXPECT_THAT(out, Not(HasSubstr("connection 2")));
}

TEST(TcpviewLive, WritesAPcapThatTcpdumpAndTcpviewRead)
{
    REQUIRE_CAPTURE();
    std::string dir = std::filesystem::temp_directory_path() / "tcpview-live-XXXXXX";
    ASSERT_NE(mkdtemp(dir.data()), nullptr);
    const std::string file = dir + "/run.pcap";
    std::string out = run_pair(quoted(program_path("upperserv")) + " 0",
                               quoted(program_path("oneshotcli")) + " 127.0.0.1 {port} hello",
                               {"-w", file});
    auto live = segments(out);
    ASSERT_GE(live.size(), 8u);

    auto r = Process::run("tcpview", {"-r", file});
    auto again = segments(r.read_rest());
    EXPECT_EQ(r.wait().describe(), "exit 0");
    ASSERT_EQ(again.size(), live.size());
    for (size_t i = 0; i < live.size(); ++i) {
        EXPECT_EQ(again[i].flags, live[i].flags);
        EXPECT_EQ(again[i].note, live[i].note);
    }

    for (const char *tcpdump : {"/usr/bin/tcpdump", "/usr/sbin/tcpdump"}) {
        if (access(tcpdump, X_OK) != 0)
            continue;
        auto t = Process::start({tcpdump, "-nr", file});
        std::string text = t.read_rest();
        EXPECT_EQ(t.wait().describe(), "exit 0") << t.stderr_text();
        EXPECT_EQ(static_cast<size_t>(std::count(text.begin(), text.end(), '\n')), live.size()) << text;
        break;
    }
    std::filesystem::remove_all(dir);
}

TEST(TcpviewLive, PlainCaptureWithAFilterAndACount)
{
    REQUIRE_CAPTURE();
    unp::Fd listener = unp::listen_tcp("127.0.0.1", "0");
    const int port = unp::local_port(listener.get());
    auto p = Process::run("tcpview", {"-c", "3", "tcp", "port", std::to_string(port)});
    // The capture is active once tcpview says so on stderr.
    ASSERT_TRUE(eventually([&] { return p.stderr_text().find("capturing") != std::string::npos; }));
    Client c(port);
    ASSERT_TRUE(c.connected());
    std::string out = p.read_rest();
    EXPECT_EQ(p.wait().describe(), "exit 0") << p.stderr_text();
    auto s = segments(out);
    ASSERT_EQ(s.size(), 3u) << out;
    EXPECT_EQ(s[0].flags, "S");
    EXPECT_EQ(s[1].flags, "S.");
    EXPECT_EQ(s[2].flags, ".");
    EXPECT_THAT(out, HasSubstr("connection 1: client 127.0.0.1."));
}

TEST(TcpviewLive, TheClientReadsTheKeyboardAndItsPromptIsShown)
{
    REQUIRE_CAPTURE();
    // A client that prompts without a newline, then waits for input.
    auto p = Process::run("tcpview", {"--run", quoted(program_path("upperserv")) + " 0", "--run",
                                      "printf 'message: '; read m; " + quoted(program_path("oneshotcli")) +
                                          " 127.0.0.1 {port} \"$m\""});
    ASSERT_TRUE(p.wait_for_line(std::regex(R"(^\[client\] message: $)")));
    p.write_stdin("typed here\n");
    std::string out = p.read_rest();
    EXPECT_EQ(p.wait().describe(), "exit 0") << p.stderr_text();
    EXPECT_THAT(out, HasSubstr("[client] read 10 bytes: TYPED HERE"));
    EXPECT_THAT(out, HasSubstr("data: 10 bytes written by the client: \"typed here\""));
}

TEST(TcpviewLive, AServerThatNeverListensIsReported)
{
    REQUIRE_CAPTURE();
    // upperserv on a port that is taken: it says why and exits.
    unp::Fd taken = unp::listen_tcp("0.0.0.0", "0");
    const std::string port = std::to_string(unp::local_port(taken.get()));
    auto p = Process::run("tcpview", {"--run", quoted(program_path("upperserv")) + " " + port,
                                      "--run", "echo never started"});
    std::string out = p.read_rest();
    EXPECT_EQ(p.wait().describe(), "exit 1");
    EXPECT_THAT(out, HasSubstr("[server] bind error: Address already in use"));
    EXPECT_THAT(out, Not(HasSubstr("never started")));
    EXPECT_THAT(p.stderr_text(), HasSubstr("tcpview: the server ended (exit 1) before printing "
                                           "\"listening on <addr>, port <n>\""));
}

TEST(TcpviewLive, ReadsWhatTcpdumpWrote)
{
    REQUIRE_CAPTURE();
    std::string tcpdump;
    for (const char *path : {"/usr/bin/tcpdump", "/usr/sbin/tcpdump"})
        if (access(path, X_OK) == 0)
            tcpdump = path;
    if (tcpdump.empty())
        GTEST_SKIP() << "tcpdump is not installed";
    std::string dir = std::filesystem::temp_directory_path() / "tcpview-tcpdump-XXXXXX";
    ASSERT_NE(mkdtemp(dir.data()), nullptr);
    const std::string file = dir + "/handshake.pcap";

    unp::Fd listener = unp::listen_tcp("127.0.0.1", "0");
    const std::string port = std::to_string(unp::local_port(listener.get()));
    auto dump = Process::start({tcpdump, "-i", "lo", "-U", "-c", "3", "-w", file, "tcp", "port", port});
    ASSERT_TRUE(eventually([&] { return dump.stderr_text().find("listening on") != std::string::npos; }))
        << dump.stderr_text();
    Client c(std::stoi(port));
    ASSERT_TRUE(c.connected());
    EXPECT_EQ(dump.wait().describe(), "exit 0") << dump.stderr_text();

    auto r = Process::run("tcpview", {"-r", file});
    std::string out = r.read_rest();
    EXPECT_EQ(r.wait().describe(), "exit 0");
    auto s = segments(out);
    ASSERT_EQ(s.size(), 3u) << out;
    EXPECT_THAT(s[0].note, HasSubstr("handshake 1/3"));
    EXPECT_THAT(s[1].note, HasSubstr("handshake 2/3"));
    EXPECT_THAT(s[2].note, HasSubstr("handshake 3/3"));
    std::filesystem::remove_all(dir);
}

namespace {

// A UDP socket bound to 127.0.0.1 and a port the kernel picks.
unp::Fd udp_socket(int *port)
{
    unp::Fd fd(socket(AF_INET, SOCK_DGRAM, 0));
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    if (bind(fd.get(), reinterpret_cast<sockaddr *>(&a), sizeof a) != 0 ||
        getsockname(fd.get(), reinterpret_cast<sockaddr *>(&a), &len) != 0)
        return unp::Fd();
    *port = ntohs(a.sin_port);
    return fd;
}

bool connect_to(int fd, int port)
{
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = htons(static_cast<uint16_t>(port));
    return connect(fd, reinterpret_cast<sockaddr *>(&a), sizeof a) == 0;
}

// tcpview -c count FILTER, once it says the capture is active.
Process capture(int count, const std::string &filter)
{
    std::vector<std::string> args = {"-c", std::to_string(count)};
    std::istringstream words(filter);
    for (std::string w; words >> w;)
        args.push_back(w);
    auto p = Process::run("tcpview", args);
    EXPECT_TRUE(eventually([&] { return p.stderr_text().find("capturing") != std::string::npos; }));
    return p;
}

}  // namespace

TEST(TcpviewLive, AUdpExchangeShowsBothDatagrams)
{
    REQUIRE_CAPTURE();
    int sport = 0, cport = 0;
    unp::Fd server = udp_socket(&sport), client = udp_socket(&cport);
    ASSERT_TRUE(server.get() >= 0 && client.get() >= 0);
    auto p = capture(2, "udp port " + std::to_string(sport));
    ASSERT_TRUE(connect_to(client.get(), sport));
    ASSERT_EQ(write(client.get(), "ping\n", 5), 5);
    char buf[64];
    sockaddr_in from{};
    socklen_t len = sizeof from;
    ASSERT_EQ(recvfrom(server.get(), buf, sizeof buf, 0, reinterpret_cast<sockaddr *>(&from), &len), 5);
    ASSERT_EQ(sendto(server.get(), "PONG\n", 5, 0, reinterpret_cast<sockaddr *>(&from), len), 5);
    std::string out = p.read_rest();
    EXPECT_EQ(p.wait().describe(), "exit 0") << p.stderr_text();
    const std::string c = "127.0.0.1." + std::to_string(cport), s = "127.0.0.1." + std::to_string(sport);
    EXPECT_THAT(out, HasSubstr(c + " > " + s + ": UDP, length 5  | datagram: 5 bytes sent by " + c +
                               " (sendto() or write()): \"ping\\n\""));
    EXPECT_THAT(out, HasSubstr(s + " > " + c + ": UDP, length 5  | datagram: 5 bytes sent by " + s));
    EXPECT_THAT(out, HasSubstr("\"PONG\\n\""));
    EXPECT_THAT(out, HasSubstr("UDP: 2 datagrams; ICMP: 0 messages"));
}

TEST(TcpviewLive, AConnectedUdpSocketToAClosedPortGetsThePortUnreachable)
{
    REQUIRE_CAPTURE();
    int closed = 0, cport = 0;
    { unp::Fd gone = udp_socket(&closed); }  // bound, then closed: nothing there now
    unp::Fd client = udp_socket(&cport);
    auto p = capture(2, "udp port " + std::to_string(closed) + " or icmp");
    ASSERT_TRUE(connect_to(client.get(), closed));
    ASSERT_EQ(write(client.get(), "hello?", 6), 6);
    char buf[16];
    pollfd pfd = {client.get(), POLLIN, 0};
    poll(&pfd, 1, 2000);
    errno = 0;
    EXPECT_EQ(recv(client.get(), buf, sizeof buf, MSG_DONTWAIT), -1);
    EXPECT_EQ(errno, ECONNREFUSED) << "the kernel told the connected socket";
    std::string out = p.read_rest();
    EXPECT_EQ(p.wait().describe(), "exit 0") << p.stderr_text();
    EXPECT_THAT(out, HasSubstr(": UDP, length 6"));
    EXPECT_THAT(out, HasSubstr("127.0.0.1 > 127.0.0.1: ICMP 127.0.0.1 udp port " + std::to_string(closed) +
                               " port unreachable  | port unreachable: nothing is bound to 127.0.0.1 UDP port " +
                               std::to_string(closed)));
    EXPECT_THAT(out, HasSubstr("socket of port " + std::to_string(cport) +
                               ": a connected UDP socket gets ECONNREFUSED"));
}
