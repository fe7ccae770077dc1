// SPDX-License-Identifier: MIT
// LotteryLab: what the lab's LotteryServer and LotteryClient must do.
// These run only those two programs, so the exercises grader runs the same
// checks against a student's: SOCKLAB_PROG_LotteryServer=/path and
// SOCKLAB_PROG_LotteryClient=/path.
#include "lottery_testing.hpp"

#include <gmock/gmock.h>

using namespace lottery_testing;
using ::testing::HasSubstr;
using ::testing::MatchesRegex;

namespace {

// The client's whole transcript for a session in which the client printed
// these answers, one prompt before each command and one before END.
std::string transcript(const std::vector<std::string> &answers)
{
    std::string out;
    for (const auto &a : answers)
        out += kPrompt + a + "\n";
    return out + kPrompt;
}

// The numbers the client printed after "New number generated: ", in order.
std::vector<int> numbers_in(const std::string &text)
{
    static const std::regex re(R"(New number generated: (\d+))");
    std::vector<int> drawn;
    for (std::sregex_iterator it(text.begin(), text.end(), re), end; it != end; ++it)
        drawn.push_back(std::stoi((*it)[1]));
    return drawn;
}

// Runs LotteryClient against `port` with `input` on its stdin (closed
// after), and returns it once it has ended.
Process run_client(int port, const std::string &input)
{
    Process client = Process::run("LotteryClient", {"127.0.0.1", std::to_string(port)});
    EXPECT_TRUE(client.write_stdin(input));
    client.close_stdin();
    EXPECT_EQ(client.wait().describe(), "exit 0") << client.stderr_text();
    return client;
}

}  // namespace

// Requirement 1: six GENs draw six distinct numbers in 1..45, the seventh
// answers Full, LIST shows the draw so far with zeros, END closes, and the
// server (which serves one client) ends.
TEST(LotteryLab, FullSessionDrawsSixDistinctNumbersThenFull)
{
    auto [server, port] = start_server("LotteryServer", {"-s", "1"});
    Client c(port);
    ASSERT_TRUE(c.connected());

    EXPECT_EQ(ask(c, kList), "numbers: 0 0 0 0 0 0");
    std::vector<int> drawn;
    for (int i = 0; i < 6; i++) {
        std::string answer = ask(c, kGen);
        ASSERT_NE(generated(answer), 0) << "GEN " << i + 1 << " answered: " << answer;
        drawn.push_back(generated(answer));
        EXPECT_EQ(ask(c, kList), numbers_line(drawn));
    }
    EXPECT_EQ(draw_problem(drawn), "");
    EXPECT_EQ(ask(c, kGen), "Full");
    EXPECT_EQ(ask(c, kGen), "Full");
    EXPECT_EQ(ask(c, kList), numbers_line(drawn));

    ASSERT_TRUE(c.send(wire(kEnd)));
    EXPECT_TRUE(c.closed_by_peer()) << "END did not close the connection";
    EXPECT_EQ(server.wait().describe(), "exit 0");
    EXPECT_EQ(server.stderr_text(), "");
}

// -s SEED: the same seed draws the same numbers; another seed, others.
TEST(LotteryLab, SeedMakesTheDrawReproducible)
{
    auto draw = [](const std::string &seed) {
        auto [server, port] = start_server("LotteryServer", {"-s", seed});
        std::vector<int> drawn = play_session(port);
        EXPECT_EQ(server.wait().describe(), "exit 0");
        return drawn;
    };
    std::vector<int> first = draw("42");
    EXPECT_EQ(draw_problem(first), "");
    EXPECT_EQ(numbers_line(draw("42")), numbers_line(first));
    EXPECT_NE(numbers_line(draw("43")), numbers_line(first));
}

// The handout's "Execution" page, typed into the client.
TEST(LotteryLab, ClientTranscriptMatchesTheHandout)
{
    auto [server, port] = start_server("LotteryServer", {"-s", "7"});
    Process client = run_client(port, "0\n0\n0\n1\n0\n0\n0\n0\n1\n2\n");
    std::string out = client.read_rest();

    std::vector<int> d = numbers_in(out);
    ASSERT_EQ(d.size(), 6u) << out;
    EXPECT_EQ(draw_problem(d), "");
    auto gen = [&](int i) { return "New number generated: " + std::to_string(d[i]); };
    EXPECT_EQ(out, transcript({gen(0), gen(1), gen(2), numbers_line({d[0], d[1], d[2]}), gen(3), gen(4),
                               gen(5), "Full", numbers_line(d)}));
    EXPECT_EQ(client.stderr_text(), "");
    EXPECT_EQ(server.wait().describe(), "exit 0");
}

