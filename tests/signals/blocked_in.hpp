// SPDX-License-Identifier: MIT
// Whether a process is inside a given system call, from /proc/PID/syscall.
//
// A signal interrupts accept() only if it arrives while the process is in
// accept(); one that arrives a moment earlier is handled, and then accept()
// blocks as usual.  The EINTR tests wait for this condition before they make
// the signal happen, so their outcome never depends on timing.
#ifndef SIGNALS_BLOCKED_IN_HPP
#define SIGNALS_BLOCKED_IN_HPP

#include <sys/syscall.h>
#include <sys/types.h>

#include <fstream>
#include <string>

namespace signals_test {

// /proc/PID/syscall starts with the number of the system call the process
// is in, or reads "running" (and -1 when it is in none).
inline long current_syscall(pid_t pid)
{
    std::ifstream in("/proc/" + std::to_string(pid) + "/syscall");
    long nr = -1;
    if (!(in >> nr))
        return -1;
    return nr;
}

// The kernel function a sleeping process waits in, e.g. "inet_csk_accept";
// "" if unknown.
inline std::string wait_channel(pid_t pid)
{
    std::ifstream in("/proc/" + std::to_string(pid) + "/wchan");
    std::string name;
    in >> name;
    return name;
}

inline bool blocked_in_accept(pid_t pid)
{
    long nr = current_syscall(pid);
#ifdef SYS_accept
    if (nr == SYS_accept)
        return true;
#endif
    if (nr == SYS_accept4)
        return true;
    // /proc/PID/syscall needs ptrace access, which a locked-down container
    // may refuse; the wait channel names the same sleep.
    return wait_channel(pid) == "inet_csk_accept";
}

}  // namespace signals_test

#endif  // SIGNALS_BLOCKED_IN_HPP
