// SPDX-License-Identifier: MIT
// FiletransferIterativeLab: the iterative pair, ftserv02 and ftcli02.
// These checks use only those two programs (and the test's own sockets and
// relay), so the grader can run them against a student's binaries
// (SOCKLAB_PROG_ftserver, SOCKLAB_PROG_ftclient).
#include "ft_support.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>

#include <algorithm>
#include <climits>

using namespace socklab::test;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

namespace {

// ftserv02 serving a fresh directory, on a port the kernel picked.
struct Server {
    explicit Server(std::vector<std::string> prefix = {})
    {
        prefix.push_back(program_path("ftserv02"));
        for (const char *a : {"-d", served.path().c_str(), "0"})
            prefix.emplace_back(a);
        proc = Process::start(prefix);
        port = proc.wait_for_port();
    }
    TempDir served;
    Process proc;
    int port = 0;
};

struct Session {
    ExitStatus status;
    std::string out, err;
};

// ftcli02 in directory `cwd`, fed `input` on stdin, run to its end.
Session run_client(int port, const std::string &cwd, const std::string &input,
                   std::vector<std::string> options = {}, Millis timeout = kDefaultTimeout)
{
    options.push_back("127.0.0.1");
    options.push_back(std::to_string(port));
    Process c = Process::run("ftcli02", options, {{}, cwd});
    c.write_stdin(input);
    c.close_stdin();
    Session s;
    s.status = c.wait(timeout);
    s.out = c.read_rest(1s);
    s.err = c.stderr_text();
    return s;
}

void expect_exact_copy(const std::string &bytes)
{
    Server srv;
    ASSERT_NE(srv.port, 0);
    write_file(srv.served / "source", bytes);
    TempDir here;
    Session s = run_client(srv.port, here.path(), "source\n");
    EXPECT_EQ(s.status.describe(), "exit 0") << "ftcli02 stderr: " << s.err;
    EXPECT_THAT(here.entries(), ElementsAre("source")) << "exactly the file, no temporary left";
    std::string got = read_file(here / "source");
    EXPECT_EQ(got.size(), bytes.size()) << "size of the copy";
    EXPECT_TRUE(got == bytes) << "the copy differs from the original";
}

// `request` is refused with `reason`; no local file appears; the same
// session then fetches ok.txt, so the server kept serving.
void expect_refused(Server &srv, const std::string &request, const std::string &reason)
{
    ASSERT_NE(srv.port, 0);
    write_file(srv.served / "ok.txt", "still serving\n");
    chmod((srv.served / "ok.txt").c_str(), 0644);  // whatever the umask: the server may run as "nobody"
    TempDir here;
    Session s = run_client(srv.port, here.path(), request + "\nok.txt\n");
    EXPECT_FALSE(s.status.exited && s.status.code == 0)
        << "ftcli02 should exit non-zero after a refusal; got " << s.status.describe();
    EXPECT_THAT(s.err, HasSubstr(reason));
    EXPECT_THAT(here.entries(), ElementsAre("ok.txt"))
        << "no local file for the refused request, and the next request served";
    EXPECT_EQ(read_file(here / "ok.txt"), "still serving\n");
    EXPECT_TRUE(srv.proc.running()) << "the server stopped";
}

}  // namespace

TEST(FiletransferIterativeLab, CopiesAnEmptyFile) { expect_exact_copy(""); }
TEST(FiletransferIterativeLab, CopiesOneByte) { expect_exact_copy("x"); }
TEST(FiletransferIterativeLab, CopiesExactly256Bytes) { expect_exact_copy(random_bytes(256)); }
TEST(FiletransferIterativeLab, Copies257Bytes) { expect_exact_copy(random_bytes(257)); }
TEST(FiletransferIterativeLab, CopiesAllByteValues) { expect_exact_copy(all_byte_values()); }
TEST(FiletransferIterativeLab, CopiesTenMiBOfRandomData) { expect_exact_copy(random_bytes(10 << 20, 7)); }

