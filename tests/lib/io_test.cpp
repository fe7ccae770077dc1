// SPDX-License-Identifier: MIT
// readn, writen and readline over socketpairs: partial transfers, a signal
// arriving mid-call, buffer boundaries, long lines, EOF, and threads.
#include "process.hpp"
#include "unp.h"
#include "unp.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <fstream>
#include <sys/syscall.h>
#include <pthread.h>
#include <random>
#include <thread>

using namespace socklab::test;

namespace {

struct Pair {
    unp::Fd a, b;
    Pair()
    {
        int fds[2];
        Socketpair(AF_UNIX, SOCK_STREAM, 0, fds);
        a.reset(fds[0]);
        b.reset(fds[1]);
    }
};

// Is thread `tid` of this process asleep inside system call `call`?
bool blocked_in(pid_t tid, long call)
{
    std::string task = "/proc/self/task/" + std::to_string(tid);
    auto st = unp::read_proc_stat(task + "/stat");
    if (!st || st->state != 'S')
        return false;
    // /proc/.../syscall names the call; a locked-down container may refuse
    // to show it, and then state S is the best we know.
    std::ifstream sc(task + "/syscall");
    std::string nr;
    if (!(sc >> nr))
        return true;
    return nr == std::to_string(call);  // not "running", nor another call
}

// Is thread `tid` of this process blocked in read(2)?  A signal sent a
// moment before the thread enters read() would be handled and then read()
// would block for good, so the tests wait for this before they signal.
bool sleeping(pid_t tid) { return blocked_in(tid, SYS_read); }

volatile sig_atomic_t usr1_count = 0;
void on_usr1(int) { usr1_count = usr1_count + 1; }

// Read syscalls this process has made (Linux /proc/self/io, field syscr),
// not counting the reads this function itself makes.
long read_syscalls_raw()
{
    std::ifstream in("/proc/self/io");
    std::string key;
    long value = 0;
    while (in >> key >> value)
        if (key == "syscr:")
            return value;
    return -1;
}

long read_syscalls()
{
    static const long own_cost = [] {
        long a = read_syscalls_raw();
        return read_syscalls_raw() - a;
    }();
    static long adjustment = 0;
    long value = read_syscalls_raw() - adjustment;
    adjustment += own_cost;
    return value;
}

}  // namespace

TEST(Readn, CollectsManyPartialReads)
{
    Pair p;
    std::thread writer([&] {
        for (char c = 'a'; c <= 'z'; c++)  // 26 separate one-byte writes
            ASSERT_EQ(write(p.b.get(), &c, 1), 1);
    });
    char buf[26];
    EXPECT_EQ(readn(p.a.get(), buf, sizeof buf), 26);
    EXPECT_EQ(std::string(buf, 26), "abcdefghijklmnopqrstuvwxyz");
    writer.join();
}

TEST(Readn, ReturnsShortCountAtEof)
{
    Pair p;
    ASSERT_EQ(write(p.b.get(), "hello", 5), 5);
    p.b.reset();
    char buf[100];
    EXPECT_EQ(readn(p.a.get(), buf, sizeof buf), 5);
    EXPECT_EQ(readn(p.a.get(), buf, sizeof buf), 0);
}

TEST(Writen, CompletesPartialWritesIntoASmallBuffer)
{
    Pair p;
    int small = 4096;
    setsockopt(p.a.get(), SOL_SOCKET, SO_SNDBUF, &small, sizeof small);
    std::string data(1 << 20, '\0');
    std::mt19937 rng(7);
    for (auto &c : data)
        c = static_cast<char>(rng());
    std::string got;
    std::thread reader([&] {
        char buf[1000];  // small reads: the writer must block and resume
        ssize_t n;
        while ((n = read(p.b.get(), buf, sizeof buf)) > 0)
            got.append(buf, static_cast<size_t>(n));
    });
    EXPECT_EQ(writen(p.a.get(), data.data(), data.size()), static_cast<ssize_t>(data.size()));
    p.a.reset();
    reader.join();
    EXPECT_TRUE(got == data) << "got " << got.size() << " bytes of " << data.size();
}

