// SPDX-License-Identifier: MIT
#include "served_dir.hpp"

#include <climits>
#include <cstdlib>
#include <cstring>
#include <system_error>

namespace ft {
namespace {

// O_NONBLOCK: opening a FIFO would otherwise wait for a writer forever.
constexpr int kOpenFlags = O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK;

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
    // then walk the path by hand (see walk_beneath).
    // FTSERVER_NO_OPENAT2=1 forces the fallback (the tests check it too).
    int fd = getenv("FTSERVER_NO_OPENAT2") ? -1 : unp::openat2_beneath(root_.get(), ".", kOpenFlags);
    have_openat2_ = fd >= 0;
    if (fd >= 0)
        ::close(fd);
}

int ServedDir::open_beneath(const std::string &rel) const
{
    if (have_openat2_) {
        int fd = unp::openat2_beneath(root_.get(), rel.c_str(), kOpenFlags);
        // EXDEV is also what RESOLVE_BENEATH says for a symlink whose target
        // is absolute, even one under the directory; the walk serves those
        // and refuses the rest.  EAGAIN: a rename raced the lookup.
        if (fd >= 0 || (errno != EXDEV && errno != EAGAIN))
            return fd;
    }
    return walk_beneath(rel);
}

// The fallback, and the resolver of absolute symlinks: the path walked one
// component at a time from the directory's descriptor, never by name from
// the top.  A directory is entered with openat(O_PATH | O_DIRECTORY |
// O_NOFOLLOW) and the last component opened with O_NOFOLLOW, so the kernel
// follows no link behind our back; a link met on the way is read with
// readlinkat() and its target walked the same way, from the directory
// that holds it (relative) or from the top (absolute, if it names a place
// under the directory; any other absolute target is outside, whether it
// exists or not).  ".." above the top is outside, before anything after
// it is looked at.  A symlink swapped in at any moment is met by the same
// rules, so no race leads out.  (What the walk cannot see is a directory
// renamed out of the tree while it stands in it; openat2 catches that.)
int ServedDir::walk_beneath(std::string todo) const
{
    unp::Fd cur(::openat(root_.get(), ".", O_PATH | O_DIRECTORY | O_CLOEXEC));
    int depth = 0, links = 0;  // depth: directories below the top
    while (cur) {
        std::size_t start = todo.find_first_not_of('/');
        std::size_t end = start == std::string::npos ? start : todo.find('/', start);
        std::string name = start == std::string::npos ? "." : todo.substr(start, end - start);
        std::string rest = end == std::string::npos ? "" : todo.substr(end);
        bool last = rest.find_first_not_of('/') == std::string::npos;
        if (name == ".." && depth == 0) {
            errno = EXDEV;
            return -1;
        }
        if (name == "." || name == "..") {
            if (name == "..") {
                cur.reset(::openat(cur.get(), "..", O_PATH | O_DIRECTORY | O_CLOEXEC));
                depth--;
            }
            if (last)
                return cur ? ::openat(cur.get(), ".", kOpenFlags) : -1;
            todo = rest;
            continue;
        }
        int fd = last ? ::openat(cur.get(), name.c_str(), kOpenFlags | O_NOFOLLOW)
                      : ::openat(cur.get(), name.c_str(), O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (fd >= 0 && last)
            return fd;
        if (fd >= 0) {
            cur.reset(fd);
            depth++;
            todo = rest;
            continue;
        }
        if (errno != ELOOP && errno != ENOTDIR)
            return -1;
        // O_NOFOLLOW met a symlink (or, ENOTDIR, a file on the way).
        char target[PATH_MAX];
        ssize_t n = readlinkat(cur.get(), name.c_str(), target, sizeof target - 1);
        if (n <= 0) {
            errno = ENOTDIR;  // not a link: a file where a directory should be
            return -1;
        }
        if (++links > 40) {  // the kernel's own limit
            errno = ELOOP;
            return -1;
        }
        std::string link(target, static_cast<std::size_t>(n));
        if (link.front() == '/' && !rebase_absolute(link, cur, depth)) {
            errno = EXDEV;
            return -1;
        }
        todo = link + rest;
    }
    return -1;
}

// An absolute link target that names a place under the directory, made
// relative to its top, with the walk back at the top; false if outside.
bool ServedDir::rebase_absolute(std::string &link, unp::Fd &cur, int &depth) const
{
    if (link != real_ && link.compare(0, real_.size() + 1, real_ + "/") != 0 && real_ != "/")
        return false;
    link.erase(0, real_ == "/" ? 0 : real_.size());
    cur.reset(::openat(root_.get(), ".", O_PATH | O_DIRECTORY | O_CLOEXEC));
    depth = 0;
    return true;
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