// Over 4 GiB: sizes and offsets need 64 bits end to end.  The file is
// sparse (cheap to make); the copy has every byte written.  Labelled
// "large" (ctest -LE large skips it).
TEST(FiletransferIterativeLab, CopiesASparseFileOver4GiB)
{
    const off_t size = (off_t{1} << 32) + 3 * 4096 + 123;
    const std::vector<off_t> marks = {0, (off_t{1} << 32) - 4096, size - 8192};
    Server srv;
    ASSERT_NE(srv.port, 0);
    {
        unp::Fd fd(open((srv.served / "huge").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644));
        ASSERT_TRUE(fd);
        ASSERT_EQ(ftruncate(fd.get(), size), 0);
        for (std::size_t i = 0; i < marks.size(); i++) {
            std::string m = random_bytes(8192, static_cast<unsigned>(i + 11));
            ASSERT_EQ(pwrite(fd.get(), m.data(), m.size(), marks[i]), 8192);
        }
    }
    // The copy takes its 4 GiB for real: on a machine whose $TMPDIR is a
    // small tmpfs (Debian's /tmp is half the RAM), write it in the test's
    // working directory (ctest's: the build tree) instead.
    const std::uint64_t needed = static_cast<std::uint64_t>(size) + (256u << 20);
    std::string base;  // "": $TMPDIR
    {
        TempDir probe;
        if (free_bytes(probe.path()) < needed) {
            char cwd[PATH_MAX];
            if (getcwd(cwd, sizeof cwd) != nullptr && free_bytes(cwd) >= needed)
                base = cwd;
            else
                GTEST_SKIP() << "no room for a " << size << "-byte copy, neither in " << probe.path()
                             << " nor in the working directory";
        }
    }
    TempDir here(base);
    Session s = run_client(srv.port, here.path(), "huge\n", {}, 240s);
    EXPECT_EQ(s.status.describe(), "exit 0") << "ftcli02 stderr: " << s.err;
    struct stat st {};
    ASSERT_EQ(stat((here / "huge").c_str(), &st), 0) << "no copy";
    EXPECT_EQ(st.st_size, size) << "size of the copy";
    unp::Fd a(open((srv.served / "huge").c_str(), O_RDONLY)), b(open((here / "huge").c_str(), O_RDONLY));
    std::vector<off_t> probes = marks;
    for (off_t at : {off_t{1} << 30, off_t{3} << 30, (off_t{1} << 32) + 4096})
        probes.push_back(at);  // in the holes: zeros
    for (off_t at : probes) {
        std::string x(8192, '\0'), y(8192, '\1');
        ASSERT_EQ(pread(a.get(), x.data(), x.size(), at), 8192);
        ASSERT_EQ(pread(b.get(), y.data(), y.size(), at), 8192) << "copy too short at offset " << at;
        EXPECT_TRUE(x == y) << "the copy differs at offset " << at;
    }
}

TEST(FiletransferIterativeLab, SessionOverStdinFetchesThreeFiles)
{
    Server srv;
    ASSERT_NE(srv.port, 0);
    std::string one = random_bytes(1000, 1), three = random_bytes(100000, 3);
    write_file(srv.served / "one", one);
    write_file(srv.served / "two", "");
    mkdir((srv.served / "sub").c_str(), 0755);
    write_file(srv.served / "sub/three", three);
    TempDir here;
    Session s = run_client(srv.port, here.path(), "one\ntwo two-copy\nsub/three\n");
    EXPECT_EQ(s.status.describe(), "exit 0") << "ftcli02 stderr: " << s.err;
    EXPECT_THAT(here.entries(), ElementsAre("one", "three", "two-copy"));
    EXPECT_TRUE(read_file(here / "one") == one);
    EXPECT_EQ(read_file(here / "two-copy"), "");
    EXPECT_TRUE(read_file(here / "three") == three);
}

TEST(FiletransferIterativeLab, EmptyLineEndsTheSession)
{
    Server srv;
    ASSERT_NE(srv.port, 0);
    write_file(srv.served / "a", "a");
    write_file(srv.served / "b", "b");
    TempDir here;
    Session s = run_client(srv.port, here.path(), "a\n\nb\n");
    EXPECT_EQ(s.status.describe(), "exit 0") << s.err;
    EXPECT_THAT(here.entries(), ElementsAre("a"));
}