// A signal whose handler does not restart system calls interrupts read()
// with EINTR; readn must carry on and still deliver every byte.
TEST(Readn, RestartsAfterASignalMidCall)
{
    Pair p;
    Signal_intr(SIGUSR1, on_usr1);
    usr1_count = 0;
    pid_t tid = 0;
    ssize_t result = 0;
    char buf[10];
    std::atomic<bool> started{false};
    std::thread reader([&] {
        tid = gettid();
        started = true;
        result = readn(p.a.get(), buf, sizeof buf);
    });
    ASSERT_TRUE(eventually([&] { return started && sleeping(tid); }));
    ASSERT_EQ(write(p.b.get(), "12345", 5), 5);  // half now
    ASSERT_TRUE(eventually([&] { return sleeping(tid); }));
    pthread_kill(reader.native_handle(), SIGUSR1);  // lands mid-readn
    ASSERT_TRUE(eventually([&] { return usr1_count == 1; }));
    ASSERT_EQ(write(p.b.get(), "67890", 5), 5);
    reader.join();
    EXPECT_EQ(result, 10);
    EXPECT_EQ(std::string(buf, 10), "1234567890");
    Signal(SIGUSR1, SIG_DFL);
}

TEST(Readn, PlainReadReallyGetsEintrThere)
{
    // The control for the test above: the same signal makes a bare read()
    // fail with EINTR, so readn's restart is what saved it.
    Pair p;
    Signal_intr(SIGUSR1, on_usr1);
    usr1_count = 0;
    pid_t tid = 0;
    int saved_errno = 0;
    ssize_t result = 0;
    std::atomic<bool> started{false};
    std::thread reader([&] {
        tid = gettid();
        started = true;
        char c;
        result = read(p.a.get(), &c, 1);
        saved_errno = errno;
    });
    ASSERT_TRUE(eventually([&] { return started && sleeping(tid); }));
    pthread_kill(reader.native_handle(), SIGUSR1);
    reader.join();
    EXPECT_EQ(result, -1);
    EXPECT_EQ(saved_errno, EINTR);
    Signal(SIGUSR1, SIG_DFL);
}

TEST(SignalWrapper, RestartsEverythingButSigalrm)
{
    Sigfunc *old = Signal(SIGUSR2, on_usr1);
    struct sigaction sa {};
    sigaction(SIGUSR2, nullptr, &sa);
    EXPECT_TRUE(sa.sa_flags & SA_RESTART);
    EXPECT_EQ(sa.sa_handler, on_usr1);
    EXPECT_EQ(Signal(SIGUSR2, old), on_usr1);  // returns the previous handler

    Sigfunc *old_alrm = Signal(SIGALRM, on_usr1);
    sigaction(SIGALRM, nullptr, &sa);
    EXPECT_FALSE(sa.sa_flags & SA_RESTART);
    Signal(SIGALRM, old_alrm);
}

TEST(SignalWrapper, RestartedReadIsNotInterrupted)
{
    // Behaviour, not flags: with Signal()'s SA_RESTART a blocked read()
    // survives the handler and returns the data that arrives later.
    Pair p;
    Signal(SIGUSR1, on_usr1);
    usr1_count = 0;
    pid_t tid = 0;
    ssize_t result = 0;
    std::atomic<bool> started{false};
    char c = 0;
    std::thread reader([&] {
        tid = gettid();
        started = true;
        result = read(p.a.get(), &c, 1);
    });
    ASSERT_TRUE(eventually([&] { return started && sleeping(tid); }));
    pthread_kill(reader.native_handle(), SIGUSR1);
    ASSERT_TRUE(eventually([&] { return usr1_count == 1; }));
    ASSERT_TRUE(eventually([&] { return sleeping(tid); }));  // back in read()
    ASSERT_EQ(write(p.b.get(), "x", 1), 1);
    reader.join();
    EXPECT_EQ(result, 1);
    EXPECT_EQ(c, 'x');
    Signal(SIGUSR1, SIG_DFL);
}

