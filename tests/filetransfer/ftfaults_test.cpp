// SPDX-License-Identifier: MIT
// FiletransferFaults: what the file programs do when something goes wrong
// around them (issue 20): a transfer that breaks or is interrupted never
// costs the user an existing file, a server that accepts and says nothing
// does not hold a client for ever, a hostile server cannot write escape
// sequences to the student's terminal, and FTServer serves regular files
// only.
#include "ft_support.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <poll.h>
#include <sys/stat.h>

using namespace socklab::test;
using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

namespace {

bool hidden_temporary(const std::string &name) { return name.rfind(".copy.part-", 0) == 0; }

// FTClient fetching a 256 MiB sparse file from FTServer through a relay
// that holds the transfer still after 64 KiB: the client is mid-file, its
// temporary file open, for as long as the test likes.
struct Stalled {
    TempDir source, here;
    Process server;
    std::optional<PausingRelay> relay;
    std::optional<Process> client;

    // `kept`: what the test put under the final name beforehand, if anything.
    void start(const std::string &kept = "")
    {
        write_file(source / "big", "");
        ASSERT_EQ(truncate((source / "big").c_str(), 256 << 20), 0);
        server = Process::run("FTServer", {"0"});
        int port = server.wait_for_port();
        ASSERT_NE(port, 0);
        relay.emplace(port, 64 << 10);
        client.emplace(Process::run("FTClient", {"127.0.0.1", std::to_string(relay->port()), source / "big",
                                                 here / "copy"}));
        ASSERT_TRUE(relay->wait_paused()) << "the transfer never started";
        // The client has bytes to write once they are in its socket: wait
        // until it has written some (into its temporary file, or, as the
        // old FTClient did, into the final name), so the fault meets it
        // mid-file.
        ASSERT_TRUE(eventually([&] {
            for (const std::string &name : here.entries())
                if (name != "copy" || read_file(here / "copy") != kept)
                    return true;
            return false;
        })) << "FTClient wrote nothing";
    }
};

}  // namespace

TEST(FiletransferFaults, BrokenTransferLeavesAnExistingFileAsItWas)
{
    Stalled t;
    write_file(t.here / "copy", "the user's own file");
    ASSERT_NO_FATAL_FAILURE(t.start("the user's own file"));
    t.server.kill(SIGKILL);
    t.relay->resume();  // what the server had sent, then its end
    ExitStatus st = t.client->wait();
    EXPECT_TRUE(st.exited && st.code != 0) << st.describe();
    EXPECT_THAT(t.client->stderr_text(), HasSubstr("incomplete"));
    EXPECT_TRUE(read_file(t.here / "copy") == "the user's own file") << "the existing file was changed";
    EXPECT_THAT(t.here.entries(), ElementsAre("copy")) << "no temporary file left";
}

TEST(FiletransferFaults, InterruptedClientLeavesNoFileUnderTheFinalName)
{
    for (int signo : {SIGINT, SIGTERM}) {
        Stalled t;
        ASSERT_NO_FATAL_FAILURE(t.start());
        t.client->kill(signo);
        ExitStatus st = t.client->wait();
        EXPECT_TRUE(st.signaled && st.signal == signo) << strsignal(signo) << ": " << st.describe();
        EXPECT_TRUE(t.here.entries().empty()) << strsignal(signo) << ": left "
                                              << ::testing::PrintToString(t.here.entries());
    }
}

TEST(FiletransferFaults, InterruptedClientKeepsAnExistingFile)
{
    Stalled t;
    write_file(t.here / "copy", "the user's own file");
    ASSERT_NO_FATAL_FAILURE(t.start("the user's own file"));
    t.client->kill(SIGINT);
    t.client->wait();
    EXPECT_TRUE(read_file(t.here / "copy") == "the user's own file") << "the existing file was changed";
    EXPECT_THAT(t.here.entries(), ElementsAre("copy"));
}

TEST(FiletransferFaults, KilledClientLeavesOnlyAHiddenTemporary)
{
    Stalled t;
    ASSERT_NO_FATAL_FAILURE(t.start());
    t.client->kill(SIGKILL);
    EXPECT_EQ(t.client->wait().describe(), "killed by SIGKILL");
    for (const std::string &name : t.here.entries())
        EXPECT_TRUE(hidden_temporary(name)) << "left under a visible name: " << name;
}

// FTServer: a FIFO is refused at once (open() would wait for a writer), a
// symlink to /dev/zero too (it would stream for ever).
TEST(FiletransferFaults, FTServerServesRegularFilesOnly)
{
    TempDir dir, here;
    ASSERT_EQ(mkfifo((dir / "fifo").c_str(), 0644), 0);
    ASSERT_EQ(symlink("/dev/zero", (dir / "zero").c_str()), 0);
    for (const char *name : {"fifo", "zero"}) {
        Process server = Process::run("FTServer", {"0"});
        int port = server.wait_for_port();
        ASSERT_NE(port, 0);
        Process client = Process::run("FTClient", {"127.0.0.1", std::to_string(port), dir / name, here / "copy"});
        ExitStatus st = client.wait(5s);
        EXPECT_TRUE(st.exited && st.code == 1) << name << ": " << st.describe();
        EXPECT_THAT(client.stderr_text(), HasSubstr("not a regular file")) << name;
        EXPECT_TRUE(server.wait(5s).exited) << name << ": the server should answer and exit";
        EXPECT_FALSE(exists(here / "copy")) << name;
    }
}

