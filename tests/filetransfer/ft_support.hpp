// SPDX-License-Identifier: MIT
// What the file transfer tests share: scratch directories, files with
// known bytes, and a relay that stops a transfer in the middle on purpose.
#ifndef SOCKLAB_FT_SUPPORT_HPP
#define SOCKLAB_FT_SUPPORT_HPP

#include "process.hpp"

#include <atomic>
#include <functional>
#include <cstdint>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace socklab::test {

// A fresh directory under $TMPDIR (or /tmp), or under `base` if given,
// removed with all it holds.
class TempDir {
public:
    explicit TempDir(const std::string &base = "");
    ~TempDir();
    TempDir(const TempDir &) = delete;
    TempDir &operator=(const TempDir &) = delete;
    const std::string &path() const { return path_; }
    std::string operator/(const std::string &name) const { return path_ + "/" + name; }
    // Entries of the directory (names only, dot files too), sorted.
    std::vector<std::string> entries() const;

private:
    std::string path_;
};

std::string random_bytes(std::size_t n, unsigned seed = 1);
std::string all_byte_values();  // 0, 1, ..., 255
void write_file(const std::string &path, const std::string &bytes);
std::string read_file(const std::string &path);
bool exists(const std::string &path);

// When the tests run as root, permissions do not stop reads: a server that
// must meet an unreadable file is started through setpriv, still root but
// without the capabilities that override file permissions (so it runs from
// wherever the build tree is), or else as "nobody".  The argv prefix for
// `program` ({} when not root), tried first on a file of mode 0 in a
// scratch directory: the program must be reachable and the file not
// readable.  nullopt if no way works here.
std::optional<std::vector<std::string>> as_unprivileged(const std::string &program);

// Free bytes for an unprivileged user on the file system holding `path`
// (0 if it cannot be told).
std::uint64_t free_bytes(const std::string &path);

// Relays one connection from a client to 127.0.0.1:server_port, passing
// the server's bytes through only until `limit` of them have reached the
// client: then the transfer stands still, mid-file, for as long as the
// test likes (a killed server's last bytes and its FIN wait behind the
// held ones: resume() lets them through).  If one side goes away the relay closes the other (with RST
// when bytes are left unread, as the kernel would).
class PausingRelay {
public:
    PausingRelay(int server_port, std::size_t limit);
    ~PausingRelay();
    PausingRelay(const PausingRelay &) = delete;
    PausingRelay &operator=(const PausingRelay &) = delete;
    int port() const { return port_; }
    bool wait_paused(Millis timeout = kDefaultTimeout) const;  // limit reached
    void resume();      // pass everything from now on
    void reset_both();  // RST to the client and to the server, now
    bool finished(Millis timeout = kDefaultTimeout) const;  // both sides closed

private:
    void run();
    unp::Fd listener_;
    int port_ = 0, server_port_;
    std::size_t limit_;
    int wake_[2] = {-1, -1};
    std::atomic<bool> paused_{false}, done_{false}, reset_{false}, resumed_{false};
    std::thread thread_;
};

// A program run on a pseudo-terminal of `cols` columns, as a person would
// run it in a terminal window: the terminal is its controlling terminal
// and its stdout and stderr (and stdin, unless stdin_file names a file to
// read instead).  resize() changes the width as dragging the window would:
// the kernel sends the program SIGWINCH.  What the program writes piles up
// in output().
class Terminal {
public:
    struct Options {
        std::string cwd;         // "" = inherit
        std::string stdin_file;  // "" = the terminal
    };
    Terminal(std::vector<std::string> argv, int cols, Options options);
    ~Terminal();
    Terminal(const Terminal &) = delete;
    Terminal &operator=(const Terminal &) = delete;
    pid_t pid() const { return pid_; }
    void resize(int cols);
    void type(std::string_view keys);  // as typed: "\x04" is Ctrl-D at a line's start
    // Reads what arrives for up to `timeout` (until pred holds, if given).
    bool read_until(const std::function<bool(const std::string &)> &pred, Millis timeout = kDefaultTimeout);
    const std::string &output() const { return out_; }
    ExitStatus wait(Millis timeout = kDefaultTimeout);  // reads the rest meanwhile

private:
    unp::Fd master_;
    pid_t pid_ = -1;
    std::string out_;
    bool reaped_ = false;
};

// The frames a terminal shows in `output`: the text between '\r's and
// '\n's, with escape sequences (ESC [ ... letter) removed, so each frame's
// size is the columns it takes.
std::vector<std::string> frames(const std::string &output);

}  // namespace socklab::test

#endif  // SOCKLAB_FT_SUPPORT_HPP