// Letters, an empty line, 99, spaces: asked again, nothing sent for them.
TEST(LotteryLab, ClientAsksAgainOnInputThatIsNotACommand)
{
    auto [server, port] = start_server("LotteryServer", {"-s", "3"});
    Process client = run_client(port, "abc\n\n99\n-1\n 1 \n0\n2\n");
    std::string out = client.read_rest();
    std::vector<int> d = numbers_in(out);
    ASSERT_EQ(d.size(), 1u) << out;
    const std::string again = "please type 0, 1 or 2\n";
    EXPECT_EQ(out, kPrompt + again + kPrompt + kPrompt + again + kPrompt + again + kPrompt +
                       "numbers: 0 0 0 0 0 0\n" + kPrompt + "New number generated: " +
                       std::to_string(d[0]) + "\n" + kPrompt);
    EXPECT_EQ(server.wait().describe(), "exit 0");
}

// What the client puts on the wire: 4 bytes per command, network byte
// order; at end of input (Ctrl-D) it sends END and closes.
TEST(LotteryLab, ClientSendsCommandsInNetworkByteOrderAndEndAtEof)
{
    FakeServer fake;
    Process client = Process::run("LotteryClient", {"127.0.0.1", std::to_string(fake.port())});
    ASSERT_TRUE(fake.accept());
    ASSERT_TRUE(client.write_stdin("1\n"));
    EXPECT_EQ(fake.read(4), std::string("\0\0\0\1", 4));
    ASSERT_TRUE(fake.send("numbers: 0 0 0 0 0 0\n"));
    ASSERT_TRUE(client.write_stdin("0\n"));
    EXPECT_EQ(fake.read(4), std::string("\0\0\0\0", 4));
    ASSERT_TRUE(fake.send("New number generated: 9\n"));
    client.close_stdin();  // Ctrl-D
    EXPECT_EQ(fake.read(4), std::string("\0\0\0\2", 4)) << "END not sent at end of input";
    EXPECT_TRUE(fake.closed_by_peer());
    EXPECT_EQ(client.wait().describe(), "exit 0");
    EXPECT_EQ(client.read_rest(), kPrompt + "numbers: 0 0 0 0 0 0\n" + kPrompt +
                                      "New number generated: 9\n" + kPrompt + "\n");
}

// One read() may return part of an answer: the client must wait for the
// whole line (the handout's client printed whatever one read returned).
TEST(LotteryLab, ClientPrintsAnAnswerThatArrivesInPieces)
{
    FakeServer fake;
    Process client = Process::run("LotteryClient", {"127.0.0.1", std::to_string(fake.port())});
    ASSERT_TRUE(fake.accept());
    ASSERT_TRUE(client.write_stdin("0\n"));
    EXPECT_EQ(fake.read(4), std::string("\0\0\0\0", 4));
    ASSERT_TRUE(fake.send("New number gen"));
    // Nothing may be printed yet: the line is not complete.  (A client
    // that printed the piece prints no '\n', so look at all it printed.)
    EXPECT_EQ(client.read_line(300ms), std::nullopt);
    EXPECT_EQ(client.stdout_seen(), kPrompt) << "printed part of an answer";
    ASSERT_TRUE(fake.send("erated: 17\n"));
    EXPECT_EQ(client.read_line(), kPrompt + "New number generated: 17");
    client.close_stdin();
    EXPECT_EQ(client.wait().describe(), "exit 0");
}

// The server goes away while the client waits for an answer: a clear
// message, a non-zero exit.
TEST(LotteryLab, ClientReportsAServerThatWentAway)
{
    FakeServer fake;
    Process client = Process::run("LotteryClient", {"127.0.0.1", std::to_string(fake.port())});
    ASSERT_TRUE(fake.accept());
    ASSERT_TRUE(client.write_stdin("0\n"));
    EXPECT_EQ(fake.read(4), std::string("\0\0\0\0", 4));
    fake.close_connection();
    ExitStatus st = client.wait();
    EXPECT_TRUE(st.exited && st.code != 0) << st.describe();
    EXPECT_THAT(client.stderr_text(), HasSubstr("server terminated prematurely"));
}

