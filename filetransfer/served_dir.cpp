// SPDX-License-Identifier: MIT
#include "served_dir.hpp"

#include <linux/openat2.h>
#include <sys/syscall.h>

#include <climits>
#include <cstdlib>
#include <cstring>
#include <system_error>

namespace ft {
namespace {

// O_NONBLOCK: opening a FIFO would otherwise wait for a writer forever.
constexpr int kOpenFlags = O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK;

int openat2_beneath(int dirfd, const char *path)
{
    open_how how{};
    how.flags = kOpenFlags;
    how.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS;
    return static_cast<int>(syscall(SYS_openat2, dirfd, path, &how, sizeof how));
}

Opened refuse(Status status, std::string reason)
{
    Opened r;
    r.status = status;
    r.reason = std::move(reason);
    return r;
}

}  // namespace

ServedDir::ServedDir(const std::string &dir)
{
    root_.reset(::open(dir.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
    if (!root_)
        unp::throw_errno("open");
    char buf[PATH_MAX];
    if (realpath(dir.c_str(), buf) == nullptr)
        unp::throw_errno("realpath");
    real_ = buf;
    // Kernels before 5.6, or a sandbox that filters the call, lack openat2:
    // then fall back to realpath() checks (see open_beneath).
    // FTSERVER_NO_OPENAT2=1 forces the fallback (the tests check it too).
    int fd = getenv("FTSERVER_NO_OPENAT2") ? -1 : openat2_beneath(root_.get(), ".");
    have_openat2_ = fd >= 0;
    if (fd >= 0)
        ::close(fd);
}

int ServedDir::open_beneath(const std::string &rel) const
{
    if (have_openat2_)
        return openat2_beneath(root_.get(), rel.c_str());
    // Fallback: resolve "..", "." and every link with realpath(), check the
    // result is under the directory, and open that path without following
    // a link in its last component.  A link swapped into a middle component
    // between the check and the open is not caught: openat2 closes that gap.
    char buf[PATH_MAX];
    if (realpath((real_ + "/" + rel).c_str(), buf) == nullptr)
        return -1;
    std::string resolved = buf;
    if (resolved != real_ && resolved.compare(0, real_.size() + 1, real_ + "/") != 0) {
        errno = EXDEV;
        return -1;
    }
    return ::open(buf, kOpenFlags | O_NOFOLLOW);
}

Opened ServedDir::open(std::string_view path) const
{
    if (path.empty())
        return refuse(kBadRequest, "bad request: empty path");
    if (path.find('\0') != std::string_view::npos)
        return refuse(kBadRequest, "bad request: the path contains a NUL byte");
    if (path.size() > kMaxPath)
        return refuse(kBadRequest, "path too long (" + std::to_string(path.size()) +
                                       " bytes; at most " + std::to_string(kMaxPath) + ")");

    std::string rel(path);
    if (rel.front() == '/') {
        // "/srv/files/a.txt" served from /srv/files is "a.txt"; any other
        // absolute path is outside.
        if (rel.compare(0, real_.size(), real_) != 0 ||
            (rel.size() > real_.size() && rel[real_.size()] != '/' && real_ != "/"))
            return refuse(kOutside, "outside the served directory");
        rel.erase(0, real_.size());
        rel.erase(0, rel.find_first_not_of('/'));
        if (rel.empty())
            rel = ".";
    }

    Opened r;
    r.fd.reset(open_beneath(rel));
    if (!r.fd) {
        switch (errno) {
        case ENOENT:
        case ENOTDIR:
            return refuse(kNotFound, "no such file");
        case EACCES:
        case EPERM:
            return refuse(kPermission, "permission denied");
        case EXDEV:  // RESOLVE_BENEATH, or the fallback's check: it leads out
            return refuse(kOutside, "outside the served directory");
        case ELOOP:
            return refuse(kNotFound, "no such file (a loop of symbolic links)");
        case ENAMETOOLONG:
            return refuse(kBadRequest, "path too long");
        case ENXIO:  // a socket or a FIFO without a writer
        case ENODEV:
            return refuse(kNotRegular, "not a regular file");
        default:
            return refuse(kServerError, std::string("server error: open: ") + strerror(errno));
        }
    }
    struct stat st {};
    if (fstat(r.fd.get(), &st) < 0)
        return refuse(kServerError, std::string("server error: fstat: ") + strerror(errno));
    if (!S_ISREG(st.st_mode))
        return refuse(kNotRegular, "not a regular file");
    int flags = fcntl(r.fd.get(), F_GETFL);
    if (flags >= 0)
        fcntl(r.fd.get(), F_SETFL, flags & ~O_NONBLOCK);
    r.size = static_cast<std::uint64_t>(st.st_size);
    return r;
}

}  // namespace ft
