// SPDX-License-Identifier: MIT
// store.hpp - where UDPFTServer writes a put: below the served directory
// only, into a temporary file beside the target, renamed to the target's
// name only once every byte has arrived.
//
// The directory part of the name is opened as ftserv02 opens files:
// openat2(2) with RESOLVE_BENEATH, so "..", an absolute path or a symbolic
// link cannot lead out (EXDEV), or, without openat2, realpath() and a
// check of the result (FTSERVER_NO_OPENAT2=1 forces that fallback, as for
// ftserv02).  The last component is never "." or "..", and the file is
// created and renamed relative to that directory's descriptor, so the
// name is never resolved again.
#ifndef UDPFT_STORE_HPP
#define UDPFT_STORE_HPP

#include "udpft.hpp"
#include "unp.hpp"

#include <string>
#include <string_view>

namespace udpft {

// A put in progress: the temporary file, until commit() or destruction
// (which removes it).
class Upload {
public:
    Upload() = default;
    Upload(Upload &&o) noexcept { *this = std::move(o); }
    Upload &operator=(Upload &&o) noexcept;
    ~Upload();

    int fd() const { return file_.get(); }
    // Renames the temporary file to the target's name: RENAME_NOREPLACE
    // unless force.  0, or the Code and the reason in *why.
    int commit(bool force, std::string *why);

private:
    friend class Store;
    unp::Fd dir_, file_;
    std::string tmp_, name_;
};

class Store {
public:
    // Opens dir; throws std::system_error if it cannot.
    explicit Store(const std::string &dir);

    // Starts a put of path: 0 and *up ready, or a Code and the reason.
    int begin(std::string_view path, bool force, Upload *up, std::string *why) const;

private:
    int open_dir(const std::string &rel) const;  // -1 and errno on failure
    unp::Fd root_;
    std::string real_;  // realpath() of the directory
    bool have_openat2_;
};

}  // namespace udpft

#endif  // UDPFT_STORE_HPP
