// SPDX-License-Identifier: MIT
// UdpftLab: the checks the exercises grader runs on a student's
// UDPFTServer (exercises/labs/udp-filetransfer.exercise), with the kit's
// own UDPFTClient as its client: the socket is bound to the port given,
// files come and go byte-exact, each reply reaches the client that asked.
#include "udpft_support.hpp"
#include "port_note.hpp"
#include "udp_socket.hpp"

#include <gmock/gmock.h>

#include <memory>

using namespace socklab::test;
using ::testing::HasSubstr;

TEST(UdpftLab, ServerPrintsThePortItIsBoundTo)
{
    UdpftServer s;
    EXPECT_NE(s.port, 0) << port_note(1, s.port);
}

TEST(UdpftLab, ServerBindsThePortItIsGiven)
{
    int port = socket_whose_port_swaps_to_another().port();  // free a moment ago
    TempDir dir;
    Process p = Process::run("UDPFTServer", {"-d", dir.path(), std::to_string(port)});
    int got = p.wait_for_port();
    EXPECT_EQ(got, port) << port_note(port, got);
}

TEST(UdpftLab, GetCopiesAFileByteExact)
{
    UdpftServer s;
    ASSERT_NE(s.port, 0) << port_note(1, s.port);
    std::string bytes = random_bytes(3 * 1024 + 1, 5);  // three full blocks and one byte
    write_file(s.srv / "f.bin", bytes);
    ClientRun r = run_client(s.cli.path(), {"127.0.0.1", std::to_string(s.port), "f.bin", "copy"}, 20s);
    EXPECT_EQ(r.status.describe(), "exit 0") << r.err
        << "\n(no answer: does sendto() send to the address recvfrom() gave?)";
    EXPECT_TRUE(exists(s.cli / "copy") && read_file(s.cli / "copy") == bytes) << "the copy differs";
}

TEST(UdpftLab, PutStoresAFileByteExact)
{
    UdpftServer s;
    ASSERT_NE(s.port, 0) << port_note(1, s.port);
    std::string bytes = random_bytes(10 * 1024, 6);
    write_file(s.cli / "up.bin", bytes);
    ClientRun r = run_client(s.cli.path(), {"-p", "127.0.0.1", std::to_string(s.port), "up.bin", "up.bin"}, 20s);
    EXPECT_EQ(r.status.describe(), "exit 0") << r.err;
    EXPECT_TRUE(exists(s.srv / "up.bin") && read_file(s.srv / "up.bin") == bytes) << "the stored file differs";
}

TEST(UdpftLab, AnEmptyFileComesThroughToo)
{
    UdpftServer s;
    ASSERT_NE(s.port, 0) << port_note(1, s.port);
    write_file(s.srv / "empty", "");
    ClientRun r = run_client(s.cli.path(), {"127.0.0.1", std::to_string(s.port), "empty", "empty"}, 20s);
    EXPECT_EQ(r.status.describe(), "exit 0") << r.err;
    EXPECT_TRUE(exists(s.cli / "empty") && read_file(s.cli / "empty").empty());
}

TEST(UdpftLab, TwoClientsAtOnceEachGetTheirOwnFile)
{
    UdpftServer s;
    ASSERT_NE(s.port, 0) << port_note(1, s.port);
    std::string a = random_bytes(200 * 1024, 7), b = random_bytes(200 * 1024, 8);
    write_file(s.srv / "a", a);
    write_file(s.srv / "b", b);
    std::string port = std::to_string(s.port);
    Process ca = Process::run("UDPFTClient", {"127.0.0.1", port, "a", "a"}, {{}, s.cli.path()});
    Process cb = Process::run("UDPFTClient", {"127.0.0.1", port, "b", "b"}, {{}, s.cli.path()});
    EXPECT_EQ(ca.wait(20s).describe(), "exit 0") << ca.stderr_text();
    EXPECT_EQ(cb.wait(20s).describe(), "exit 0") << cb.stderr_text();
    EXPECT_TRUE(exists(s.cli / "a") && read_file(s.cli / "a") == a);
    EXPECT_TRUE(exists(s.cli / "b") && read_file(s.cli / "b") == b);
}

TEST(UdpftLab, SecondServerOnTheSamePortFailsInBind)
{
    // A port that swaps to another, or a server without htons() would clash
    // with itself and pass.
    auto s = with_port_that_swaps_to_another([] { return std::make_unique<UdpftServer>(); },
                                             [](const auto &held) { return held->port; });
    ASSERT_NE(s->port, 0) << port_note(1, s->port);
    TempDir dir;
    Process second = Process::run("UDPFTServer", {"-d", dir.path(), std::to_string(s->port)});
    EXPECT_EQ(second.wait().describe(), "exit 1");
    EXPECT_THAT(second.stderr_text(), HasSubstr("bind error: Address already in use"));
}

TEST(UdpftLab, WrongArgumentsPrintUsage)
{
    Process wrong = Process::run("UDPFTServer", {"1", "2"});
    EXPECT_EQ(wrong.wait().describe(), "exit 1");
    EXPECT_THAT(wrong.stderr_text(), HasSubstr("usage: UDPFTServer"));
}
