// SPDX-License-Identifier: MIT
// LotteryConcurrent: the two servers that serve many clients at once.
// LotteryServerFork gives every client a draw of its own (a child's copy);
// LotteryServerPoll is one process, and its clients share one draw.
#include "lottery_testing.hpp"

#include <gmock/gmock.h>

#include <fcntl.h>
#include <poll.h>

#include <map>
#include <thread>

using namespace lottery_testing;

namespace {

// True once every child the server forked and that ended has been reaped.
// Its output is read meanwhile: a server blocked on a full stdout pipe (in
// the SIGCHLD handler's "child N terminated") could reap nobody.
bool no_zombies(Process &server)
{
    return eventually([&] {
        drain(server);
        return server.zombie_children() == 0;
    });
}

// Runs `sessions` full sessions one after another on one server; every
// draw is checked, and the draws are returned in order.
std::vector<std::vector<int>> play_sessions(Server &server, int sessions)
{
    std::vector<std::vector<int>> draws;
    for (int i = 0; i < sessions && !::testing::Test::HasFailure(); i++) {
        draws.push_back(play_session(server.port));
        EXPECT_EQ(draw_problem(draws.back()), "") << "session " << i + 1;
        if (i % 200 == 0)
            drain(server.process);
    }
    return draws;
}

}  // namespace

// ------------------------------------------------------------ fork server

// Two clients connected at once are both served, and each has its own
// six numbers: a GEN in one does not show in the other's LIST.
TEST(LotteryConcurrent, ForkServerServesClientsAtOnceEachWithItsOwnDraw)
{
    auto [server, port] = start_server("LotteryServerFork", {"-s", "11"});
    Client a(port), b(port);
    ASSERT_TRUE(a.connected() && b.connected());
    int na = generated(ask(a, kGen));
    int nb = generated(ask(b, kGen));
    EXPECT_NE(na, 0);
    EXPECT_NE(nb, 0);
    EXPECT_EQ(ask(a, kList), numbers_line({na}));
    EXPECT_EQ(ask(b, kList), numbers_line({nb}));

    // Many at once: each of them draws a first number of its own.
    std::vector<Client> many;
    for (int i = 0; i < 20; i++)
        many.emplace_back(port);
    for (auto &c : many)
        EXPECT_NE(generated(ask(c, kGen)), 0);
}

// 1,000 sessions (a child each): every draw distinct and in range, every
// number from 1 to 45 drawn at least once, no two sessions alike (each
// child got a seed of its own), and no zombie or descriptor left behind.
TEST(LotteryConcurrent, ForkServerThousandSeededSessions)
{
    Server server = start_server("LotteryServerFork", {"-s", "2026"});
    int fds_before = server.process.open_fds();
    auto draws = play_sessions(server, 1000);
    ASSERT_EQ(draws.size(), 1000u);

    std::map<int, int> seen;
    for (const auto &d : draws)
        for (int n : d)
            seen[n]++;
    EXPECT_EQ(seen.size(), 45u);
    EXPECT_EQ(seen.begin()->first, 1);
    EXPECT_EQ(seen.rbegin()->first, 45);
    std::set<std::vector<int>> distinct(draws.begin(), draws.end());
    EXPECT_EQ(distinct.size(), draws.size()) << "children drew the same numbers: one seed for all?";

    drain(server.process);
    EXPECT_TRUE(no_zombies(server.process)) << server.process.zombie_children() << " zombies";
    EXPECT_EQ(server.process.open_fds(), fds_before) << ::testing::PrintToString(server.process.fd_targets());
}

// -s SEED repeats a whole run: the same sessions in the same order.
TEST(LotteryConcurrent, ForkServerSeedRepeatsTheRun)
{
    auto run = [] {
        Server server = start_server("LotteryServerFork", {"-s", "99"});
        return play_sessions(server, 3);
    };
    auto first = run();
    EXPECT_EQ(run(), first);
}

