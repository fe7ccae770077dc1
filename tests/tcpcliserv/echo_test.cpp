// SPDX-License-Identifier: MIT
// The echo exercise: tcpserv00 (iterative), tcpserv01 (fork) and tcpcli01.
//
// Suite EchoLab uses only those three programs: the exercises grader runs
// it against a student's binaries (SOCKLAB_PROG_tcpserv01=... and so on).
#include "helpers.hpp"

#include <gmock/gmock.h>

using namespace socklab::test;
using ::testing::HasSubstr;

namespace {

// tcpcli01 connected to the server on port.
Process start_client(int port)
{
    return Process::run("tcpcli01", {"127.0.0.1", std::to_string(port)});
}

void expect_byte_exact_echo(const std::string &server_name, const std::string &input)
{
    Server s = start_server(server_name);
    ASSERT_NE(s.port, 0);
    Process client = start_client(s.port);
    std::string out = pipe_through(client, input);
    EXPECT_TRUE(out == input) << server_name << ": " << first_difference(out, input);
    EXPECT_EQ(client.wait().describe(), "exit 0") << client.stderr_text();
}

}  // namespace

TEST(EchoLab, ClientEchoesShortLines)
{
    Server s = start_server("tcpserv01");
    ASSERT_NE(s.port, 0);
    Process client = start_client(s.port);
    for (std::string line : {"hello", "a", "two words", "", "tabs\tand spaces  "}) {
        ASSERT_TRUE(client.write_stdin(line + "\n"));
        EXPECT_EQ(client.read_line(), line);
    }
    client.close_stdin();
    EXPECT_EQ(client.wait().describe(), "exit 0") << client.stderr_text();
}

TEST(EchoLab, LinesNearAndPastMaxlineComeBackByteExact)
{
    std::string input;
    for (size_t len : {4094, 4095, 4096, 4097, 8191, 8192, 10000})  // MAXLINE is 4096
        input += std::string(len, static_cast<char>('a' + len % 26)) + "\n";
    expect_byte_exact_echo("tcpserv01", input);
}

TEST(EchoLab, OneMebibytePipedThroughForkServer)
{
    expect_byte_exact_echo("tcpserv01", test_bytes(1 << 20));
}

TEST(EchoLab, OneMebibytePipedThroughIterativeServer)
{
    expect_byte_exact_echo("tcpserv00", test_bytes(1 << 20, 2));
}

TEST(EchoLab, ClientExitsCleanlyAtEndOfInput)
{
    Server s = start_server("tcpserv00");
    ASSERT_NE(s.port, 0);
    Process client = start_client(s.port);
    ASSERT_TRUE(client.write_stdin("last line\n"));
    EXPECT_EQ(client.read_line(), "last line");
    client.close_stdin();
    EXPECT_EQ(client.wait().describe(), "exit 0") << client.stderr_text();
    EXPECT_EQ(client.stderr_text(), "");
    // The client's FIN ends the server's loop: it accepts the next client.
    Client next(s.port);
    ASSERT_TRUE(next.send("next\n"));
    EXPECT_EQ(next.recv_line(), "next");
}

TEST(EchoLab, ClientReportsServerTerminatedPrematurely)
{
    Server s = start_server("tcpserv01");
    ASSERT_NE(s.port, 0);
    Process client = start_client(s.port);
    ASSERT_TRUE(client.write_stdin("before\n"));
    ASSERT_EQ(client.read_line(), "before");

    // Kill the child serving this client: its TCP sends FIN.
    auto children = s.proc.children();
    ASSERT_EQ(children.size(), 1u);
    ::kill(children[0], SIGKILL);
    ASSERT_TRUE(eventually([&] { return has_exited(children[0]); }));
    // The client's TCP has the FIN (its socket is in CLOSE_WAIT) before the
    // client sends anything: the RST it then draws cannot overtake the FIN.
    ASSERT_TRUE(eventually([&] { return client_end_got_fin(s.port); }));

    ASSERT_TRUE(client.write_stdin("after\n"));  // answered by RST; read() sees the FIN first
    auto status = client.wait();
    EXPECT_TRUE(status.exited && status.code != 0) << status.describe();
    EXPECT_THAT(client.stderr_text(), HasSubstr("server terminated prematurely"));
}

TEST(EchoLab, ForkServerAnswersTwoClientsAtOnce)
{
    Server s = start_server("tcpserv01");
    ASSERT_NE(s.port, 0);
    Client first(s.port), second(s.port);
    ASSERT_TRUE(first.connected() && second.connected());
    // Both connected, neither leaves: each is answered right away.
    ASSERT_TRUE(first.send("from the first\n"));
    EXPECT_EQ(first.recv_line(), "from the first");
    ASSERT_TRUE(second.send("from the second\n"));
    EXPECT_EQ(second.recv_line(), "from the second");
    ASSERT_TRUE(first.send("first again\n"));
    EXPECT_EQ(first.recv_line(), "first again");
}

