// SPDX-License-Identifier: MIT
#include "store.hpp"

#include <linux/openat2.h>
#include <sys/syscall.h>

#include <climits>
#include <cstdlib>
#include <cstring>
#include <random>
#include <utility>

namespace udpft {

namespace {

constexpr int kDirFlags = O_PATH | O_DIRECTORY | O_CLOEXEC;

int openat2_beneath(int dirfd, const char *path)
{
    open_how how{};
    how.flags = kDirFlags;
    how.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS;
    return static_cast<int>(syscall(SYS_openat2, dirfd, path, &how, sizeof how));
}

int fail(std::string *why, Code code, std::string text)
{
    *why = std::move(text);
    return code;
}

}  // namespace

Upload &Upload::operator=(Upload &&o) noexcept
{
    if (this != &o) {
        dir_ = std::move(o.dir_);
        file_ = std::move(o.file_);
        tmp_ = std::exchange(o.tmp_, {});
        name_ = std::exchange(o.name_, {});
    }
    return *this;
}

Upload::~Upload()
{
    if (dir_ && !tmp_.empty())
        unlinkat(dir_.get(), tmp_.c_str(), 0);  // never a partial file under the final name
}

int Upload::commit(bool force, std::string *why)
{
    if (fsync(file_.get()) < 0 || fchmod(file_.get(), 0644) < 0)
        return fail(why, kServerError, std::string("server error: ") + strerror(errno));
    file_.reset();
    int r = renameat2(dir_.get(), tmp_.c_str(), dir_.get(), name_.c_str(), force ? 0 : RENAME_NOREPLACE);
    if (r < 0 && !force && errno == EINVAL) {  // a file system without RENAME_NOREPLACE
        r = linkat(dir_.get(), tmp_.c_str(), dir_.get(), name_.c_str(), 0);
        if (r == 0)
            unlinkat(dir_.get(), tmp_.c_str(), 0);
    }
    if (r < 0) {
        if (errno == EEXIST)
            return fail(why, kExists, "file exists (put -f to replace it)");
        if (errno == EISDIR)
            return fail(why, kNotRegular, "not a regular file");
        return fail(why, kServerError, std::string("server error: rename: ") + strerror(errno));
    }
    tmp_.clear();  // renamed: nothing left to remove
    return 0;
}

Store::Store(const std::string &dir)
{
    root_.reset(::open(dir.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
    if (!root_)
        unp::throw_errno("open");
    char buf[PATH_MAX];
    if (realpath(dir.c_str(), buf) == nullptr)
        unp::throw_errno("realpath");
    real_ = buf;
    int fd = getenv("FTSERVER_NO_OPENAT2") ? -1 : openat2_beneath(root_.get(), ".");
    have_openat2_ = fd >= 0;
    if (fd >= 0)
        close(fd);
}

int Store::open_dir(const std::string &rel) const
{
    if (have_openat2_)
        return openat2_beneath(root_.get(), rel.c_str());
    char buf[PATH_MAX];
    if (realpath((real_ + "/" + rel).c_str(), buf) == nullptr)
        return -1;
    std::string resolved = buf;
    if (resolved != real_ && resolved.compare(0, real_.size() + 1, real_ + "/") != 0) {
        errno = EXDEV;
        return -1;
    }
    return open(buf, kDirFlags);
}

int Store::begin(std::string_view path, bool force, Upload *up, std::string *why) const
{
    if (path.empty())
        return fail(why, kBadRequest, "bad request: empty path");
    if (path.find('\0') != std::string_view::npos)
        return fail(why, kBadRequest, "bad request: the path contains a NUL byte");
    if (path.size() > kMaxPath)
        return fail(why, kBadRequest, "path too long (" + std::to_string(path.size()) + " bytes; at most " +
                                          std::to_string(kMaxPath) + ")");
    std::string rel(path);
    if (rel.front() == '/') {  // as ftserv02: absolute only if under the directory
        if (rel.compare(0, real_.size(), real_) != 0 || (rel.size() > real_.size() && rel[real_.size()] != '/'))
            return fail(why, kOutside, "outside the served directory");
        rel.erase(0, real_.size());
        rel.erase(0, rel.find_first_not_of('/'));
    }
    std::size_t slash = rel.rfind('/');
    std::string dir = slash == std::string::npos ? "." : rel.substr(0, slash);
    std::string name = slash == std::string::npos ? rel : rel.substr(slash + 1);
    if (name.empty() || name == "." || name == "..")
        return fail(why, kBadRequest, "bad request: name a file, not a directory");
    if (dir.empty())
        dir = ".";

    Upload u;
    u.dir_.reset(open_dir(dir));
    if (!u.dir_) {
        if (errno == EXDEV)
            return fail(why, kOutside, "outside the served directory");
        if (errno == ENOENT || errno == ENOTDIR)
            return fail(why, kNotFound, "no such directory");
        if (errno == EACCES || errno == EPERM)
            return fail(why, kPermission, "permission denied");
        return fail(why, kServerError, std::string("server error: open: ") + strerror(errno));
    }
    struct stat st {};
    if (!force && fstatat(u.dir_.get(), name.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0)
        return fail(why, kExists, "file exists (put -f to replace it)");
    std::random_device rd;
    for (int attempt = 0; attempt < 10 && !u.file_; attempt++) {
        u.tmp_ = "." + name.substr(0, 200) + ".part-" + std::to_string(rd() % 1000000);
        u.file_.reset(openat(u.dir_.get(), u.tmp_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600));
        if (!u.file_ && errno != EEXIST) {
            int e = errno;
            u.tmp_.clear();
            return fail(why, e == EACCES ? kPermission : kServerError,
                        e == EACCES ? "permission denied" : std::string("server error: create: ") + strerror(e));
        }
    }
    if (!u.file_) {
        u.tmp_.clear();
        return fail(why, kServerError, "server error: no temporary name free");
    }
    u.name_ = name;
    *up = std::move(u);
    return 0;
}

}  // namespace udpft