// The server dies while the client waits at its prompt: the next command
// finds the connection closed, and the client says so.
TEST(LotteryLab, ClientReportsAServerKilledWhileItWaitsForInput)
{
    auto [server, port] = start_server("LotteryServer", {"-s", "2"});
    Process client = Process::run("LotteryClient", {"127.0.0.1", std::to_string(port)});
    ASSERT_TRUE(client.wait_for_text(kPrompt));
    server.kill(SIGKILL);
    EXPECT_EQ(server.wait().describe(), "killed by SIGKILL");
    ASSERT_TRUE(client.write_stdin("0\n"));
    ExitStatus st = client.wait();
    EXPECT_TRUE(st.exited && st.code != 0) << st.describe();
    EXPECT_THAT(client.stderr_text(),
                MatchesRegex("(.*server terminated prematurely|.*Connection reset by peer)\n"));
}

TEST(LotteryLab, ClientReportsARefusedConnection)
{
    RefusingPort nobody;  // held to the end: no other test's server can get it
    ASSERT_NE(nobody.port(), 0);
    Process client = Process::run("LotteryClient", {"127.0.0.1", std::to_string(nobody.port())});
    EXPECT_EQ(client.wait().describe(), "exit 1");
    EXPECT_EQ(client.stderr_text(), "connect error: Connection refused\n");
}

// Unknown commands get an error line; the session goes on.
TEST(LotteryLab, ServerAnswersUnknownCommandsAndGoesOn)
{
    auto [server, port] = start_server("LotteryServer", {"-s", "5"});
    Client c(port);
    ASSERT_TRUE(c.connected());
    EXPECT_EQ(ask(c, 7), "error: unknown command 7 (0:GEN 1:LIST 2:END)");
    EXPECT_EQ(ask(c, -1), "error: unknown command -1 (0:GEN 1:LIST 2:END)");
    EXPECT_EQ(ask(c, 3), "error: unknown command 3 (0:GEN 1:LIST 2:END)");
    int n = generated(ask(c, kGen));
    EXPECT_TRUE(n >= 1 && n <= 45) << n;
    EXPECT_EQ(ask(c, kList), numbers_line({n}));
    ASSERT_TRUE(c.send(wire(kEnd)));
    EXPECT_TRUE(c.closed_by_peer());
    EXPECT_EQ(server.wait().describe(), "exit 0");
}

// A command split over two segments, and several commands in one: the
// server reads exactly 4 bytes per command, whatever each read returns.
TEST(LotteryLab, ServerReadsCommandsWhateverTheSegments)
{
    auto [server, port] = start_server("LotteryServer", {"-s", "5"});
    Client c(port);
    ASSERT_TRUE(c.connected());
    std::string list = wire(kList);
    ASSERT_TRUE(c.send(list.substr(0, 2)));
    EXPECT_EQ(c.recv_line(200ms), std::nullopt) << "answered half a command";
    ASSERT_TRUE(c.send(list.substr(2)));
    EXPECT_EQ(c.recv_line(), "numbers: 0 0 0 0 0 0");

    ASSERT_TRUE(c.send(wire(kGen) + wire(kGen) + wire(kList)));
    int a = generated(c.recv_line().value_or(""));
    int b = generated(c.recv_line().value_or(""));
    EXPECT_EQ(c.recv_line(), numbers_line({a, b}));
}

