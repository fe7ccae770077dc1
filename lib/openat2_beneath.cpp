// SPDX-License-Identifier: MIT
// openat2_beneath: open a path under a directory descriptor with the
// kernel's RESOLVE_BENEATH check (Linux 5.6), for the servers that serve a
// directory (http/site.cpp, filetransfer/served_dir.cpp).
#include "unp.hpp"

#include <linux/openat2.h>
#include <sys/syscall.h>

#include <cstdint>

namespace unp {

int openat2_beneath(int dirfd, const char *path, int flags)
{
    open_how how{};
    how.flags = static_cast<std::uint64_t>(flags);
    how.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS;
    return static_cast<int>(::syscall(SYS_openat2, dirfd, path, &how, sizeof how));
}

}  // namespace unp