TEST(EchoLab, IterativeServerMakesSecondClientWait)
{
    Server s = start_server("tcpserv00");
    ASSERT_NE(s.port, 0);
    Client first(s.port);
    ASSERT_TRUE(first.send("first\n"));
    ASSERT_EQ(first.recv_line(), "first");

    // The kernel completes the handshake from the listen backlog...
    Client second(s.port);
    ASSERT_TRUE(second.connected());
    ASSERT_TRUE(second.send("second\n"));
    // ...but nobody reads until the server is done with the first client.
    EXPECT_EQ(second.recv_line(300ms), std::nullopt);

    first.close();
    EXPECT_EQ(second.recv_line(), "second");
}

TEST(EchoLab, SecondServerOnSamePortFailsWithBindError)
{
    for (std::string name : {"tcpserv00", "tcpserv01"}) {
        Server s = start_server(name);
        ASSERT_NE(s.port, 0);
        Process again = Process::run(name, {std::to_string(s.port)});
        auto status = again.wait();
        EXPECT_TRUE(status.exited && status.code != 0) << name << ": " << status.describe();
        EXPECT_THAT(again.stderr_text(), HasSubstr("bind error: Address already in use")) << name;
        EXPECT_TRUE(s.proc.running()) << name << ": the first server keeps serving";
    }
}

TEST(EchoLab, ForkServerParentAndChildCloseTheSocketsTheyDoNotUse)
{
    Server s = start_server("tcpserv01");
    ASSERT_NE(s.port, 0);
    int parent_fds = s.proc.open_fds();  // stdin, stdout, stderr, listening socket

    std::vector<Client> clients;
    for (int i = 0; i < 3; i++) {
        clients.emplace_back(s.port);
        ASSERT_TRUE(clients.back().send("hi\n"));
        ASSERT_EQ(clients.back().recv_line(), "hi");
    }
    // The parent closed each connected socket after fork (perhaps a moment
    // after the child answered)...
    EXPECT_TRUE(eventually([&] { return s.proc.open_fds() == parent_fds; }))
        << ::testing::PrintToString(s.proc.fd_targets());
    // ...and each child closed the listening socket: it holds only the
    // three standard descriptors and its own connection.
    auto children = s.proc.children();
    ASSERT_EQ(children.size(), 3u);
    for (pid_t child : children)
        EXPECT_EQ(fd_count(child), 4) << "child " << child;
}

TEST(EchoLab, ServersSurviveAClientThatResets)
{
    for (std::string name : {"tcpserv00", "tcpserv01"}) {
        Server s = start_server(name);
        ASSERT_NE(s.port, 0);
        {
            Client rude(s.port);
            ASSERT_TRUE(rude.send(std::string(100000, 'x')));  // some may be unread at the RST
            rude.reset();
        }
        Client polite(s.port);
        ASSERT_TRUE(polite.send("still there?\n"));
        EXPECT_EQ(polite.recv_line(), "still there?") << name;
        EXPECT_TRUE(s.proc.running()) << name << ": " << s.proc.stderr_text();
    }
}

TEST(EchoLab, WrongArgumentsPrintUsage)
{
    struct Case {
        std::string name;
        std::vector<std::string> args;
        std::string message;
    };
    for (const Case &c : {Case{"tcpcli01", {}, "usage: tcpcli01 <IPaddress> [port]"},
                          Case{"tcpserv00", {"1", "2"}, "usage: tcpserv00 [port]"},
                          Case{"tcpserv01", {"1", "2"}, "usage: tcpserv01 [port]"},
                          Case{"tcpserv01", {"http"}, "bad port number: http"}}) {
        Process p = Process::run(c.name, c.args);
        auto status = p.wait();
        EXPECT_TRUE(status.exited && status.code != 0) << c.name << ": " << status.describe();
        EXPECT_THAT(p.stderr_text(), HasSubstr(c.message));
    }
}

// ------------------------------------------------ beyond the exercise

TEST(Echo, ForkServerWithoutHandlerLeavesOneZombiePerFinishedClient)
{
    Server s = start_server("tcpserv01");
    ASSERT_NE(s.port, 0);
    for (int i = 0; i < 3; i++) {
        Client c(s.port);
        ASSERT_TRUE(c.send("bye\n"));
        ASSERT_EQ(c.recv_line(), "bye");
    }  // each client closes: each child returns from str_echo and exits
    EXPECT_TRUE(eventually([&] { return s.proc.zombie_children() == 3; }))
        << "zombies: " << s.proc.zombie_children();
}