// 1 MiB of garbage is 262,144 unknown commands: each gets its error line,
// and then the session still works, with no descriptor leaked.
TEST(LotteryLab, ServerSurvivesAMebibyteOfGarbage)
{
    auto [server, port] = start_server("LotteryServer", {"-s", "5"});
    Client c(port);
    ASSERT_TRUE(c.connected());
    EXPECT_EQ(ask(c, kList), "numbers: 0 0 0 0 0 0");
    int fds_before = server.open_fds();

    const std::string line = "error: unknown command 2139062143 (0:GEN 1:LIST 2:END)\n";
    const size_t words = (1u << 20) / 4;
    std::string answers = send_garbage(c, 1u << 20, words * line.size());
    EXPECT_EQ(answers.size(), words * line.size());
    size_t bad = 0;
    for (size_t at = 0; at < answers.size(); at += line.size())
        bad += answers.compare(at, line.size(), line) != 0;
    EXPECT_EQ(bad, 0u) << "answers that are not \"" << line.substr(0, line.size() - 1) << "\"; the first: "
                       << answers.substr(0, line.size());

    int n = generated(ask(c, kGen));
    EXPECT_TRUE(n >= 1 && n <= 45) << n;
    EXPECT_EQ(ask(c, kList), numbers_line({n}));
    EXPECT_EQ(server.open_fds(), fds_before) << ::testing::PrintToString(server.fd_targets());
    ASSERT_TRUE(c.send(wire(kEnd)));
    EXPECT_EQ(server.wait().describe(), "exit 0");
}

// A client that sends half a command and vanishes (with FIN, or with RST)
// ends the one session cleanly: no crash, no error exit.
TEST(LotteryLab, ServerEndsCleanlyWhenAClientVanishesMidCommand)
{
    for (bool reset : {false, true}) {
        SCOPED_TRACE(reset ? "closed with RST" : "closed with FIN");
        auto [server, port] = start_server("LotteryServer", {"-s", "5"});
        Client c(port);
        ASSERT_TRUE(c.connected());
        EXPECT_EQ(ask(c, kGen).substr(0, 22), "New number generated: ");
        ASSERT_TRUE(c.send(wire(kList).substr(0, 2)));
        reset ? c.reset() : c.close();
        EXPECT_EQ(server.wait().describe(), "exit 0");
    }
}

// Requirement 4: the lab server serves one client.  A second client's
// connect succeeds (the kernel completes it from the listen queue), but
// its command gets no answer while the first is served; when the first
// ends, the server ends and the second is dropped with an error.
TEST(LotteryLab, SecondClientWaitsThenIsDropped)
{
    auto [server, port] = start_server("LotteryServer", {"-s", "9"});
    Client first(port);
    ASSERT_TRUE(first.connected());
    EXPECT_NE(generated(ask(first, kGen)), 0);

    Process second = Process::run("LotteryClient", {"127.0.0.1", std::to_string(port)});
    ASSERT_TRUE(second.wait_for_text(kPrompt)) << "the second client's connect failed: "
                                                << second.stderr_text();
    ASSERT_TRUE(second.write_stdin("0\n"));
    EXPECT_EQ(second.read_line(300ms), std::nullopt) << "the second client was answered";
    EXPECT_TRUE(second.running());

    // The first is still served meanwhile.
    EXPECT_EQ(ask(first, kList).substr(0, 8), "numbers:");
    ASSERT_TRUE(first.send(wire(kEnd)));
    EXPECT_EQ(server.wait().describe(), "exit 0");

    ExitStatus st = second.wait();
    EXPECT_TRUE(st.exited && st.code != 0) << st.describe();
    // Reset in the backlog: the read fails, or (on a slow machine, if the
    // command left after the reset) the write does.
    EXPECT_THAT(second.stderr_text(),
                MatchesRegex("(.*Connection reset by peer|.*Broken pipe|.*server terminated prematurely)\n"));
}

// Connections that queue behind the first client and are dropped (with
// FIN or RST) before the server ever accepts them change nothing for it:
// they are the kernel's, not descriptors of the server.
TEST(LotteryLab, ConnectionsDroppedInTheQueueDoNotDisturbTheSession)
{
    auto [server, port] = start_server("LotteryServer", {"-s", "4"});
    Client first(port);
    ASSERT_TRUE(first.connected());
    int a = generated(ask(first, kGen));
    ASSERT_NE(a, 0);
    int fds = server.open_fds();
    for (int i = 0; i < 200; i++) {
        Client c(port);
        ASSERT_TRUE(c.connected()) << "connection " << i;
        if (i % 3 == 1)
            c.send(wire(kGen).substr(0, 1 + i % 3));
        i % 2 ? c.reset() : c.close();
    }
    EXPECT_EQ(server.open_fds(), fds) << ::testing::PrintToString(server.fd_targets());
    int b = generated(ask(first, kGen));
    EXPECT_NE(b, 0);
    EXPECT_EQ(ask(first, kList), numbers_line({a, b}));
    ASSERT_TRUE(first.send(wire(kEnd)));
    EXPECT_EQ(server.wait().describe(), "exit 0");
}

