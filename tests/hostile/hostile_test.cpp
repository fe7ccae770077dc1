// SPDX-License-Identifier: MIT
// Hostile/Attack.Survives/<server>_<attack>: every server meets every
// attack, then is checked as a user would see it (hostile.hpp).
#include "hostile.hpp"

#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdlib>
#include <regex>
#include <thread>

namespace socklab::hostile {
namespace {

using test::eventually;
using test::Process;
using test::program_path;

struct Cell {
    const Server *server;
    const Attack *attack;
};

// A scratch directory for the server, removed afterwards.
struct Scratch {
    std::string path;
    Scratch()
    {
        const char *tmp = getenv("TMPDIR");
        std::string tmpl = std::string(tmp && *tmp ? tmp : "/tmp") + "/hostile-XXXXXX";
        path = mkdtemp(tmpl.data()) ? tmpl : "";
    }
    ~Scratch()
    {
        if (!path.empty() && system(("rm -rf '" + path + "'").c_str()) != 0) {
        }
    }
};

// What the server looked like once serving: descriptors and children.
struct Baseline {
    int fds = 0;
    std::size_t children = 0;
};

Process start(const Server &s, const Attack &a, const std::string &dir)
{
    std::vector<std::string> argv;
    if (a.nofile > 0)
        argv = {"/usr/bin/prlimit", "--nofile=" + std::to_string(a.nofile), "--"};
    argv.push_back(program_path(s.program));
    for (const std::string &arg : s.args(dir))
        argv.push_back(arg);
    if (s.port_arg)
        argv.push_back("0");
    return Process::start(argv, {s.env, dir});
}

// CPU time pid has used (user + system), from /proc/pid/stat (0 once it is gone).
Millis cpu_time(pid_t pid)
{
    std::optional<unp::ProcStat> st = unp::read_proc_stat(pid);
    long long ticks = st ? static_cast<long long>(st->utime + st->stime) : 0;
    return Millis(ticks * 1000 / sysconf(_SC_CLK_TCK));
}

// Out of descriptors, with the connections still held: a server that
// turns clients away says so, then sleeps; one that spins on accept()
// burns the CPU and floods its log.
void expect_quiet_while_out_of_descriptors(Process &srv)
{
    std::string err;
    ASSERT_TRUE(eventually([&] { return (err = srv.stderr_text()).find("Too many open files") != std::string::npos; }))
        << "out of descriptors, and not a word logged:\n" << err;
    Millis before = cpu_time(srv.pid());
    std::this_thread::sleep_for(500ms);  // the window measured, not a wait for an event
    Millis used = cpu_time(srv.pid()) - before;
    EXPECT_LT(used.count(), 200) << "the server spun for " << used.count() << " ms of the 500 ms held";
    err = srv.stderr_text();
    std::size_t lines = 0;
    for (std::size_t at = 0; (at = err.find("Too many open files", at)) != std::string::npos; at++)
        lines++;
    EXPECT_LE(lines, 2u) << "out of descriptors should be logged once, not per attempt:\n" << err.substr(0, 2000);
}

// True once the server's stdout or stderr holds a line matching `pattern`.
bool logged(Process &srv, const std::string &pattern)
{
    std::regex re(pattern);
    return eventually([&] {
        srv.read_rest(20ms);  // whatever it printed on stdout meanwhile
        return std::regex_search(srv.stdout_seen(), re) || std::regex_search(srv.stderr_text(), re);
    }, 20s);
}

// Its stdout is read meanwhile: a server that logs each request there
// would block on a full pipe, and look dead.
bool serves(const Server &s, Process &srv, int port, const std::string &dir, std::string &why)
{
    return eventually([&] {
        srv.read_rest(1ms);
        return s.good(port, dir, why);
    }, 10s);
}

// In the sanitizer build, a forked child that met a bug reports it on
// the stderr it shares with the server, and dies unseen by the checks
// above (the parent lives on): its report is the evidence.
void expect_no_sanitizer_report(Process &srv)
{
    std::string err = srv.stderr_text();
    for (const char *mark : {"ERROR: AddressSanitizer", "ERROR: LeakSanitizer", "runtime error:"})
        EXPECT_EQ(err.find(mark), std::string::npos) << err.substr(err.find(mark), 3000);
}

// For gtest's messages: the pair by name, not as 16 bytes.
void PrintTo(const Cell &c, std::ostream *os) { *os << c.server->name << " x " << c.attack->name; }

class Attacked : public ::testing::TestWithParam<Cell> {};

TEST_P(Attacked, Survives)
{
    const Server &s = *GetParam().server;
    const Attack &a = *GetParam().attack;
    Scratch dir;
    ASSERT_FALSE(dir.path.empty());
    Process srv = start(s, a, dir.path);
    int port = srv.wait_for_port();
    ASSERT_NE(port, 0) << srv.stderr_text();
    std::string why;
    Baseline base;
    base.children = srv.children().size();  // none, or a pool made before listening
    if (s.design != Design::single_shot) {
        int listening = srv.open_fds();
        ASSERT_TRUE(serves(s, srv, port, dir.path, why)) << "before the attack: " << why;
        eventually([&] { return srv.children().size() == base.children && srv.zombie_children() == 0; });
        // The baseline: once the server has closed the correct client's
        // connection, which may take it a moment after the client closed
        // (else a descriptor still on its way out counts as one it keeps).
        // A server that opens something for good on its first client (a
        // log) settles a little higher: what it holds after 1 s.
        eventually([&] { return srv.open_fds() == listening; }, 1s);
        base.fds = srv.open_fds();
    }

    std::vector<Client> held = a.run(port, s, dir.path);
    if (s.design == Design::concurrent && a.nofile == 0) {
        EXPECT_TRUE(serves(s, srv, port, dir.path, why)) << "during the attack: " << why;
    }
    if (a.nofile > 0 && s.sheds)
        expect_quiet_while_out_of_descriptors(srv);
    held.clear();  // the attacker leaves

    if (s.design == Design::single_shot) {
        test::ExitStatus st = srv.wait(10s);
        EXPECT_TRUE(st.exited) << "a one-client server should end cleanly: " << st.describe() << "\n"
                               << srv.stderr_text();
        expect_no_sanitizer_report(srv);
        return;
    }
    EXPECT_TRUE(srv.running()) << "the server died: " << srv.stderr_text();
    for (const auto &[attack, pattern] : s.logs) {
        if (attack == a.name) {
            EXPECT_TRUE(logged(srv, pattern)) << "no line like /" << pattern << "/ in its log:\n"
                                              << srv.stdout_seen().substr(0, 2000) << srv.stderr_text().substr(0, 2000);
        }
    }
    EXPECT_TRUE(serves(s, srv, port, dir.path, why)) << "after the attack: " << why;
    EXPECT_TRUE(eventually([&] { return srv.children().size() == base.children; }))
        << srv.children().size() << " children, " << base.children << " before";
    EXPECT_EQ(srv.zombie_children(), 0);
    // A UDP server holds a vanished client's transfer until its retries
    // run out (about 12 s): the descriptors come back then.
    EXPECT_TRUE(eventually([&] { return srv.open_fds() == base.fds; }, 20s))
        << srv.open_fds() << " descriptors, " << base.fds << " before";
    expect_no_sanitizer_report(srv);
}

std::vector<Cell> cells()
{
    std::vector<Cell> all;
    for (const Server &s : servers()) {
        for (const Attack &a : attacks())
            if (a.transport == s.transport && (!a.lines_only || s.reads_lines))
                all.push_back({&s, &a});
        for (const Attack &a : s.own)
            all.push_back({&s, &a});
    }
    return all;
}

INSTANTIATE_TEST_SUITE_P(Hostile, Attacked, ::testing::ValuesIn(cells()),
                         [](const ::testing::TestParamInfo<Cell> &info) {
                             return info.param.server->name + "_" + info.param.attack->name;
                         });

}  // namespace
}  // namespace socklab::hostile
