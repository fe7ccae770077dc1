// SPDX-License-Identifier: MIT
#include "part_file.hpp"

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstring>

namespace ft {
namespace {

// The temporary file being written, for the signal handler: a fixed buffer
// and a flag, the only things a handler may safely read.
char tmp_path[PATH_MAX + 32];
volatile sig_atomic_t have_tmp = 0;

extern "C" void remove_tmp_and_die(int signo)
{
    if (have_tmp)
        unlink(tmp_path);  // async-signal-safe
    signal(signo, SIG_DFL);
    raise(signo);  // die of the signal, as the shell expects
}

}  // namespace

std::string dir_name(const std::string &path)
{
    std::size_t slash = path.rfind('/');
    if (slash == std::string::npos)
        return ".";
    return slash == 0 ? "/" : path.substr(0, slash);
}

namespace {

std::string base_name(const std::string &path)
{
    std::size_t slash = path.rfind('/');
    return slash == std::string::npos ? path : path.substr(slash + 1);
}

}  // namespace

void remove_part_on_signals()
{
    struct sigaction sa {};
    sa.sa_handler = remove_tmp_and_die;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    for (int signo : {SIGINT, SIGTERM, SIGHUP})
        sigaction(signo, &sa, nullptr);
}

const char *PartFile::path() const { return tmp_path; }

bool PartFile::create(const std::string &target)
{
    discard();
    std::string tmpl = dir_name(target) + "/." + base_name(target) + ".part-XXXXXX";
    if (tmpl.size() >= sizeof tmp_path) {
        errno = ENAMETOOLONG;
        return false;
    }
    // The signals that remove the file wait while it is made and named for
    // the handler: one between mkstemp() and have_tmp would leave it behind.
    sigset_t block, old;
    sigemptyset(&block);
    for (int signo : {SIGINT, SIGTERM, SIGHUP})
        sigaddset(&block, signo);
    sigprocmask(SIG_BLOCK, &block, &old);
    memcpy(tmp_path, tmpl.c_str(), tmpl.size() + 1);
    fd_ = mkstemp(tmp_path);
    have_tmp = fd_ >= 0;
    int err = errno;
    sigprocmask(SIG_SETMASK, &old, nullptr);
    errno = err;
    if (fd_ < 0)
        return false;
    target_ = target;
    return true;
}

bool PartFile::commit(bool replace)
{
    mode_t mask = umask(0);
    umask(mask);
    int fd = fd_;
    fd_ = -1;
    if (fchmod(fd, 0666 & ~mask) < 0 || close(fd) < 0) {
        int err = errno;
        discard();
        errno = err;
        return false;
    }
    int r = replace ? rename(tmp_path, target_.c_str())
                    : renameat2(AT_FDCWD, tmp_path, AT_FDCWD, target_.c_str(), RENAME_NOREPLACE);
    if (r < 0 && !replace && errno == EINVAL) {  // a file system without RENAME_NOREPLACE
        r = link(tmp_path, target_.c_str());
        if (r == 0)
            unlink(tmp_path);
    }
    int err = errno;
    if (r == 0)
        have_tmp = 0;  // renamed: nothing left to remove
    discard();
    errno = err;
    return r == 0;
}

void PartFile::discard()
{
    if (fd_ >= 0)
        close(fd_);
    fd_ = -1;
    if (have_tmp) {
        have_tmp = 0;
        unlink(tmp_path);
    }
}

}  // namespace ft
