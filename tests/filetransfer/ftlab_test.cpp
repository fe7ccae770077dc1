// SPDX-License-Identifier: MIT
// FiletransferLab: the handout's single-shot pair, FTServer and FTClient.
// These checks use only those two programs (and the test's own sockets), so
// the grader can run them against a student's binaries
// (SOCKLAB_PROG_FTServer, SOCKLAB_PROG_FTClient).
#include "ft_support.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/stat.h>

using namespace socklab::test;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

namespace {

struct Transfer {
    ExitStatus client;
    std::string client_stderr;
    std::string server_stdout;
};

// FTServer on port 0, then FTClient asking for `remote` into `local`.
Transfer transfer(const std::string &remote, const std::string &local,
                  std::vector<std::string> server_prefix = {})
{
    std::vector<std::string> argv = std::move(server_prefix);
    argv.push_back(program_path("FTServer"));
    argv.push_back("0");
    Process server = Process::start(argv);
    int port = server.wait_for_port();
    Transfer t;
    if (port == 0)
        return t;
    Process client = Process::run("FTClient", {"127.0.0.1", std::to_string(port), remote, local});
    t.client = client.wait();
    t.client_stderr = client.stderr_text();
    server.wait();
    t.server_stdout = server.stdout_seen() + server.read_rest(1s);
    return t;
}

void expect_exact_copy(const std::string &bytes)
{
    TempDir dir;
    write_file(dir / "source", bytes);
    Transfer t = transfer(dir / "source", dir / "copy");
    EXPECT_EQ(t.client.describe(), "exit 0") << "FTClient stderr: " << t.client_stderr;
    ASSERT_TRUE(exists(dir / "copy")) << "FTClient exited without creating the local file";
    std::string got = read_file(dir / "copy");
    EXPECT_EQ(got.size(), bytes.size()) << "size of the copy";
    EXPECT_TRUE(got == bytes) << "the copy differs from the original (first difference at byte "
                              << (std::mismatch(got.begin(), got.end(), bytes.begin(), bytes.end()).first - got.begin())
                              << ")";
}

void expect_refused(const std::string &remote, const std::string &reason,
                    std::vector<std::string> server_prefix = {})
{
    TempDir dir;
    Transfer t = transfer(remote, dir / "copy", std::move(server_prefix));
    EXPECT_FALSE(t.client.exited && t.client.code == 0)
        << "FTClient should fail; got " << t.client.describe();
    EXPECT_FALSE(t.client.timed_out) << "FTClient was left waiting";
    EXPECT_THAT(t.client_stderr, HasSubstr(reason));
    EXPECT_FALSE(exists(dir / "copy")) << "a refused transfer must not create the local file";
}

}  // namespace

TEST(FiletransferLab, CopiesAnEmptyFile) { expect_exact_copy(""); }
TEST(FiletransferLab, CopiesOneByte) { expect_exact_copy("x"); }
TEST(FiletransferLab, CopiesExactly256Bytes) { expect_exact_copy(random_bytes(256)); }
TEST(FiletransferLab, Copies257Bytes) { expect_exact_copy(random_bytes(257)); }
TEST(FiletransferLab, CopiesAllByteValues) { expect_exact_copy(all_byte_values()); }
TEST(FiletransferLab, CopiesTenMiBOfRandomData) { expect_exact_copy(random_bytes(10 << 20, 7)); }

TEST(FiletransferLab, ServerPrintsTheRequestedPath)
{
    TempDir dir;
    write_file(dir / "temp1", "temp file\nfor test\nnetwork programming\n");
    Transfer t = transfer(dir / "temp1", dir / "copy");
    EXPECT_THAT(t.server_stdout, HasSubstr("\n" + (dir / "temp1") + "\n"));
}

TEST(FiletransferLab, MissingFileIsReportedWithItsReason)
{
    TempDir dir;
    expect_refused(dir / "no-such-file", "No such file or directory");
}

TEST(FiletransferLab, UnreadableFileIsReportedWithItsReason)
{
    auto prefix = as_unprivileged(program_path("FTServer"));
    if (!prefix)
        GTEST_SKIP() << "running as root, and setpriv cannot start the server without the right to read "
                        "every file here: cannot make a file unreadable to it";
    TempDir dir;
    write_file(dir / "secret", "secret");
    chmod((dir / "secret").c_str(), 0);
    expect_refused(dir / "secret", "Permission denied", *prefix);
}

TEST(FiletransferLab, DirectoryIsReportedWithItsReason)
{
    TempDir dir;
    mkdir((dir / "sub").c_str(), 0755);
    expect_refused(dir / "sub", "Is a directory");
}

// What goes on the wire: the test plays the client.
TEST(FiletransferLab, SegmentsCarryAtMost256BytesInNetworkOrderThenAnEndMarker)
{
    TempDir dir;
    std::string bytes = random_bytes(1000, 3);
    write_file(dir / "f", bytes);
    Process server = Process::run("FTServer", {"0"});
    int port = server.wait_for_port();
    ASSERT_NE(port, 0);
    Client c(port);
    ASSERT_TRUE(c.connected());
    std::string path = dir / "f";
    ASSERT_TRUE(c.send_u32(static_cast<uint32_t>(path.size())));
    ASSERT_TRUE(c.send(path));
    std::string got;
    std::vector<uint32_t> lengths;
    for (;;) {
        std::string hdr = c.recv_exact(4);
        ASSERT_EQ(hdr.size(), 4u) << "the connection ended before the end-of-file segment";
        uint32_t len;
        memcpy(&len, hdr.data(), 4);
        len = ntohl(len);
        lengths.push_back(len);
        if (len == 0)
            break;
        ASSERT_LE(len, 256u) << "a segment longer than 256 bytes (or a length not in network byte order)";
        got += c.recv_exact(len);
    }
    EXPECT_EQ(lengths, (std::vector<uint32_t>{256, 256, 256, 232, 0}));
    EXPECT_TRUE(got == bytes) << "the segments' bytes are not the file";
}