// -i 1: a client silent for a second is disconnected and its child ends,
// with a line saying so; a client that keeps talking stays; the default
// (300 s) is in the usage line's README and leaves a quiet client alone.
TEST(LotteryConcurrent, ForkServerDisconnectsIdleClients)
{
    auto [server, port] = start_server("LotteryServerFork", {"-s", "5", "-i", "1"});
    Client idle(port), busy(port);
    ASSERT_TRUE(idle.connected() && busy.connected());
    EXPECT_EQ(ask(idle, kList), "numbers: 0 0 0 0 0 0");
    EXPECT_EQ(ask(busy, kList), "numbers: 0 0 0 0 0 0");
    for (int i = 0; i < 6; i++) {  // 1.5 s of a command every 250 ms
        std::this_thread::sleep_for(250ms);  // the pace of a client that is not idle
        EXPECT_EQ(ask(busy, kList), "numbers: 0 0 0 0 0 0") << "after " << (i + 1) * 250 << " ms";
    }
    EXPECT_TRUE(idle.closed_by_peer(5s)) << "the idle client is still connected";
    auto line = server.wait_for_line(std::regex("idle for 1 s: disconnected"), 5s);
    ASSERT_TRUE(line.has_value()) << server.stdout_seen();
    EXPECT_THAT(*line, ::testing::StartsWith("127.0.0.1:"));
    EXPECT_EQ(ask(busy, kList), "numbers: 0 0 0 0 0 0");
    EXPECT_TRUE(no_zombies(server));

    // Without -i, a quiet client is kept (five minutes): still served after 1.5 s.
    auto [patient, port2] = start_server("LotteryServerFork", {"-s", "5"});
    Client quiet(port2);
    std::this_thread::sleep_for(1500ms);  // longer than the -i 1 above
    EXPECT_EQ(ask(quiet, kList), "numbers: 0 0 0 0 0 0");
}

// A bad -i is refused with its reason; -i 0 means never.
TEST(LotteryConcurrent, ForkServerIdleTimeoutArguments)
{
    auto bad = Process::run("LotteryServerFork", {"-i", "soon", "0"});
    EXPECT_EQ(bad.wait().code, 1);
    EXPECT_EQ(bad.stderr_text(), "bad idle timeout: soon (seconds, from 0 (never) to 86400)\n"
                                 "usage: LotteryServerFork [-s SEED] [-i SECONDS] [port]\n");
    auto help = Process::run("LotteryServerFork", {"--help"});
    EXPECT_EQ(help.read_rest(), "usage: LotteryServerFork [-s SEED] [-i SECONDS] [port]\n");
    auto never = start_server("LotteryServerFork", {"-i", "0"});
    EXPECT_NE(never.port, 0);
    auto poll_bad = Process::run("LotteryServerPoll", {"-i", "1", "0"});  // the fork server's alone
    EXPECT_EQ(poll_bad.wait().code, 1);
    EXPECT_EQ(poll_bad.stderr_text(), "usage: LotteryServerPoll [-s SEED] [port]\n");
}

// ------------------------------------------------------------ poll server

// One process, one draw: what one client draws, every client sees; after
// six GENs from anyone, everyone gets Full.
TEST(LotteryConcurrent, PollServerServesClientsAtOnceSharingOneDraw)
{
    auto [server, port] = start_server("LotteryServerPoll", {"-s", "11"});
    Client a(port), b(port);
    ASSERT_TRUE(a.connected() && b.connected());
    int na = generated(ask(a, kGen));
    int nb = generated(ask(b, kGen));
    EXPECT_NE(na, 0);
    EXPECT_NE(nb, 0);
    EXPECT_NE(na, nb);
    EXPECT_EQ(ask(a, kList), numbers_line({na, nb}));
    EXPECT_EQ(ask(b, kList), numbers_line({na, nb}));

    // Twenty more clients at once: four of them get the last numbers.
    std::vector<Client> many;
    for (int i = 0; i < 20; i++)
        many.emplace_back(port);
    std::vector<int> drawn = {na, nb};
    int full = 0;
    for (auto &c : many) {
        std::string answer = ask(c, kGen);
        if (answer == "Full")
            full++;
        else if (int n = generated(answer); n != 0)
            drawn.push_back(n);
        else
            ADD_FAILURE() << "GEN answered: " << answer;
    }
    EXPECT_EQ(full, 16);
    EXPECT_EQ(draw_problem(drawn), "");
    EXPECT_EQ(ask(b, kList), numbers_line(drawn));
    EXPECT_EQ(ask(many.back(), kList), numbers_line(drawn));
    ASSERT_TRUE(a.send(wire(kEnd)));
    EXPECT_TRUE(a.closed_by_peer());
    EXPECT_EQ(ask(b, kGen), "Full") << "b's session ended with a's";
}

