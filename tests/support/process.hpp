// SPDX-License-Identifier: MIT
// End-to-end test support: start a built program, read what it prints,
// talk to it over loopback, stop it, and check what it left behind.
//
// Programs are found by name through program_path(), so the same tests run
// against the kit's binaries (paths compiled in by socklab_test() in CMake)
// or against a student's (environment SOCKLAB_PROG_<name>=/path, as the
// exercises grader does).
//
// Nothing here sleeps and hopes: every wait is for a condition, with a
// deadline, and a timed-out wait returns an empty/false result that the
// test reports, so a broken program fails a test instead of hanging it.
#ifndef SOCKLAB_TEST_PROCESS_HPP
#define SOCKLAB_TEST_PROCESS_HPP

#include "unp.hpp"

#include <chrono>
#include <functional>
#include <optional>
#include <regex>
#include <string>
#include <string_view>
#include <vector>

namespace socklab::test {

using namespace std::chrono_literals;
using Millis = std::chrono::milliseconds;

inline constexpr Millis kDefaultTimeout = 10s;

// The program to run for `name`: $SOCKLAB_PROG_<name> if set, else the
// path the build compiled in.  Fails the test (and returns "") if neither.
std::string program_path(const std::string &name);

// Waits until pred() is true, checking every few milliseconds; false if the
// deadline passes first.  For conditions with no event to wait on (a child
// reaped, a descriptor closed).
bool eventually(const std::function<bool()> &pred, Millis timeout = kDefaultTimeout);

// How a process ended.
struct ExitStatus {
    bool exited = false;   // called exit(): see code
    int code = -1;
    bool signaled = false; // killed by a signal: see signal
    int signal = 0;
    bool timed_out = false;  // still running at the deadline
    std::string describe() const;  // "exit 0", "killed by SIGPIPE", "still running"
};

class Process {
public:
    struct Options {
        std::vector<std::string> env;  // extra "NAME=value" entries
        std::string cwd;               // working directory; "" = inherit
    };

    // Starts argv[0] (a path) with pipes on stdin, stdout and stderr, in a
    // process group of its own, so stop() also ends any children it forked.
    static Process start(std::vector<std::string> argv, Options options);
    static Process start(std::vector<std::string> argv) { return start(std::move(argv), Options{}); }
    // program_path(name) followed by args.
    static Process run(const std::string &name, std::vector<std::string> args = {}, Options options = {});

    // No process: the state a member holds before a test starts one (move a
    // started Process into it); pid() is -1 and every query is empty.
    Process() = default;
    Process(Process &&) noexcept;
    Process &operator=(Process &&) noexcept;
    Process(const Process &) = delete;
    Process &operator=(const Process &) = delete;
    ~Process();  // stop()

    pid_t pid() const { return pid_; }

    // --- stdin ---
    bool write_stdin(std::string_view text);  // false if the program stopped reading
    void close_stdin();

    // --- stdout (lines without their '\n') and stderr ---
    std::optional<std::string> read_line(Millis timeout = kDefaultTimeout);
    // Reads lines until one matches (returned); nullopt at EOF or deadline.
    std::optional<std::string> wait_for_line(const std::regex &pattern, Millis timeout = kDefaultTimeout);
    // Reads stdout until it holds `text` (anywhere, across lines); for prompts
    // without a newline.  Consumes up to and including text.
    bool wait_for_text(std::string_view text, Millis timeout = kDefaultTimeout);
    // Waits for "listening on <addr>, port <n>" and returns n (0 on failure).
    int wait_for_port(Millis timeout = kDefaultTimeout);
    // Everything still to come on stdout, until EOF or the deadline.
    std::string read_rest(Millis timeout = kDefaultTimeout);
    // All stdout seen so far, consumed or not.
    const std::string &stdout_seen() const { return out_all_; }
    // stderr so far (and until EOF if the process has exited).
    std::string stderr_text();

