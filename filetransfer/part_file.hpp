// SPDX-License-Identifier: MIT
// part_file.hpp - a local file that is either absent or whole: the bytes go
// into a hidden temporary file beside the target (".NAME.part-XXXXXX"),
// renamed to NAME only once all of them have arrived.  Shared by FTClient
// and ftcli02.
//
// rename(2) is atomic: whoever looks at NAME sees the old file (or none)
// until the new one is complete, then the new one.  A transfer that breaks
// removes the temporary file and leaves an existing NAME exactly as it was;
// SIGINT, SIGTERM and SIGHUP remove it too (remove_part_on_signals); after
// SIGKILL, which nothing can catch, only the hidden temporary can remain.
#ifndef FT_PART_FILE_HPP
#define FT_PART_FILE_HPP

#include <string>

namespace ft {

// The directory part of path ("." for a bare name, "/" for "/name").
std::string dir_name(const std::string &path);

// Installs handlers for SIGINT, SIGTERM and SIGHUP that remove the
// temporary file being written (if any) and then die of the signal.
void remove_part_on_signals();

// One file being received.  Only one exists at a time (the signal handlers
// know its name).
class PartFile {
public:
    PartFile() = default;
    PartFile(const PartFile &) = delete;
    PartFile &operator=(const PartFile &) = delete;
    ~PartFile() { discard(); }

    // Creates the temporary file beside target.  False, with errno set, if
    // it cannot (the name too long, no such directory, no permission).
    bool create(const std::string &target);
    int fd() const { return fd_; }
    const char *path() const;  // the temporary file's name

    // Gives the temporary file the mode open(O_CREAT) would have (0666 less
    // the umask), closes it and renames it to the target: over an existing
    // file if replace, else failing with EEXIST.  False with errno set.
    bool commit(bool replace);
    // Closes and removes the temporary file (nothing if there is none).
    void discard();

private:
    int fd_ = -1;
    std::string target_;
};

}  // namespace ft

#endif  // FT_PART_FILE_HPP