// A client that sends and sends and never reads its answers must not stall
// the others: the server stops reading it instead of blocking on it.
TEST(LotteryConcurrent, PollServerIsNotStalledByAClientThatNeverReads)
{
    auto [server, port] = start_server("LotteryServerPoll", {"-s", "11"});
    Client hog(port);
    ASSERT_TRUE(hog.connected());
    // Send unknown commands until our socket takes no more: by then the
    // server's answers fill both socket buffers on its side too.
    fcntl(hog.fd(), F_SETFL, fcntl(hog.fd(), F_GETFL) | O_NONBLOCK);
    std::string garbage(64 * 1024, '\x7f');
    size_t sent = 0;
    for (int stuck = 0; stuck < 3;) {
        ssize_t n = ::send(hog.fd(), garbage.data(), garbage.size(), MSG_NOSIGNAL);
        if (n > 0) {
            sent += static_cast<size_t>(n);
            stuck = 0;
        } else {
            ASSERT_TRUE(errno == EAGAIN || errno == EWOULDBLOCK) << strerror(errno);
            pollfd p{hog.fd(), POLLOUT, 0};
            stuck += poll(&p, 1, 100) == 0;  // still full after 100 ms
        }
    }
    EXPECT_GT(sent, 64u * 1024);

    Client other(port);
    ASSERT_TRUE(other.connected());
    int n = generated(ask(other, kGen, 5s));
    EXPECT_NE(n, 0) << "a client that never reads stalled the server";
    EXPECT_EQ(ask(other, kList, 5s), numbers_line({n}));
    hog.reset();
    EXPECT_EQ(ask(other, kList, 5s), numbers_line({n}));
}

// Out of descriptors (ulimit -n 10: stdin, stdout, stderr, the listener
// and six clients), the poll server leaves new connections in the listen
// queue, says so once, and takes them as clients leave, instead of
// spinning on a listener that stays readable.
TEST(LotteryConcurrent, PollServerOutOfDescriptorsQueuesNewClients)
{
    Process server = Process::start({"/bin/sh", "-c", "ulimit -n 10 && exec \"$0\" -s 3 0",
                                     program_path("LotteryServerPoll")});
    int port = server.wait_for_port();
    ASSERT_NE(port, 0);
    std::vector<Client> served;
    for (int i = 0; i < 6; i++) {
        served.emplace_back(port);
        EXPECT_EQ(ask(served.back(), kList), "numbers: 0 0 0 0 0 0") << "client " << i + 1;
    }
    Client seventh(port), eighth(port);  // connected: the kernel queues them
    ASSERT_TRUE(seventh.connected() && eighth.connected());
    ASSERT_TRUE(seventh.send(wire(kList)) && eighth.send(wire(kList)));
    EXPECT_EQ(seventh.recv_line(300ms), std::nullopt) << "served beyond the descriptor limit?";

    served[0].close();  // a descriptor free: the seventh is taken
    EXPECT_EQ(seventh.recv_line(), "numbers: 0 0 0 0 0 0");
    served[1].close();
    EXPECT_EQ(eighth.recv_line(), "numbers: 0 0 0 0 0 0");
    EXPECT_NE(generated(ask(served[5], kGen)), 0);

    // One message each time the limit is reached (three here), not a flood.
    drain(server);
    std::string err = server.stderr_text();
    size_t lines = std::count(err.begin(), err.end(), '\n');
    EXPECT_TRUE(lines >= 1 && lines <= 3) << err.substr(0, 500);
    EXPECT_EQ(err.substr(0, err.find('\n')), "accept error: Too many open files");
    EXPECT_TRUE(server.running());
}

// ------------------------------------------------- both concurrent servers