TEST(Readline, LinesAcrossBufferBoundaries)
{
    // Lines of every length from 1 to 300 bytes, 40 KiB in all, so many
    // lines straddle the 8 KiB refills.
    Pair p;
    std::vector<std::string> lines;
    std::string all;
    for (int i = 0; all.size() < 40000; i++) {
        std::string line(static_cast<size_t>(i % 300), static_cast<char>('A' + i % 26));
        line += '\n';
        lines.push_back(line);
        all += line;
    }
    std::thread writer([&] {
        writen(p.b.get(), all.data(), all.size());
        p.b.reset();
    });
    char buf[MAXLINE];
    for (const auto &expected : lines) {
        ssize_t n = readline(p.a.get(), buf, sizeof buf);
        ASSERT_EQ(n, static_cast<ssize_t>(expected.size()));
        ASSERT_EQ(std::string(buf), expected);
    }
    EXPECT_EQ(readline(p.a.get(), buf, sizeof buf), 0);
    writer.join();
}

TEST(Readline, LongerThanMaxlenComesInPieces)
{
    Pair p;
    std::string line = std::string(25, 'x') + "\n";
    ASSERT_EQ(write(p.b.get(), line.data(), line.size()), 26);
    char buf[10];
    EXPECT_EQ(readline(p.a.get(), buf, sizeof buf), 9);
    EXPECT_STREQ(buf, "xxxxxxxxx");
    EXPECT_EQ(readline(p.a.get(), buf, sizeof buf), 9);
    EXPECT_EQ(readline(p.a.get(), buf, sizeof buf), 8);
    EXPECT_STREQ(buf, "xxxxxxx\n");
}

TEST(Readline, EofMidLineReturnsThePartialLineThenZero)
{
    Pair p;
    ASSERT_EQ(write(p.b.get(), "one\ntwo", 7), 7);
    p.b.reset();
    char buf[MAXLINE];
    EXPECT_EQ(readline(p.a.get(), buf, sizeof buf), 4);
    EXPECT_STREQ(buf, "one\n");
    EXPECT_EQ(readline(p.a.get(), buf, sizeof buf), 3);
    EXPECT_STREQ(buf, "two");
    EXPECT_EQ(readline(p.a.get(), buf, sizeof buf), 0);
    EXPECT_STREQ(buf, "");
}

TEST(Readline, PieceThatEndsTheDataIsFollowedByZero)
{
    // A last line of exactly k * (maxlen - 1) bytes without '\n': k full
    // pieces, then 0.  The caller learns only from that 0 that the piece
    // was the end (tcpserv08 once lost its answer to 4095 and 8190 bytes).
    // The same for the one-byte-at-a-time version and for LineReader.
    for (size_t n : {MAXLINE - 1, 2 * (MAXLINE - 1)}) {
        for (auto read : {readline, readline_bytewise}) {
            Pair p;
            std::string data(n, 'x');
            std::thread writer([&] {
                writen(p.b.get(), data.data(), data.size());
                p.b.reset();
            });
            char buf[MAXLINE];
            for (size_t got = 0; got < n; got += MAXLINE - 1) {
                ASSERT_EQ(read(p.a.get(), buf, sizeof buf), MAXLINE - 1) << n << " bytes, at " << got;
                ASSERT_EQ(buf[MAXLINE - 2], 'x');
                ASSERT_EQ(buf[MAXLINE - 1], '\0');
            }
            EXPECT_EQ(read(p.a.get(), buf, sizeof buf), 0) << n << " bytes";
            writer.join();
            readline_forget(p.a.get());
        }
        Pair p;
        std::string data(n, 'x');
        std::thread writer([&] {
            unp::write_all(p.b.get(), data);
            p.b.reset();
        });
        unp::LineReader lines(p.a.get());
        for (size_t got = 0; got < n; got += MAXLINE - 1)
            ASSERT_EQ(lines.read_line(MAXLINE - 1), std::string(MAXLINE - 1, 'x'));
        EXPECT_EQ(lines.read_line(MAXLINE - 1), std::nullopt);
        writer.join();
    }
}

TEST(Readline, TwoDescriptorsInTurnNeverMix)
{
    // The book's static buffer would hand fd2's caller fd1's second line.
    Pair one, two;
    ASSERT_EQ(write(one.b.get(), "1a\n1b\n", 6), 6);
    ASSERT_EQ(write(two.b.get(), "2a\n2b\n", 6), 6);
    char buf[MAXLINE];
    readline(one.a.get(), buf, sizeof buf);
    EXPECT_STREQ(buf, "1a\n");
    readline(two.a.get(), buf, sizeof buf);
    EXPECT_STREQ(buf, "2a\n");
    readline(one.a.get(), buf, sizeof buf);
    EXPECT_STREQ(buf, "1b\n");
    readline(two.a.get(), buf, sizeof buf);
    EXPECT_STREQ(buf, "2b\n");
}

