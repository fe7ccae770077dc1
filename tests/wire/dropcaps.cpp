// SPDX-License-Identifier: MIT
// dropcaps - run a program without CAP_NET_RAW and CAP_NET_ADMIN.
//
// usage: dropcaps program [args...]
//
// For the test that tcpview explains a missing privilege: it must also run
// where the tests run as root (CI).  The two capabilities leave the bounding
// set (so even root does not get them back at execve), the inheritable and
// ambient sets, and this process.  Exits 125 if that is not possible.
#include <linux/capability.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: dropcaps program [args...]\n");
        return 2;
    }
    const int caps[] = {CAP_NET_RAW, CAP_NET_ADMIN};
    for (int cap : caps) {
        // EINVAL: the kernel does not know it; EPERM: we could not have it back anyway
        // unless we are root, which the check below catches.
        if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0 && errno == EPERM && geteuid() == 0) {
            fprintf(stderr, "dropcaps: prctl(PR_CAPBSET_DROP): %s\n", strerror(errno));
            return 125;
        }
    }
    prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);

    struct __user_cap_header_struct header = {_LINUX_CAPABILITY_VERSION_3, 0};
    struct __user_cap_data_struct data[2] = {};
    if (syscall(SYS_capget, &header, data) == 0) {
        for (int cap : caps) {
            unsigned bit = 1u << (cap % 32);
            data[cap / 32].effective &= ~bit;
            data[cap / 32].permitted &= ~bit;
            data[cap / 32].inheritable &= ~bit;
        }
        if (syscall(SYS_capset, &header, data) != 0) {
            fprintf(stderr, "dropcaps: capset: %s\n", strerror(errno));
            return 125;
        }
    }
    execv(argv[1], argv + 1);
    fprintf(stderr, "dropcaps: cannot run %s: %s\n", argv[1], strerror(errno));
    return 127;
}
