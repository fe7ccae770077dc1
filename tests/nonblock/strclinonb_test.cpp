// SPDX-License-Identifier: MIT
// strclinonb: a large transfer comes back byte for byte, and the server's
// bytes reach stdout while the socket cannot take any more of ours (where
// the blocking str_cli would sit in write() and print nothing).
#include "nonblock_support.hpp"

#include <gmock/gmock.h>

#include <fcntl.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <thread>

using namespace socklab::test;
using namespace std::chrono_literals;

namespace {

std::string random_bytes(size_t n)
{
    std::mt19937 gen(16);
    std::uniform_int_distribution<int> byte(0, 255);
    std::string s(n, '\0');
    for (char &c : s)
        c = static_cast<char>(byte(gen));
    return s;
}

std::string slurp(const std::filesystem::path &p)
{
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// Bytes waiting in pid's stdin pipe (FIONREAD on the pipe, reached through
// /proc); -1 if it cannot be read.
int stdin_queued(pid_t pid)
{
    std::string path = "/proc/" + std::to_string(pid) + "/fd/0";
    unp::Fd fd(open(path.c_str(), O_RDONLY | O_NONBLOCK));
    int n = -1;
    if (!fd || ioctl(fd.get(), FIONREAD, &n) < 0)
        return -1;
    return n;
}

}  // namespace

TEST(Strclinonb, EightMegabytesThroughTheEchoServerComeBackExactly)
{
    Process server = Process::run("tcpserv04", {"0"});
    int port = server.wait_for_port();
    ASSERT_NE(port, 0);

    auto dir = std::filesystem::temp_directory_path() / ("snb-strcli-" + std::to_string(getpid()));
    std::filesystem::create_directories(dir);
    std::string data = random_bytes(8 << 20);
    std::ofstream(dir / "in", std::ios::binary) << data;

    Process client = Process::start({"/bin/sh", "-c",
                                     program_path("strclinonb") + " -v 127.0.0.1 " + std::to_string(port) +
                                         " < " + (dir / "in").string() + " > " + (dir / "out").string()});
    ExitStatus st = client.wait(30s);
    EXPECT_TRUE(st.exited && st.code == 0) << st.describe() << "\n" << client.stderr_text().substr(0, 2000);
    EXPECT_TRUE(slurp(dir / "out") == data) << "the echo differs from what was sent";

    // The trace shows both directions at work before stdin ended.
    std::string trace = client.stderr_text();
    size_t eof = trace.find("EOF on stdin");
    ASSERT_NE(eof, std::string::npos);
    EXPECT_LT(trace.find("from socket"), eof) << "nothing read from the socket while stdin was open";
    EXPECT_LT(trace.find("to stdout"), eof);
    std::filesystem::remove_all(dir);
}

TEST(Strclinonb, ServerBytesGetThroughWhileTheSocketIsFull)
{
    Listener l(1);
    ASSERT_NE(l.port, 0);
    int small = 4096;  // our receive buffer: the client's writes stop soon
    setsockopt(l.fd.get(), SOL_SOCKET, SO_RCVBUF, &small, sizeof small);

    Process client = Process::run("strclinonb", {"127.0.0.1", std::to_string(l.port)});
    unp::Fd conn = l.accept();
    ASSERT_TRUE(conn);

    // Feed far more than every buffer on the way holds, and read none of it.
    const size_t total = 16 << 20;
    std::thread feeder([&] { client.write_stdin(std::string(total, 'x')); client.close_stdin(); });
    struct Join {
        Process &p;
        std::thread &t;
        ~Join() { if (t.joinable()) { p.stop(); t.join(); } }
    } join{client, feeder};

    // The client stops reading stdin once to[] is full: its socket takes
    // nothing more, and the pipe to its stdin fills up (64 KiB).
    ASSERT_TRUE(eventually([&] { return stdin_queued(client.pid()) >= 65536; }, 20s))
        << "stdin pipe holds " << stdin_queued(client.pid());

    std::string hello = "hello while you are stuck\n";
    ASSERT_EQ(write(conn.get(), hello.data(), hello.size()), static_cast<ssize_t>(hello.size()));
    EXPECT_TRUE(client.wait_for_line(std::regex("hello while you are stuck"), 5s))
        << "the server's line did not reach stdout while the client's writes were stuck";

    // Now drain: every byte arrives, then our FIN ends the client cleanly.
    size_t got = 0;
    char buf[65536];
    ssize_t n;
    while (wait_fd(conn.get(), POLLIN, 10s) && (n = read(conn.get(), buf, sizeof buf)) > 0)
        got += static_cast<size_t>(n);
    EXPECT_EQ(got, total);
    feeder.join();
    conn.reset();
    ExitStatus st = client.wait();
    EXPECT_TRUE(st.exited && st.code == 0) << st.describe() << " " << client.stderr_text();
}

TEST(Strclinonb, UsageAndHelp)
{
    Process bad = Process::run("strclinonb", {});
    ExitStatus st = bad.wait();
    EXPECT_TRUE(st.exited && st.code != 0);
    EXPECT_THAT(bad.stderr_text(), ::testing::HasSubstr("usage: strclinonb"));
    Process help = Process::run("strclinonb", {"--help"});
    EXPECT_THAT(help.read_rest(), ::testing::HasSubstr("usage: strclinonb"));
    EXPECT_EQ(help.wait().code, 0);
}