    // --- lifetime ---
    void kill(int signo);  // to the process only (not its group)
    // Waits for the process to end; timed_out if it does not by the deadline.
    ExitStatus wait(Millis timeout = kDefaultTimeout);
    // Kills the whole process group with SIGKILL and reaps the process.
    void stop();
    bool running();

    // --- what it left behind (Linux /proc) ---
    std::vector<pid_t> children() const;   // direct children, any state
    int zombie_children() const;           // direct children in state Z
    int open_fds() const;                  // entries in /proc/pid/fd
    std::vector<std::string> fd_targets() const;  // readlink of each

private:
    // Reads whatever is available on stdout/stderr, waiting at most until
    // `deadline`; false if nothing more can come (both at EOF).
    bool pump(std::chrono::steady_clock::time_point deadline);

    pid_t pid_ = -1;
    unp::Fd in_, out_, err_;  // its stdin, stdout and stderr
    std::string out_buf_;  // stdout not yet consumed
    std::string out_all_;
    std::string err_all_;
    bool reaped_ = false;
    ExitStatus status_;
};

// A test's end of a TCP connection, with deadlines on every read.
class Client {
public:
    // Connects to host:port (127.0.0.1 or ::1); check connected().
    explicit Client(int port, const std::string &host = "127.0.0.1", Millis timeout = kDefaultTimeout);
    bool connected() const { return static_cast<bool>(fd_); }
    int errno_value() const { return errno_; }  // connect()'s errno if not connected
    int fd() const { return fd_.get(); }

    bool send(std::string_view bytes);  // false on error (EPIPE, ECONNRESET)
    bool send_u32(uint32_t host_value);  // 4 bytes, network byte order
    // The next line without '\n'; nullopt on EOF, error or deadline.
    // (A last piece without '\n' before the end is no line: it is dropped.)
    std::optional<std::string> recv_line(Millis timeout = kDefaultTimeout);
    // Exactly n bytes, or fewer at EOF/deadline.
    std::string recv_exact(size_t n, Millis timeout = kDefaultTimeout);
    // Everything until the peer closes (or the deadline).
    std::string recv_all(Millis timeout = kDefaultTimeout);
    // True once the peer has closed (read returns 0) or reset, within timeout.
    bool closed_by_peer(Millis timeout = kDefaultTimeout);

    void shutdown_write();
    void close();  // orderly: FIN
    void reset();  // SO_LINGER {1, 0}: RST

private:
    unp::Fd fd_;
    int errno_ = 0;
    // What the peer sent, through the kit's one line reader (an error
    // such as ECONNRESET counts as the end).
    unp::LineReader in_{-1};
};

// host, a numeric address (127.0.0.1, ::1), and port as a socket address
// (unp::numeric_address); nullopt, with the test failed, for anything else.
std::optional<unp::Address> loopback_address(const std::string &host, int port);

// Zombies among pid's children, counted from /proc.
int zombie_children_of(pid_t pid);

// The state letter of pid in /proc/pid/stat ('R' running, 'S' sleeping,
// 'T' stopped, 'Z' zombie, ...), or 0 if there is no such process.
char proc_state(pid_t pid);

// True while pid sleeps inside accept().  A signal meant to interrupt
// accept() must wait for this: one that arrives a moment earlier is handled
// on the way, and accept() then blocks as usual.  /proc/PID/syscall names
// the call; where a locked-down container refuses that file, the wait
// channel names the sleep, and where that is hidden too, state S is all
// there is to go on.
bool blocked_in_accept(pid_t pid);

// A port where nothing listens, for as long as this lives: a socket bound
// to it that never listens.  A connect() there is refused, and no server of
// a test running in parallel can be given the port meanwhile, as it could
// one that was merely free a moment ago (a listener taken and closed).  The
// kernel picks the port unless one is asked for; port() is 0 if the bind
// failed (the test reports it).
class RefusingPort {
public:
    explicit RefusingPort(const std::string &host = "127.0.0.1", int wanted = 0);
    int port() const { return port_; }

private:
    unp::Fd fd_;
    int port_ = 0;
};

}  // namespace socklab::test

#endif  // SOCKLAB_TEST_PROCESS_HPP