TEST(FiletransferIterativeLab, TwoClientsAtOnce)
{
    Server srv;
    ASSERT_NE(srv.port, 0);
    for (const char *f : {"one", "two", "three"})
        write_file(srv.served / f, random_bytes(1 << 20, static_cast<unsigned>(f[1])));
    TempDir here_a, here_b;
    // A fetches a file and stays connected, its session open...
    Process a = Process::run("ftcli02", {"127.0.0.1", std::to_string(srv.port)}, {{}, here_a.path()});
    a.write_stdin("one\n");
    ASSERT_TRUE(eventually([&] { return exists(here_a / "one"); })) << "client A got nothing: " << a.stderr_text();
    // ...while B is served from start to end.
    Session b = run_client(srv.port, here_b.path(), "two\n");
    EXPECT_EQ(b.status.describe(), "exit 0") << "client B, while A is connected: " << b.err;
    EXPECT_THAT(here_b.entries(), ElementsAre("two"));
    a.write_stdin("three\n");
    a.close_stdin();
    EXPECT_EQ(a.wait().describe(), "exit 0") << a.stderr_text();
    EXPECT_THAT(here_a.entries(), ElementsAre("one", "three"));
    EXPECT_TRUE(read_file(here_a / "three") == read_file(srv.served / "three"));
}

TEST(FiletransferIterativeLab, LocalNameDefaultsToTheBaseName)
{
    Server srv;
    ASSERT_NE(srv.port, 0);
    mkdir((srv.served / "deep").c_str(), 0755);
    write_file(srv.served / "deep/name.txt", "n");
    TempDir here;
    Session s = run_client(srv.port, here.path(), "deep/name.txt\n");
    EXPECT_EQ(s.status.describe(), "exit 0") << s.err;
    EXPECT_THAT(here.entries(), ElementsAre("name.txt"));
}

TEST(FiletransferClient, NamesWithBlanksAreQuotedOrEscaped)
{
    Server srv;
    ASSERT_NE(srv.port, 0);
    write_file(srv.served / "my notes.txt", "notes");
    write_file(srv.served / "a\\b", "backslash");
    TempDir here;
    Session s = run_client(srv.port, here.path(),
                           "\"my notes.txt\" \"copy one\"\n"
                           "my\\ notes.txt\n"
                           "a\\\\b\n"
                           "\"unclosed\n"
                           "my notes.txt copy\n");
    // The open quote and the three words are refused; the rest arrive.
    EXPECT_EQ(s.status.describe(), "exit 1") << s.err;
    EXPECT_THAT(s.err, HasSubstr("is not closed"));
    EXPECT_THAT(s.err, HasSubstr("got 3 words"));
    EXPECT_THAT(here.entries(), ElementsAre("a\\b", "copy one", "my notes.txt"));
    EXPECT_EQ(read_file(here / "copy one"), "notes");
    EXPECT_EQ(read_file(here / "my notes.txt"), "notes");
    EXPECT_EQ(read_file(here / "a\\b"), "backslash");
}

// The quoting the client's comment documents, as a shell does it:
// 'single quotes' keep every character; inside "double quotes" only \" and
// \\ are escapes (any other backslash stays); outside, \ takes the next
// character.
TEST(FiletransferClient, QuotesWorkAsInAShell)
{
    Server srv;
    ASSERT_NE(srv.port, 0);
    write_file(srv.served / "my notes.txt", "notes");
    write_file(srv.served / "say \"hi\"", "hi");
    write_file(srv.served / "a\\b", "backslash");
    TempDir here;
    Session s = run_client(srv.port, here.path(),
                           "'my notes.txt' q1.txt\n"
                           "\"say \\\"hi\\\"\" q2.txt\n"
                           "'say \"hi\"' q3.txt\n"
                           "\"a\\b\" q4.txt\n"
                           "'a\\b' q5.txt\n"
                           "my' 'notes.txt q6.txt\n"
                           "'unclosed q7.txt\n");
    EXPECT_EQ(s.status.describe(), "exit 1") << s.err;
    EXPECT_THAT(s.err, HasSubstr("a ' is not closed: 'unclosed q7.txt")) << s.err;
    EXPECT_THAT(s.err, Not(HasSubstr("words"))) << s.err;
    EXPECT_THAT(here.entries(), ElementsAre("q1.txt", "q2.txt", "q3.txt", "q4.txt", "q5.txt", "q6.txt"));
    EXPECT_EQ(read_file(here / "q1.txt"), "notes");
    EXPECT_EQ(read_file(here / "q2.txt"), "hi");
    EXPECT_EQ(read_file(here / "q3.txt"), "hi");
    EXPECT_EQ(read_file(here / "q4.txt"), "backslash");
    EXPECT_EQ(read_file(here / "q5.txt"), "backslash");
    EXPECT_EQ(read_file(here / "q6.txt"), "notes");
}