namespace {
// A stand-in server: accepts FTClient, reads its request, then runs `script`.
template <class Script>
Transfer against_fake_server(Script script, const std::string &local)
{
    unp::Fd listener = unp::listen_tcp("127.0.0.1", "0");
    Process client = Process::run("FTClient", {"127.0.0.1", std::to_string(unp::local_port(listener.get())),
                                               "/some/file", local});
    // Never block for good on a client that does not connect or send.
    pollfd pfd{listener.get(), POLLIN, 0};
    if (poll(&pfd, 1, static_cast<int>(kDefaultTimeout.count())) != 1) {
        ADD_FAILURE() << "FTClient never connected";
        return {client.wait(), client.stderr_text(), ""};
    }
    unp::Fd conn(accept(listener.get(), nullptr, nullptr));
    timeval tv{10, 0};
    setsockopt(conn.get(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    uint32_t len = 0;
    EXPECT_EQ(readn(conn.get(), &len, 4), 4);
    std::string path(ntohl(len) < 4096 ? ntohl(len) : 0, '\0');
    EXPECT_EQ(readn(conn.get(), path.data(), path.size()), static_cast<ssize_t>(path.size()));
    EXPECT_EQ(path, "/some/file") << "the request: a 4-byte length in network byte order, then the path";
    script(conn.get());
    conn.reset();
    Transfer t;
    t.client = client.wait();
    t.client_stderr = client.stderr_text();
    return t;
}

void send_segment(int fd, const std::string &bytes, bool split)
{
    uint32_t len = htonl(static_cast<uint32_t>(bytes.size()));
    std::string seg(reinterpret_cast<const char *>(&len), 4);
    seg += bytes;
    if (!split) {
        writen(fd, seg.data(), seg.size());
        return;
    }
    // Two bytes of the length, then the rest in pieces: each read() on the
    // other side may see a fraction of a segment.
    std::size_t at = 0;
    for (std::size_t cut : {std::size_t{2}, std::size_t{5}, seg.size() / 2, seg.size()}) {
        cut = std::min(cut, seg.size());
        if (cut <= at)
            continue;
        writen(fd, seg.data() + at, cut - at);
        at = cut;
        std::this_thread::sleep_for(2ms);  // not a wait for anything: it keeps the pieces apart on the wire
    }
}
}  // namespace

TEST(FiletransferLab, ClientReassemblesSegmentsSplitAcrossReads)
{
    TempDir dir;
    std::string bytes = random_bytes(600, 5);
    Transfer t = against_fake_server(
        [&](int fd) {
            int one = 1;
            setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
            send_segment(fd, bytes.substr(0, 256), true);
            send_segment(fd, bytes.substr(256, 256), true);
            send_segment(fd, bytes.substr(512), true);
            send_segment(fd, "", true);
        },
        dir / "copy");
    EXPECT_EQ(t.client.describe(), "exit 0") << t.client_stderr;
    EXPECT_TRUE(read_file(dir / "copy") == bytes) << "the copy differs from what the server sent";
}

TEST(FiletransferLab, ConnectionClosedBeforeTheEndMarkerIsABrokenTransfer)
{
    TempDir dir;
    Transfer t = against_fake_server(
        [&](int fd) {
            send_segment(fd, std::string(256, 'a'), false);
            send_segment(fd, std::string(100, 'b'), false);  // then close, no end-of-file segment
        },
        dir / "copy");
    EXPECT_FALSE(t.client.exited && t.client.code == 0) << "FTClient took a broken transfer for a complete one";
    EXPECT_THAT(t.client_stderr, HasSubstr("incomplete"));
    EXPECT_FALSE(exists(dir / "copy")) << "a broken transfer must leave no local file";
}

TEST(FiletransferLab, ServerKilledMidTransferLeavesNoLocalFile)
{
    TempDir dir;
    // Sparse, 256 MiB: more than the socket buffers hold, cheap to make.
    ASSERT_EQ(truncate((write_file(dir / "big", ""), dir / "big").c_str(), 256 << 20), 0);
    Process server = Process::run("FTServer", {"0"});
    int port = server.wait_for_port();
    ASSERT_NE(port, 0);
    PausingRelay relay(port, 64 << 10);
    Process client = Process::run("FTClient", {"127.0.0.1", std::to_string(relay.port()), dir / "big", dir / "copy"});
    ASSERT_TRUE(relay.wait_paused()) << "the transfer never started";
    server.kill(SIGKILL);
    relay.resume();  // the bytes the server had sent, then its end
    ExitStatus st = client.wait();
    EXPECT_FALSE(st.exited && st.code == 0) << "FTClient should fail; got " << st.describe();
    EXPECT_THAT(client.stderr_text(), HasSubstr("incomplete"));
    EXPECT_FALSE(exists(dir / "copy")) << "a broken transfer must leave no local file";
}