// Requirement 2: two servers on one port.  The second's bind() fails, it
// says so and exits non-zero; the first keeps serving.
TEST(LotteryLab, SecondServerOnTheSamePortFailsInBind)
{
    auto [first, port] = start_server("LotteryServer", {"-s", "1"});
    Process second = Process::run("LotteryServer", {std::to_string(port)});
    ExitStatus st = second.wait();
    EXPECT_TRUE(st.exited && st.code != 0) << st.describe();
    std::string err = second.stderr_text();
    EXPECT_EQ(err.substr(0, err.find('\n')), "bind error: Address already in use");

    Client c(port);
    ASSERT_TRUE(c.connected());
    EXPECT_EQ(ask(c, kList), "numbers: 0 0 0 0 0 0");
}

TEST(LotteryLab, WrongArgumentsPrintUsage)
{
    struct Case {
        std::string program;
        std::vector<std::string> args;
        std::string message;
    };
    const std::vector<Case> cases = {
        {"LotteryServer", {"1", "2"}, "usage: LotteryServer [-s SEED] [port]\n"},
        {"LotteryServer", {"-s"}, "usage: LotteryServer [-s SEED] [port]\n"},
        {"LotteryServer", {"-x", "0"}, "usage: LotteryServer [-s SEED] [port]\n"},
        {"LotteryServer", {"-s", "ten", "0"}, "bad seed: ten (use a number from 0 to 4294967295)\n"
                                                  "usage: LotteryServer [-s SEED] [port]\n"},
        {"LotteryServer", {"http"}, "bad port number: http (use 1024..65535, or 0 to let the kernel choose)\n"
                                       "usage: LotteryServer [-s SEED] [port]\n"},
        {"LotteryClient", {}, "usage: LotteryClient [-t SECONDS] <IPaddress> [port]\n"},
        {"LotteryClient", {"127.0.0.1", "1", "2"}, "usage: LotteryClient [-t SECONDS] <IPaddress> [port]\n"},
        {"LotteryClient", {"localhost", "9"},
         "inet_pton error for localhost: not a numeric IPv4 address such as 127.0.0.1 (for host "
         "names, use a client that calls getaddrinfo, e.g. daytimetcpcli_names)\n"
         "usage: LotteryClient [-t SECONDS] <IPaddress> [port]\n"},
    };
    for (const auto &c : cases) {
        SCOPED_TRACE(c.program + " " + ::testing::PrintToString(c.args));
        Process p = Process::run(c.program, c.args);
        EXPECT_EQ(p.wait().describe(), "exit 1");
        EXPECT_EQ(p.stderr_text(), c.message);
    }
}

// The handout's own server writes each answer with no '\n'.  The kit's
// client reads lines, so it would wait for ever; instead, a few seconds
// after the answer began, it says what came and what the protocol wants.
// (The kit's client only: not in LotteryLab, which the grader runs
// against a student's client.)
TEST(LotteryClientKit, AnswerWithoutNewlineIsExplained)
{
    FakeServer fake;
    Process client = Process::run("LotteryClient", {"127.0.0.1", std::to_string(fake.port())});
    ASSERT_TRUE(fake.accept());
    ASSERT_TRUE(client.write_stdin("0\n"));
    EXPECT_EQ(fake.read(4), std::string("\0\0\0\0", 4));
    auto sent = std::chrono::steady_clock::now();
    ASSERT_TRUE(fake.send("New number generated: 32"));  // as the handout's server: no '\n'
    ExitStatus st = client.wait(8s);
    auto waited = std::chrono::steady_clock::now() - sent;
    EXPECT_TRUE(st.exited && st.code == 1) << st.describe() << "\nstderr: " << client.stderr_text();
    std::string err = client.stderr_text();
    EXPECT_THAT(err, HasSubstr("the server's answer \"New number generated: 32\" (24 bytes) has no '\\n' after 3 s"))
        << err;
    EXPECT_THAT(err, HasSubstr("one text line ending in '\\n'")) << err;
    EXPECT_THAT(err, HasSubstr("handout's LotteryServer.c")) << err;
    EXPECT_GE(waited, 2900ms) << "gave up before the line had a fair chance to end";
}
