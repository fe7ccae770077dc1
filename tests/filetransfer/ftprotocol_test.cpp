// SPDX-License-Identifier: MIT
// ftserv02's wire protocol seen byte by byte (PROTOCOL.md), its log, and
// what every program of the folder says about wrong arguments.
#include "ft_support.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <dirent.h>
#include <sys/stat.h>

#include <algorithm>
#include <atomic>
#include <thread>
#include <regex>

using namespace socklab::test;
using ::testing::HasSubstr;
using ::testing::StartsWith;

namespace {

struct Reply {
    int status = -1;
    uint64_t size = 0;
    std::string body;
};

struct Server {
    explicit Server(std::vector<std::string> env = {})
    {
        proc = Process::run("ftserv02", {"-d", served.path(), "0"}, {std::move(env), ""});
        port = proc.wait_for_port();
    }
    TempDir served;
    Process proc;
    int port = 0;
};

void send_request(Client &c, const std::string &path)
{
    ASSERT_TRUE(c.send_u32(static_cast<uint32_t>(path.size())));
    ASSERT_TRUE(c.send(path));
}

Reply recv_reply(Client &c)
{
    Reply r;
    std::string hdr = c.recv_exact(9);
    if (hdr.size() != 9) {
        ADD_FAILURE() << "a reply header is 9 bytes; got " << hdr.size();
        return r;
    }
    r.status = static_cast<unsigned char>(hdr[0]);
    for (int i = 1; i < 9; i++)
        r.size = (r.size << 8) | static_cast<unsigned char>(hdr[i]);
    r.body = c.recv_exact(r.size);
    return r;
}

}  // namespace

TEST(FiletransferProtocol, ReplyIsStatusThenBigEndianSizeThenTheBytes)
{
    Server srv;
    ASSERT_NE(srv.port, 0);
    std::string bytes = random_bytes(70000, 4);  // 0x11170: three size bytes in use
    write_file(srv.served / "f", bytes);
    Client c(srv.port);
    send_request(c, "f");
    std::string hdr = c.recv_exact(9);
    EXPECT_EQ(hdr, std::string("\0\0\0\0\0\0\x01\x11\x70", 9));
    EXPECT_TRUE(c.recv_exact(70000) == bytes);
}

TEST(FiletransferProtocol, RefusalCarriesStatusAndReason)
{
    Server srv;
    ASSERT_NE(srv.port, 0);
    Client c(srv.port);
    send_request(c, "nope");
    Reply r = recv_reply(c);
    EXPECT_EQ(r.status, 1);
    EXPECT_EQ(r.body, "no such file");
}

TEST(FiletransferProtocol, ManyRequestsOnOneConnection)
{
    Server srv;
    ASSERT_NE(srv.port, 0);
    write_file(srv.served / "a", "alpha");
    write_file(srv.served / "b", "");
    Client c(srv.port);
    for (const char *p : {"a", "b", "missing", "a"})
        send_request(c, p);  // pipelined: all four before any answer
    EXPECT_EQ(recv_reply(c).body, "alpha");
    EXPECT_EQ(recv_reply(c).size, 0u);
    EXPECT_EQ(recv_reply(c).status, 1);
    EXPECT_EQ(recv_reply(c).body, "alpha");
}

TEST(FiletransferProtocol, ChildKeepsNoDescriptorFromOneRequestToTheNext)
{
    Server srv;
    ASSERT_NE(srv.port, 0);
    write_file(srv.served / "a", "alpha");
    Client c(srv.port);
    ASSERT_TRUE(eventually([&] { return srv.proc.children().size() == 1; })) << "one child per client";
    pid_t kid = srv.proc.children()[0];
    // What the child holds between requests: its one connection (the
    // listening socket closed after fork) and no file it served.
    const std::string served = srv.served.path() + "/";
    auto targets = [&] {
        std::vector<std::string> t;
        std::string dir = "/proc/" + std::to_string(kid) + "/fd";
        if (DIR *d = opendir(dir.c_str())) {
            while (dirent *e = readdir(d)) {
                char buf[4096];
                ssize_t n = e->d_name[0] == '.' ? -1 : readlink((dir + "/" + e->d_name).c_str(), buf, sizeof buf);
                if (n > 0)
                    t.emplace_back(buf, n);
            }
            closedir(d);
        }
        return t;
    };
    auto between_requests = [&] {
        auto t = targets();
        auto sockets = std::count_if(t.begin(), t.end(), [](auto &s) { return s.starts_with("socket:"); });
        auto files = std::count_if(t.begin(), t.end(), [&](auto &s) { return s.starts_with(served); });
        return sockets == 1 && files == 0;
    };
    // The child closes the listening socket just after fork and each file
    // just after sending it: give it those moments, never more.
    send_request(c, "a");
    EXPECT_EQ(recv_reply(c).body, "alpha");
    ASSERT_TRUE(eventually(between_requests)) << ::testing::PrintToString(targets());
    const auto before = targets().size();
    for (int i = 0; i < 5; i++) {
        for (const char *p : {"a", "missing", "."})
            send_request(c, p);
        EXPECT_EQ(recv_reply(c).status, 0);
        EXPECT_EQ(recv_reply(c).status, 1);
        EXPECT_EQ(recv_reply(c).status, 3);
    }
    EXPECT_TRUE(eventually([&] { return between_requests() && targets().size() == before; }))
        << "after 15 requests: " << ::testing::PrintToString(targets()) << "; " << before << " before";
}