// Half a command then gone (FIN or RST), commands 7 and -1, 1 MiB of
// garbage, 200 connections opened and dropped: each checked as it goes.
void send_bad_peers(int port, Process &server)
{
    for (bool reset : {false, true}) {  // half a command, then gone
        Client c(port);
        ASSERT_TRUE(c.connected());
        ASSERT_TRUE(c.send(wire(kList).substr(0, 3)));
        reset ? c.reset() : c.close();
    }
    {
        Client c(port);  // unknown commands
        ASSERT_TRUE(c.connected());
        EXPECT_EQ(ask(c, 7), "error: unknown command 7 (0:GEN 1:LIST 2:END)");
        EXPECT_EQ(ask(c, -1), "error: unknown command -1 (0:GEN 1:LIST 2:END)");
        EXPECT_EQ(ask(c, kList).substr(0, 8), "numbers:");
    }
    {
        Client c(port);  // 1 MiB of garbage
        ASSERT_TRUE(c.connected());
        const std::string line = "error: unknown command 2139062143 (0:GEN 1:LIST 2:END)\n";
        std::string answers = send_garbage(c, 1u << 20, (1u << 20) / 4 * line.size());
        EXPECT_EQ(answers.size(), (1u << 20) / 4 * line.size());
        EXPECT_EQ(answers.substr(answers.size() - line.size()), line);
        EXPECT_EQ(ask(c, kList).substr(0, 8), "numbers:");
        c.reset();
    }
    for (int i = 0; i < 200; i++) {  // opened and dropped, some mid-command
        Client c(port);
        ASSERT_TRUE(c.connected()) << "connection " << i;
        if (i % 3 == 1)
            c.send(wire(kGen).substr(0, 1 + i % 3));
        i % 2 ? c.reset() : c.close();
        if (i % 50 == 0)
            drain(server);
    }
}

class LotteryConcurrentBadPeers : public ::testing::TestWithParam<const char *> {};

// Half a command then gone (FIN or RST), 1 MiB of garbage, commands 7 and
// -1, 200 connections opened and dropped: the server still answers
// correctly, with no zombie and no descriptor left behind.
TEST_P(LotteryConcurrentBadPeers, ServerKeepsServingCorrectly)
{
    const bool shared = std::string(GetParam()) == "LotteryServerPoll";  // one draw for all
    Server server = start_server(GetParam(), {"-s", "5"});
    const int port = server.port;
    const int fds_alone = server.process.open_fds();  // stdin/out/err, listener
    Client watcher(port);  // connected throughout: a session that must go on
    ASSERT_TRUE(watcher.connected());
    int first = generated(ask(watcher, kGen));
    ASSERT_NE(first, 0);
    // The poll server holds the watcher's connection; a fork server's
    // parent has closed its copy.
    const int fds_with_watcher = fds_alone + (shared ? 1 : 0);
    EXPECT_TRUE(eventually([&] { return server.process.open_fds() == fds_with_watcher; }))
        << ::testing::PrintToString(server.process.fd_targets());

    send_bad_peers(port, server.process);
    if (HasFatalFailure())
        return;

    // The watcher's session goes on, and a new client is served correctly.
    EXPECT_EQ(ask(watcher, kList), numbers_line({first}));
    Client fresh(port);
    ASSERT_TRUE(fresh.connected());
    std::vector<int> drawn;
    if (shared)
        drawn.push_back(first);
    EXPECT_EQ(ask(fresh, kList), numbers_line(drawn));
    int next = generated(ask(fresh, kGen));
    EXPECT_NE(next, 0);
    drawn.push_back(next);
    EXPECT_EQ(ask(fresh, kList), numbers_line(drawn));
    fresh.close();

    EXPECT_TRUE(no_zombies(server.process)) << server.process.zombie_children() << " zombies";
    EXPECT_TRUE(eventually([&] { return server.process.open_fds() == fds_with_watcher; }))
        << "descriptors left open: " << ::testing::PrintToString(server.process.fd_targets());
    watcher.close();
    EXPECT_TRUE(eventually([&] { return server.process.open_fds() == fds_alone; }))
        << ::testing::PrintToString(server.process.fd_targets());
    EXPECT_TRUE(server.process.running());
    EXPECT_EQ(server.process.stderr_text(), "");
}

INSTANTIATE_TEST_SUITE_P(Servers, LotteryConcurrentBadPeers,
                         ::testing::Values("LotteryServerFork", "LotteryServerPoll"),
                         [](const auto &info) { return std::string(info.param); });