TEST(Readline, TwoThreadsEachReadingTheirOwnDescriptor)
{
    constexpr int kLines = 20000;
    Pair pairs[2];
    auto feed = [](int fd, char tag) {
        std::string all;
        for (int i = 0; i < kLines; i++)
            all += tag + std::to_string(i) + "\n";
        writen(fd, all.data(), all.size());
    };
    std::thread w0(feed, pairs[0].b.get(), 'x');
    std::thread w1(feed, pairs[1].b.get(), 'y');
    int errors[2] = {0, 0};
    auto consume = [&](int which, char tag) {
        char buf[64];
        for (int i = 0; i < kLines; i++) {
            readline(pairs[which].a.get(), buf, sizeof buf);
            if (std::string(buf) != tag + std::to_string(i) + "\n")
                errors[which]++;
        }
    };
    std::thread r0(consume, 0, 'x');
    std::thread r1(consume, 1, 'y');
    for (auto *t : {&w0, &w1, &r0, &r1})
        t->join();
    EXPECT_EQ(errors[0], 0);
    EXPECT_EQ(errors[1], 0);
}

TEST(Readline, CloseDropsBufferedBytes)
{
    Pair first;
    ASSERT_EQ(write(first.b.get(), "old1\nold2\n", 10), 10);
    char buf[MAXLINE];
    readline(first.a.get(), buf, sizeof buf);  // "old2\n" is now buffered
    void *rest = nullptr;
    EXPECT_EQ(readlinebuf(first.a.get(), &rest), 5);
    int fd = first.a.release();
    Close(fd);
    // The next descriptor gets the same number; it must not see "old2".
    Pair second;
    ASSERT_EQ(second.a.get(), fd);
    ASSERT_EQ(write(second.b.get(), "new\n", 4), 4);
    readline(second.a.get(), buf, sizeof buf);
    EXPECT_STREQ(buf, "new\n");
}

TEST(Readline, AtMostOneReadPer4KiB)
{
    Pair p;
    std::string all;
    while (all.size() < (1 << 20))
        all += std::string(63, 'z') + "\n";
    std::atomic<pid_t> writer_tid{0};
    std::atomic<bool> written{false};
    std::thread writer([&] {
        writer_tid = gettid();
        writen(p.b.get(), all.data(), all.size());
        written = true;
        p.b.reset();
    });
    // Let the socket fill up first (the writer blocks in write(2) once it
    // is full, whatever size the kernel gave its buffers), so the count
    // measures readline and not the writer's pace.
    ASSERT_TRUE(eventually([&] {
        pid_t tid = writer_tid;
        return written || (tid != 0 && blocked_in(tid, SYS_write));
    }));
    long before = read_syscalls();
    char buf[MAXLINE];
    size_t total = 0;
    ssize_t n;
    while ((n = readline(p.a.get(), buf, sizeof buf)) > 0)
        total += static_cast<size_t>(n);
    long reads = read_syscalls() - before;
    writer.join();
    EXPECT_EQ(total, all.size());
    EXPECT_LE(reads, static_cast<long>(all.size() / 4096) + 2) << reads << " read(2) calls";
}

TEST(ReadlineBytewise, SameLinesOneReadPerByte)
{
    Pair p;
    ASSERT_EQ(write(p.b.get(), "ab\ncd", 5), 5);
    p.b.reset();
    char buf[MAXLINE];
    long before = read_syscalls();
    EXPECT_EQ(readline_bytewise(p.a.get(), buf, sizeof buf), 3);
    EXPECT_STREQ(buf, "ab\n");
    EXPECT_EQ(read_syscalls() - before, 3);
    EXPECT_EQ(readline_bytewise(p.a.get(), buf, sizeof buf), 2);
    EXPECT_STREQ(buf, "cd");
    EXPECT_EQ(readline_bytewise(p.a.get(), buf, sizeof buf), 0);
    char small[4];
    Pair q;
    ASSERT_EQ(write(q.b.get(), "abcdef\n", 7), 7);
    EXPECT_EQ(readline_bytewise(q.a.get(), small, sizeof small), 3);
    EXPECT_STREQ(small, "abc");
}