TEST(FiletransferProtocol, NulInPathIsRefusedAndTheConnectionGoesOn)
{
    Server srv;
    ASSERT_NE(srv.port, 0);
    write_file(srv.served / "ok", "ok");
    Client c(srv.port);
    send_request(c, std::string("ok\0/../../etc/passwd", 20));
    Reply r = recv_reply(c);
    EXPECT_EQ(r.status, 5);
    EXPECT_THAT(r.body, HasSubstr("NUL"));
    send_request(c, "ok");
    EXPECT_EQ(recv_reply(c).body, "ok");
}

TEST(FiletransferProtocol, HugeLengthIsRefusedThenTheConnectionClosed)
{
    Server srv;
    ASSERT_NE(srv.port, 0);
    write_file(srv.served / "ok", "ok");
    {
        Client c(srv.port);
        ASSERT_TRUE(c.send_u32(0xffffffffu));
        Reply r = recv_reply(c);
        EXPECT_EQ(r.status, 5);
        EXPECT_THAT(r.body, HasSubstr("too long"));
        EXPECT_TRUE(c.closed_by_peer());
    }
    Client next(srv.port);
    send_request(next, "ok");
    EXPECT_EQ(recv_reply(next).body, "ok");
}

TEST(FiletransferProtocol, FifoIsRefusedWithoutWaitingForAWriter)
{
    Server srv;
    ASSERT_NE(srv.port, 0);
    ASSERT_EQ(mkfifo((srv.served / "fifo").c_str(), 0644), 0);
    Client c(srv.port);
    send_request(c, "fifo");
    Reply r = recv_reply(c);
    EXPECT_EQ(r.status, 3);
    EXPECT_EQ(r.body, "not a regular file");
}

TEST(FiletransferProtocol, PathsInsideTheDirectoryAreServed)
{
    Server srv;
    ASSERT_NE(srv.port, 0);
    mkdir((srv.served / "sub").c_str(), 0755);
    write_file(srv.served / "sub/f", "inside");
    ASSERT_EQ(symlink("sub/f", (srv.served / "link").c_str()), 0);
    char real[PATH_MAX];
    ASSERT_NE(realpath(srv.served.path().c_str(), real), nullptr);
    Client c(srv.port);
    for (const std::string &p : std::vector<std::string>{"sub/f", "./sub/../sub/f", "link", std::string(real) + "/sub/f"}) {
        send_request(c, p);
        Reply r = recv_reply(c);
        EXPECT_EQ(r.status, 0) << p << ": " << r.body;
        EXPECT_EQ(r.body, "inside") << p;
    }
}

// Every escape, through openat2(RESOLVE_BENEATH) and through the fallback
// for kernels without it (realpath() checks).
void expect_confined(Server &srv)
{
    ASSERT_NE(srv.port, 0);
    TempDir outside;
    write_file(outside / "secret", "secret");
    mkdir((srv.served / "sub").c_str(), 0755);
    write_file(srv.served / "sub/f", "inside");
    ASSERT_EQ(symlink((outside / "secret").c_str(), (srv.served / "out").c_str()), 0);
    ASSERT_EQ(symlink("..", (srv.served / "sub/up").c_str()), 0);
    ASSERT_EQ(symlink("../..", (srv.served / "sub/upup").c_str()), 0);
    ASSERT_EQ(symlink("sub/f", (srv.served / "in").c_str()), 0);
    ASSERT_EQ(symlink("loop", (srv.served / "loop").c_str()), 0);
    char real[PATH_MAX];
    ASSERT_NE(realpath(srv.served.path().c_str(), real), nullptr);
    ASSERT_EQ(symlink((std::string(real) + "/sub/f").c_str(), (srv.served / "abs-in").c_str()), 0);
    ASSERT_EQ(symlink((std::string(real) + "/sub").c_str(), (srv.served / "abs-dir").c_str()), 0);
    ASSERT_EQ(symlink("/no-such-dir/x", (srv.served / "abs-missing").c_str()), 0);
    std::string name = outside.path().substr(outside.path().rfind('/') + 1);
    struct Case {
        std::string path;
        int status;
    };
    Client c(srv.port);
    for (const Case &k : std::vector<Case>{{"../" + name + "/secret", 4},
                                           {"sub/../../" + name + "/secret", 4},
                                           {outside / "secret", 4},
                                           {"out", 4},
                                           {"sub/upup/" + name + "/secret", 4},
                                           {"/", 4},
                                           // outside, whether or not the place exists
                                           {"../no-such-dir/secret", 4},
                                           {"sub/../../no-such-dir", 4},
                                           {"abs-missing", 4},
                                           // absolute targets that stay inside
                                           {"abs-in", 0},
                                           {"abs-dir/f", 0},
                                           {"abs-dir/../sub/f", 0},
                                           {"sub/up/sub/f", 0},
                                           {"./sub/../sub/f", 0},
                                           {"in", 0},
                                           {"loop", 1},
                                           {"sub/missing", 1},
                                           {"sub/f/x", 1},
                                           {"sub", 3}}) {
        send_request(c, k.path);
        Reply r = recv_reply(c);
        EXPECT_EQ(r.status, k.status) << k.path << ": " << r.body;
        if (k.status == 0) {
            EXPECT_EQ(r.body, "inside") << k.path;
        }
    }
}