// A local name in a directory that does not exist: the message names the
// directory, and the session goes on.
TEST(FiletransferClient, MissingTargetDirectoryIsNamed)
{
    Server srv;
    ASSERT_NE(srv.port, 0);
    write_file(srv.served / "f.txt", "data");
    TempDir here;
    Session s = run_client(srv.port, here.path(), "f.txt nodir/sub/f.txt\nf.txt\nf.txt f.txt/x\n");
    EXPECT_EQ(s.status.describe(), "exit 1") << s.err;
    EXPECT_THAT(s.err, HasSubstr("nodir/sub/f.txt: no such directory: nodir/sub")) << s.err;
    EXPECT_THAT(s.err, HasSubstr("f.txt/x: not a directory: f.txt")) << s.err;
    EXPECT_THAT(s.err, Not(HasSubstr("temporary"))) << s.err;
    EXPECT_THAT(here.entries(), ElementsAre("f.txt"));
}

TEST(FiletransferIterativeLab, ExistingLocalFileIsKeptUnlessForced)
{
    Server srv;
    ASSERT_NE(srv.port, 0);
    write_file(srv.served / "f.txt", "new");
    TempDir here;
    write_file(here / "f.txt", "old");
    Session s = run_client(srv.port, here.path(), "f.txt\n");
    EXPECT_FALSE(s.status.exited && s.status.code == 0) << "got " << s.status.describe();
    EXPECT_THAT(s.err, HasSubstr("exists"));
    EXPECT_EQ(read_file(here / "f.txt"), "old");
    Session forced = run_client(srv.port, here.path(), "f.txt\n", {"-f"});
    EXPECT_EQ(forced.status.describe(), "exit 0") << forced.err;
    EXPECT_EQ(read_file(here / "f.txt"), "new");
    EXPECT_THAT(here.entries(), ElementsAre("f.txt"));
}

TEST(FiletransferIterativeLab, QuietOffATerminal)
{
    Server srv;
    ASSERT_NE(srv.port, 0);
    write_file(srv.served / "big", random_bytes(4 << 20));
    TempDir here;
    Session s = run_client(srv.port, here.path(), "big\n");
    EXPECT_EQ(s.status.describe(), "exit 0");
    EXPECT_EQ(s.out, "") << "stdout is not a terminal: no prompt, no progress";
    EXPECT_EQ(s.err, "") << "stderr is not a terminal: nothing but errors";
}

// ------------------------------------------------------------- refusals

TEST(FiletransferIterativeLab, MissingFileIsRefused)
{
    Server srv;
    expect_refused(srv, "nope.txt", "no such file");
}

TEST(FiletransferIterativeLab, UnreadableFileIsRefused)
{
    auto prefix = as_unprivileged(program_path("ftserv02"));
    if (!prefix)
        GTEST_SKIP() << "running as root, and setpriv cannot start the server without the right to read "
                        "every file here: cannot make a file unreadable to it";
    Server srv(*prefix);
    write_file(srv.served / "secret", "secret");
    chmod((srv.served / "secret").c_str(), 0);
    expect_refused(srv, "secret", "permission denied");
}

TEST(FiletransferIterativeLab, DirectoryIsRefused)
{
    Server srv;
    mkdir((srv.served / "sub").c_str(), 0755);
    expect_refused(srv, "sub", "not a regular file");
}

TEST(FiletransferIterativeLab, DotDotEscapeIsRefused)
{
    Server srv;
    TempDir outside;
    write_file(outside / "secret", "secret");
    std::string name = outside.path().substr(outside.path().rfind('/') + 1);
    expect_refused(srv, "../" + name + "/secret", "outside the served directory");
}

TEST(FiletransferIterativeLab, AbsolutePathOutsideIsRefused)
{
    Server srv;
    TempDir outside;
    write_file(outside / "secret", "secret");
    expect_refused(srv, outside / "secret", "outside the served directory");
}