namespace {

// A server that accepts, reads what the client sends, and either says
// nothing at all or answers `reply` and keeps the connection open.
struct FakeServer {
    unp::Fd listener = unp::listen_tcp("127.0.0.1", "0");
    int port() const { return unp::local_port(listener.get()); }
    unp::Fd accept_one()
    {
        pollfd pfd{listener.get(), POLLIN, 0};
        if (poll(&pfd, 1, 10000) != 1)
            return unp::Fd();
        return unp::Fd(accept(listener.get(), nullptr, nullptr));
    }
};

}  // namespace

TEST(FiletransferFaults, ClientsGiveUpOnAServerThatNeverAnswers)
{
    TempDir here;
    for (const char *prog : {"FTClient", "ftcli02"}) {
        FakeServer fake;
        std::vector<std::string> args{"-t", "1", "127.0.0.1", std::to_string(fake.port())};
        if (std::string(prog) == "FTClient") {
            args.push_back("/some/file");
            args.push_back(here / "copy");
        }
        Process client = Process::run(prog, args);
        client.write_stdin("some/file\n");
        unp::Fd conn = fake.accept_one();
        ASSERT_TRUE(conn) << prog << " never connected";
        ExitStatus st = client.wait(5s);  // 1 s of silence, then it must give up
        EXPECT_TRUE(st.exited && st.code == 1) << prog << ": " << st.describe();
        EXPECT_THAT(client.stderr_text(), HasSubstr("no answer from the server in 1 s")) << prog;
        EXPECT_TRUE(here.entries().empty()) << prog;
    }
}

TEST(FiletransferFaults, ClientsPrintTheServersReasonWithControlCharactersEscaped)
{
    const std::string hostile = "\x1b]0;owned\x07\x1b[2Jgone";
    TempDir here;
    for (const char *prog : {"FTClient", "ftcli02"}) {
        FakeServer fake;
        std::vector<std::string> args{"127.0.0.1", std::to_string(fake.port())};
        std::string reply;
        if (std::string(prog) == "FTClient") {
            args.push_back("/some/file");
            args.push_back(here / "copy");
            uint32_t len = htonl(static_cast<uint32_t>(-static_cast<int32_t>(hostile.size())));
            reply.assign(reinterpret_cast<const char *>(&len), 4);
        } else {
            reply.assign(9, '\0');
            reply[0] = 1;  // not found
            reply[8] = static_cast<char>(hostile.size());
        }
        reply += hostile;
        Process client = Process::run(prog, args);
        client.write_stdin("some/file\n");
        client.close_stdin();
        unp::Fd conn = fake.accept_one();
        ASSERT_TRUE(conn) << prog << " never connected";
        ASSERT_EQ(writen(conn.get(), reply.data(), reply.size()), static_cast<ssize_t>(reply.size()));
        ExitStatus st = client.wait();
        EXPECT_TRUE(st.exited && st.code == 1) << prog << ": " << st.describe();
        std::string err = client.stderr_text();
        EXPECT_THAT(err, AllOf(HasSubstr("\\x1b]0;owned\\x07\\x1b[2Jgone"), Not(HasSubstr("\x1b")))) << prog;
    }
}

// ftserv02 -i: a client silent for that long loses its child, with a line
// in the log; one that keeps asking does not.
TEST(FiletransferFaults, FtserverDisconnectsAnIdleClient)
{
    TempDir served;
    write_file(served / "f", "f");
    Process srv = Process::run("ftserv02", {"-d", served.path(), "-i", "1", "0"});
    int port = srv.wait_for_port();
    ASSERT_NE(port, 0);
    Client idle(port), busy(port);
    const std::string request("\0\0\0\1f", 5);
    for (int i = 0; i < 3; i++) {  // 1.5 s of requests, each within the timeout
        ASSERT_TRUE(busy.send(request));
        EXPECT_EQ(busy.recv_exact(10).size(), 10u);
        std::this_thread::sleep_for(500ms);  // the pause between requests is the point
    }
    EXPECT_TRUE(idle.closed_by_peer(5s)) << "the idle client is still connected";
    ASSERT_TRUE(busy.send(request));
    EXPECT_EQ(busy.recv_exact(10).size(), 10u) << "the busy client was disconnected too";
    std::string log;
    EXPECT_TRUE(eventually([&] { return (log = srv.stderr_text()).find("idle for 1 s: disconnected") != std::string::npos; }))
        << log;
}