TEST(FiletransferProtocol, EscapesAreRefusedWithOpenat2)
{
    Server srv;
    expect_confined(srv);
}

TEST(FiletransferProtocol, EscapesAreRefusedWithoutOpenat2)
{
    Server srv({"FTSERVER_NO_OPENAT2=1"});
    expect_confined(srv);
}

// "d" swapped, as fast as rename(2) goes, between a real directory inside
// and a symlink to a directory outside, while requests for "d/f" go
// through: every answer is the inside file or a refusal, never the outside
// one.  (A check of the path followed by an open of it, as the old
// fallback did, loses this race: "d" is a directory when checked and a
// link when opened; it did in 3 of 82 requests here, and 23 of 19,000 in
// issue 20's run.)  Bounded: 2000 requests or 4 seconds.
void expect_swaps_never_lead_out(Server &srv)
{
    ASSERT_NE(srv.port, 0);
    TempDir outside;
    write_file(outside / "f", "secret");
    mkdir((srv.served / "dir").c_str(), 0755);
    write_file(srv.served / "dir/f", "inside");
    ASSERT_EQ(symlink(outside.path().c_str(), (srv.served / "link").c_str()), 0);
    std::atomic<bool> stop{false};
    std::thread swapper([&] {
        std::string d = srv.served / "d";
        while (!stop) {
            for (const char *name : {"dir", "link"}) {
                std::string from = srv.served / name;
                rename(from.c_str(), d.c_str());
                rename(d.c_str(), from.c_str());
            }
        }
    });
    Client c(srv.port);
    int escapes = 0, served = 0, refused = 0;
    auto deadline = std::chrono::steady_clock::now() + 4s;
    const std::string request("\0\0\0\3d/f", 7);  // one write: no wait for a delayed ACK
    for (int i = 0; i < 2000 && std::chrono::steady_clock::now() < deadline; i++) {
        if (!c.send(request))
            break;
        Reply r = recv_reply(c);
        if (r.status < 0)
            break;
        if (r.status == 0 && r.body != "inside")
            escapes++;
        (r.status == 0 ? served : refused)++;
        if (i % 100 == 0)
            srv.proc.stderr_text();  // drain the log: a full pipe would stop the server
    }
    stop = true;
    swapper.join();
    EXPECT_EQ(escapes, 0) << served << " served, " << refused << " refused";
    EXPECT_GT(served, 0) << "the inside file was never served: the test raced nothing";
}

TEST(FiletransferProtocol, SymlinkSwapsNeverLeadOutWithOpenat2)
{
    Server srv;
    expect_swaps_never_lead_out(srv);
}

TEST(FiletransferProtocol, SymlinkSwapsNeverLeadOutWithoutOpenat2)
{
    Server srv({"FTSERVER_NO_OPENAT2=1"});
    expect_swaps_never_lead_out(srv);
}

// PROTOCOL.md: a path of up to 64 KiB is refused and the session goes on;
// a longer one is refused and the connection closed.
TEST(FiletransferProtocol, PathOf64KiBIsRefusedAndTheSessionGoesOn)
{
    Server srv;
    ASSERT_NE(srv.port, 0);
    write_file(srv.served / "ok", "ok");
    Client c(srv.port);
    send_request(c, std::string(65536, 'a'));
    Reply r = recv_reply(c);
    EXPECT_EQ(r.status, 5);
    EXPECT_THAT(r.body, HasSubstr("too long"));
    send_request(c, "ok");
    EXPECT_EQ(recv_reply(c).body, "ok") << "the session should go on after a 65,536-byte path";

    send_request(c, std::string(65537, 'a'));
    EXPECT_EQ(recv_reply(c).status, 5);
    EXPECT_TRUE(c.closed_by_peer()) << "beyond 64 KiB the server closes the connection";
}

