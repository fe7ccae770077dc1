// SPDX-License-Identifier: MIT
#include "labnet_support.hpp"

#include "capture.hpp"

#include <gtest/gtest.h>

#include <unistd.h>

#include <csignal>

#include <cstdlib>
#include <sstream>

namespace socklab::test {

bool running_as_root() { return geteuid() == 0; }

std::string labnet_path()
{
    const char *env = getenv("SOCKLAB_PROG_labnet");
    return env && *env ? env : SOCKLAB_LABNET_PATH;
}

Outcome run_to_end(std::vector<std::string> argv, Millis timeout)
{
    Process p = Process::start(std::move(argv));
    Outcome o;
    o.out = p.read_rest(timeout);
    o.status = p.wait(1s);
    o.err = p.stderr_text();
    return o;
}

Outcome sh(const std::string &script, Millis timeout)
{
    return run_to_end({"/bin/sh", "-c", script}, timeout);
}

std::string quoted(const std::string &text)
{
    std::string q = "'";
    for (char c : text)
        q += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return q + "'";
}

std::string prog(const std::string &program) { return quoted(program_path(program)); }

std::string unique_name(const std::string &tag)
{
    return "sln" + std::to_string(getpid()) + tag;
}

DownOnExit::~DownOnExit() { run_to_end({labnet_path(), "-n", name_, "down"}); }

LabNet::LabNet(const std::string &tag, int hosts) : name_(unique_name(tag))
{
    up_ = run({"up", std::to_string(hosts)});
}

LabNet::~LabNet()
{
    Outcome o = down();
    EXPECT_EQ(o.status.describe(), "exit 0") << "labnet -n " << name_ << " down: " << o.err;
}

std::vector<std::string> LabNet::argv(std::vector<std::string> args) const
{
    std::vector<std::string> v = {labnet_path(), "-n", name_};
    v.insert(v.end(), args.begin(), args.end());
    return v;
}

Outcome LabNet::run(std::vector<std::string> args, Millis timeout) const
{
    return run_to_end(argv(std::move(args)), timeout);
}

Process LabNet::start(const std::string &host, const std::string &program,
                      std::vector<std::string> args, Process::Options options) const
{
    std::vector<std::string> v = argv({"exec", host, program_path(program)});
    v.insert(v.end(), args.begin(), args.end());
    return Process::start(std::move(v), std::move(options));
}

Process LabNet::start_sh(const std::string &host, const std::string &script,
                         Process::Options options) const
{
    return Process::start(argv({"exec", host, "/bin/sh", "-c", script}), std::move(options));
}

Outcome LabNet::sh_on(const std::string &host, const std::string &script, Millis timeout) const
{
    return run({"exec", host, "/bin/sh", "-c", script}, timeout);
}

Capture::Capture(const LabNet &net, const std::string &host, const std::string &filter)
{
    std::vector<std::string> v = {"/bin/sh", "-c", "exec \"$@\" > " + quoted(dir_ / "seen"), "sh"};
    for (auto &a : net.argv({"capture", host, "-w", dir_ / "seen.pcap", filter}))
        v.push_back(a);
    Process::Options options;
    options.env = {"LABNET_TCPVIEW=" + program_path("tcpview")};
    Process &p = tcpview_.emplace(Process::start(std::move(v), options));
    // tcpview says so on stderr once the capture runs; traffic before that is lost.
    bool capturing = eventually([&] {
        return p.stderr_text().find("capturing") != std::string::npos || !p.running();
    });
    EXPECT_TRUE(capturing && p.running()) << "labnet capture: " << p.stderr_text();
}

std::string Capture::stop()
{
    tcpview_->kill(SIGINT);  // the same process all along: sh, labnet and ip exec
    ExitStatus st = tcpview_->wait();
    EXPECT_EQ(st.describe(), "exit 0") << tcpview_->stderr_text();
    return read_file(dir_ / "seen");
}

std::vector<wire::Segment> Capture::segments() const
{
    std::vector<wire::Segment> v;
    wire::Capture file = wire::Capture::file(dir_ / "seen.pcap");
    EXPECT_TRUE(file.open()) << file.error();
    if (!file.open())
        return v;
    const int link = file.link();
    wire::Capture::Handler keep = [&](uint64_t, int64_t t, std::span<const uint8_t> frame) {
        if (auto s = wire::decode_frame(link, t, frame))
            v.push_back(std::move(*s));
        return false;
    };
    while (file.dispatch(keep) > 0)
        ;
    return v;
}

namespace {

std::vector<std::string> lines(const std::string &text)
{
    std::vector<std::string> v;
    std::istringstream in(text);
    for (std::string l; std::getline(in, l);)
        v.push_back(l);
    return v;
}

}  // namespace

std::vector<std::string> netns_names()
{
    std::vector<std::string> v;
    for (const auto &l : lines(sh("ip netns list").out))
        v.push_back(l.substr(0, l.find(' ')));  // "name (id: 3)"
    return v;
}

std::vector<std::string> own_interfaces()
{
    std::vector<std::string> v;
    for (const auto &l : lines(sh("ip -o link show").out)) {
        // "2: eth0@if3: <BROADCAST,..." -> "eth0"
        size_t a = l.find(": ") + 2, b = l.find_first_of(":@", a);
        v.push_back(l.substr(a, b - a));
    }
    return v;
}

std::string nft_tables() { return sh("nft list tables 2>/dev/null").out; }

}  // namespace socklab::test
