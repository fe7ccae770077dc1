// SPDX-License-Identifier: MIT
// served_dir.hpp - opening a requested path without ever leaving one
// directory (ftserv02's confinement).
//
// The kernel does the checking: openat2(2) with RESOLVE_BENEATH resolves
// the path one component at a time below the directory's descriptor and
// fails with EXDEV if "..", an absolute path or a symbolic link would lead
// out of it.  Checking the text of the path first and opening it later
// would leave a gap in which a symlink can be swapped in.  Without openat2
// (kernels before 5.6, FTSERVER_NO_OPENAT2=1) the same walk is done by
// hand, one openat(O_NOFOLLOW) per component (served_dir.cpp).
#ifndef FT_SERVED_DIR_HPP
#define FT_SERVED_DIR_HPP

#include "ftproto.hpp"
#include "unp.hpp"

#include <cstdint>
#include <string>
#include <string_view>

namespace ft {

struct Opened {
    unp::Fd fd;            // open on a regular file when status == kOk
    Status status = kOk;
    std::string reason;    // for the client and the log when status != kOk
    std::uint64_t size = 0;
};

class ServedDir {
public:
    // Opens dir; throws std::system_error if it cannot.
    explicit ServedDir(const std::string &dir);

    // Opens path, relative to the directory (an absolute path is accepted
    // only if it names something under the directory's real path).  Never
    // blocks on a FIFO and never follows a link out of the directory.
    Opened open(std::string_view path) const;

    const std::string &path() const { return real_; }
    bool kernel_checked() const { return have_openat2_; }

private:
    int open_beneath(const std::string &rel) const;  // -1 and errno on failure
    int walk_beneath(std::string rel) const;         // the same, without openat2
    bool rebase_absolute(std::string &link, unp::Fd &cur, int &depth) const;
    unp::Fd root_;
    std::string real_;  // realpath() of the directory
    bool have_openat2_ = false;
};

}  // namespace ft

#endif  // FT_SERVED_DIR_HPP