TEST(Filetransfer, ServerLogsEachRequestOnOneLine)
{
    Server srv;
    ASSERT_NE(srv.port, 0);
    write_file(srv.served / "a", "12345");
    TempDir here;
    Process c = Process::run("ftcli02", {"127.0.0.1", std::to_string(srv.port)}, {{}, here.path()});
    c.write_stdin("a\nnope\na again\n");
    c.close_stdin();
    c.wait();
    std::string log;
    ASSERT_TRUE(eventually([&] {
        log = srv.proc.stderr_text();
        return std::count(log.begin(), log.end(), '\n') >= 4;
    })) << log;
    std::smatch m;
    std::regex ok(R"(127\.0\.0\.1:(\d+) "a" ok 5 bytes)");
    ASSERT_TRUE(std::regex_search(log, m, ok)) << log;
    std::string port = m[1];
    EXPECT_THAT(log, HasSubstr("127.0.0.1:" + port + " \"nope\" refused: no such file"));
    // One connection for the whole session: the same client port throughout.
    std::string rest = m.suffix();
    EXPECT_THAT(rest, HasSubstr("127.0.0.1:" + port + " \"a\" ok 5 bytes"));
}

TEST(Filetransfer, ServerRefusesADirectoryItCannotOpen)
{
    Process p = Process::run("ftserv02", {"-d", "/nonexistent/dir", "0"});
    ExitStatus st = p.wait();
    EXPECT_TRUE(st.exited && st.code != 0) << st.describe();
    EXPECT_THAT(p.stderr_text(), HasSubstr("ftserv02: /nonexistent/dir: open error: No such file or directory"));
}

TEST(Filetransfer, EveryProgramPrintsUsageForWrongArguments)
{
    struct Case {
        const char *prog;
        std::vector<std::string> args;
        const char *usage;
    };
    for (const Case &k : {Case{"FTServer", {}, "usage: FTServer <port>"},
                          Case{"FTClient", {"127.0.0.1", "1"}, "usage: FTClient [-t SECONDS] <IPaddress> <port> <remote-path> <local-file>"},
                          Case{"ftserv02", {"1", "2"}, "usage: ftserv02 [-d DIR] [-i SECONDS] [port]"},
                          Case{"ftcli02", {"127.0.0.1"}, "usage: ftcli02 [-f] [-t SECONDS] <host> <port>"}}) {
        Process p = Process::run(k.prog, k.args);
        ExitStatus st = p.wait();
        EXPECT_TRUE(st.exited && st.code != 0) << k.prog << ": " << st.describe();
        EXPECT_THAT(p.stderr_text(), StartsWith(k.usage)) << k.prog;
    }
}

TEST(Filetransfer, ClientNamesTheServerItCannotReach)
{
    RefusingPort refusing;  // held to the end
    ASSERT_NE(refusing.port(), 0);
    int port = refusing.port();
    Process p = Process::run("ftcli02", {"127.0.0.1", std::to_string(port)});
    ExitStatus st = p.wait();
    EXPECT_TRUE(st.exited && st.code != 0) << st.describe();
    EXPECT_THAT(p.stderr_text(), HasSubstr("connect error: 127.0.0.1 port " + std::to_string(port) + ": Connection refused"));
}

// On a terminal, a large file shows its progress on stderr: percentage,
// bytes, rate; redrawn in place with '\r'.  script(1) gives the client one.
TEST(Filetransfer, ProgressBarOnATerminalOnly)
{
    if (access("/usr/bin/script", X_OK) != 0)
        GTEST_SKIP() << "no script(1) to give the client a terminal";
    Server srv;
    ASSERT_NE(srv.port, 0);
    write_file(srv.served / "big", random_bytes(4 << 20));
    TempDir here;
    write_file(here / "requests", "big copy\n");
    std::string cmd = "cd '" + here.path() + "' && '" + program_path("ftcli02") + "' 127.0.0.1 " +
                      std::to_string(srv.port) + " < requests";
    Process p = Process::start({"/usr/bin/script", "-qec", cmd, "/dev/null"});
    std::string out = p.read_rest();
    EXPECT_EQ(p.wait().describe(), "exit 0") << out;
    EXPECT_THAT(out, HasSubstr("\rcopy 100% [########################] 4.0 MiB / 4.0 MiB")) << out;
    EXPECT_EQ(read_file(here / "copy").size(), 4u << 20);
}
