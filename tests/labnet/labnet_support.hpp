// SPDX-License-Identifier: MIT
// What the labnet tests share: a lab network that lives exactly as long as
// one test (`labnet -n NAME up` in the constructor, `labnet -n NAME down`
// in the destructor, so it goes also when an assertion fails), programs
// started on its hosts, and what the machine's own network looks like.
//
// Every network is named "sln<pid><tag>": ctest runs each test in a
// process of its own, so parallel tests never share a name, and the "sln"
// prefix keeps them apart from anyone else's namespaces.
#ifndef SOCKLAB_LABNET_SUPPORT_HPP
#define SOCKLAB_LABNET_SUPPORT_HPP

#include "ft_support.hpp"
#include "process.hpp"
#include "segment.hpp"

#include <optional>

#include <string>
#include <vector>

namespace socklab::test {

// labnet makes network namespaces, which takes root; elsewhere the tests
// skip (CI runs them as root).
bool running_as_root();
#define REQUIRE_ROOT()                                                                        \
    do {                                                                                      \
        if (!::socklab::test::running_as_root())                                              \
            GTEST_SKIP() << "labnet makes network namespaces, which needs root (CI runs these " \
                            "tests as root)";                                                 \
    } while (0)

// The labnet script under test: $SOCKLAB_PROG_labnet, else the build's copy.
std::string labnet_path();

// How a command that ran to its end went: exit status and everything printed.
struct Outcome {
    ExitStatus status;
    std::string out, err;
};

// Runs argv (argv[0] a path) to its end, or until the deadline.
Outcome run_to_end(std::vector<std::string> argv, Millis timeout = 30s);
// `/bin/sh -c script` on the machine itself, to its end.
Outcome sh(const std::string &script, Millis timeout = 30s);
// 'text' for sh -c, whatever text holds.
std::string quoted(const std::string &text);

// A network name of this test's own.
std::string unique_name(const std::string &tag);

// Runs `labnet -n NAME down` when it goes out of scope: for a test that
// makes a network some other way than LabNet (an up it kills, another PATH).
class DownOnExit {
public:
    explicit DownOnExit(std::string name) : name_(std::move(name)) {}
    ~DownOnExit();
    DownOnExit(const DownOnExit &) = delete;
    DownOnExit &operator=(const DownOnExit &) = delete;

private:
    std::string name_;
};

class LabNet {
public:
    LabNet(const std::string &tag, int hosts);
    ~LabNet();
    LabNet(const LabNet &) = delete;
    LabNet &operator=(const LabNet &) = delete;

    const std::string &name() const { return name_; }
    // What `up` did: ASSERT_EQ(net.up().status.describe(), "exit 0") << net.up().err;
    const Outcome &up() const { return up_; }
    bool is_up() const { return up_.status.exited && up_.status.code == 0; }

    // `labnet -n NAME args...`, to its end.
    Outcome run(std::vector<std::string> args, Millis timeout = 30s) const;
    // `labnet -n NAME down` now (the destructor then finds nothing to do).
    Outcome down() const { return run({"down"}); }
    // Starts a built program (by its target name) on host, e.g. "h2".
    Process start(const std::string &host, const std::string &program,
                  std::vector<std::string> args = {}, Process::Options options = {}) const;
    // Starts `sh -c script` on host.
    Process start_sh(const std::string &host, const std::string &script,
                     Process::Options options = {}) const;
    // `sh -c script` on host, to its end.
    Outcome sh_on(const std::string &host, const std::string &script, Millis timeout = 30s) const;

    // `labnet -n NAME args...` as an argv.
    std::vector<std::string> argv(std::vector<std::string> args) const;

private:
    std::string name_;
    Outcome up_;
};

// tcpview (`labnet capture`) on a host's eth0, capturing once constructed.
// Its output goes to a file: a pipe nobody reads during the transfer would
// fill and stall tcpview.  stop() ends it (SIGINT, as Ctrl-C) and returns
// every segment line and the summary; segments() then decodes the frames
// it saved (tcpview -w) with the kit's own decoder.
class Capture {
public:
    Capture(const LabNet &net, const std::string &host, const std::string &filter);
    std::string stop();
    std::vector<wire::Segment> segments() const;

private:
    TempDir dir_;
    std::optional<Process> tcpview_;
};

// The machine's own network: namespaces (`ip netns list`), interfaces of
// its own namespace (`ip -o link`), nftables tables (`nft list tables`).
std::vector<std::string> netns_names();
std::vector<std::string> own_interfaces();
std::string nft_tables();

// The path of a built program, quoted for sh -c.
std::string prog(const std::string &program);

}  // namespace socklab::test

#endif  // SOCKLAB_LABNET_SUPPORT_HPP