TEST(FiletransferIterativeLab, SymlinkOutOfTheDirectoryIsRefused)
{
    Server srv;
    TempDir outside;
    write_file(outside / "secret", "secret");
    ASSERT_EQ(symlink((outside / "secret").c_str(), (srv.served / "escape").c_str()), 0);
    expect_refused(srv, "escape", "outside the served directory");
}

TEST(FiletransferIterativeLab, TenKiBPathIsRefused)
{
    Server srv;
    std::string path;
    while (path.size() < 10240)
        path += "d/";
    path += "f";
    expect_refused(srv, path + " out", "too long");
}

// ---------------------------------------------------------------- faults

namespace {

// A transfer of a 256 MiB file (sparse: more than any socket buffers hold,
// cheap to make), stopped by the relay after 256 KiB.
struct Stalled {
    Server srv;
    int fds_before = 0;
    TempDir here;
    std::optional<PausingRelay> relay;
    std::optional<Process> client;

    void start()
    {
        ASSERT_NE(srv.port, 0);
        write_file(srv.served / "big", "");
        ASSERT_EQ(truncate((srv.served / "big").c_str(), 256 << 20), 0);
        write_file(srv.served / "next", "next");
        fds_before = srv.proc.open_fds();
        relay.emplace(srv.port, 256 << 10);
        client.emplace(Process::run("ftcli02", {"127.0.0.1", std::to_string(relay->port())}, {{}, here.path()}));
        client->write_stdin("big\n");
        client->close_stdin();
        ASSERT_TRUE(relay->wait_paused()) << "the transfer never started: " << client->stderr_text();
    }

    // The server after the fault: no child left, none a zombie, no
    // descriptor kept, and the next client served.
    void expect_server_unharmed()
    {
        EXPECT_TRUE(srv.proc.running()) << "the server died";
        EXPECT_TRUE(eventually([&] { return srv.proc.children().empty(); }))
            << "children left: " << srv.proc.children().size() << ", zombies: " << srv.proc.zombie_children();
        EXPECT_EQ(srv.proc.zombie_children(), 0);
        EXPECT_TRUE(eventually([&] { return srv.proc.open_fds() == fds_before; }))
            << ::testing::PrintToString(srv.proc.fd_targets());
        TempDir next;
        Session s = run_client(srv.port, next.path(), "next\n");
        EXPECT_EQ(s.status.describe(), "exit 0") << "the next client: " << s.err;
        EXPECT_EQ(read_file(next / "next"), "next");
    }
};

}  // namespace

TEST(FiletransferIterativeLab, ServerKilledMidTransfer)
{
    Stalled t;
    ASSERT_NO_FATAL_FAILURE(t.start());
    std::vector<pid_t> kids = t.srv.proc.children();
    ASSERT_EQ(kids.size(), 1u) << "one child should be serving the client";
    ::kill(kids[0], SIGKILL);  // the process sending the file
    t.relay->resume();          // what it had sent, then its end, reach the client
    ExitStatus st = t.client->wait();
    EXPECT_TRUE(st.exited && st.code != 0) << "ftcli02 should exit non-zero; got " << st.describe();
    EXPECT_THAT(t.client->stderr_text(), HasSubstr("broken"));
    EXPECT_THAT(t.here.entries(), IsEmpty()) << "no file under the final name, no temporary left";
    t.expect_server_unharmed();
}

TEST(FiletransferIterativeLab, ConnectionResetMidTransfer)
{
    Stalled t;
    ASSERT_NO_FATAL_FAILURE(t.start());
    t.relay->reset_both();
    ExitStatus st = t.client->wait();
    EXPECT_TRUE(st.exited && st.code != 0) << "ftcli02 should exit non-zero; got " << st.describe();
    EXPECT_THAT(t.client->stderr_text(), HasSubstr("reset"));
    EXPECT_THAT(t.here.entries(), IsEmpty()) << "no file under the final name, no temporary left";
    t.expect_server_unharmed();
}

TEST(FiletransferIterativeLab, ClientKilledMidTransfer)
{
    Stalled t;
    ASSERT_NO_FATAL_FAILURE(t.start());
    t.client->kill(SIGKILL);
    EXPECT_EQ(t.client->wait().describe(), "killed by SIGKILL");
    EXPECT_THAT(t.here.entries(), Not(Contains("big"))) << "a killed client leaves no file under the final name";
    EXPECT_TRUE(t.relay->finished());
    t.expect_server_unharmed();
}
