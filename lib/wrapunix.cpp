// SPDX-License-Identifier: MIT
// Wrappers for Unix system calls: on failure, "<name> error: <strerror>"
// and exit(1).
#include "unp.h"

extern "C" {

ssize_t Read(int fd, void *ptr, size_t nbytes)
{
    ssize_t n = read(fd, ptr, nbytes);
    if (n == -1)
        err_sys("read error");
    return n;
}

void Write(int fd, const void *ptr, size_t nbytes)
{
    if (write(fd, ptr, nbytes) != static_cast<ssize_t>(nbytes))
        err_sys("write error");
}

void Close(int fd)
{
    readline_forget(fd);  // a later descriptor with this number starts clean
    if (close(fd) == -1)
        err_sys("close error");
}

pid_t Fork(void)
{
    pid_t pid = fork();
    if (pid == -1)
        err_sys("fork error");
    return pid;
}

pid_t Wait(int *iptr)
{
    pid_t pid = wait(iptr);
    if (pid == -1)
        err_sys("wait error");
    return pid;
}

pid_t Waitpid(pid_t pid, int *iptr, int options)
{
    pid_t retpid = waitpid(pid, iptr, options);
    if (retpid == -1)
        err_sys("waitpid error");
    return retpid;
}

void Dup2(int fd1, int fd2)
{
    if (dup2(fd1, fd2) == -1)
        err_sys("dup2 error");
}

int Open(const char *pathname, int oflag, mode_t mode)
{
    int fd = open(pathname, oflag, mode);
    if (fd == -1)
        err_sys("open error for %s", pathname);
    return fd;
}

int Fcntl(int fd, int cmd, int arg)
{
    int n = fcntl(fd, cmd, arg);
    if (n == -1)
        err_sys("fcntl error");
    return n;
}

void Pipe(int fds[2])
{
    if (pipe(fds) < 0)
        err_sys("pipe error");
}

void *Malloc(size_t size)
{
    void *ptr = malloc(size);
    if (ptr == nullptr)
        err_sys("malloc error");
    return ptr;
}

void *Calloc(size_t n, size_t size)
{
    void *ptr = calloc(n, size);
    if (ptr == nullptr)
        err_sys("calloc error");
    return ptr;
}

void Gettimeofday(struct timeval *tv, void *)
{
    if (gettimeofday(tv, nullptr) == -1)
        err_sys("gettimeofday error");
}

void Sigemptyset(sigset_t *set)
{
    if (sigemptyset(set) == -1)
        err_sys("sigemptyset error");
}

void Sigfillset(sigset_t *set)
{
    if (sigfillset(set) == -1)
        err_sys("sigfillset error");
}

void Sigaddset(sigset_t *set, int signo)
{
    if (sigaddset(set, signo) == -1)
        err_sys("sigaddset error");
}

void Sigdelset(sigset_t *set, int signo)
{
    if (sigdelset(set, signo) == -1)
        err_sys("sigdelset error");
}

int Sigismember(const sigset_t *set, int signo)
{
    int n = sigismember(set, signo);
    if (n == -1)
        err_sys("sigismember error");
    return n;
}

void Sigprocmask(int how, const sigset_t *set, sigset_t *oset)
{
    if (sigprocmask(how, set, oset) == -1)
        err_sys("sigprocmask error");
}

void Sigpending(sigset_t *set)
{
    if (sigpending(set) == -1)
        err_sys("sigpending error");
}

int Ioctl(int fd, unsigned long request, void *arg)
{
    int n = ioctl(fd, request, arg);
    if (n == -1)
        err_sys("ioctl error");
    return n;  // some requests return a value
}

void *Mmap(void *addr, size_t len, int prot, int flags, int fd, off_t offset)
{
    void *ptr = mmap(addr, len, prot, flags, fd, offset);
    if (ptr == MAP_FAILED)
        err_sys("mmap error");
    return ptr;
}

int Mkstemp(char *tmpl)
{
    int fd = mkstemp(tmpl);
    if (fd == -1)
        err_sys("mkstemp error for %s", tmpl);
    return fd;
}

void Unlink(const char *pathname)
{
    if (unlink(pathname) == -1)
        err_sys("unlink error for %s", pathname);
}

char *Strdup(const char *str)
{
    char *ptr = strdup(str);
    if (ptr == nullptr)
        err_sys("strdup error");
    return ptr;
}

long Sysconf(int name)
{
    errno = 0;  // -1 alone means "no limit"; only with errno set is it an error
    long val = sysconf(name);
    if (val == -1 && errno != 0)
        err_sys("sysconf error");
    return val;
}

void Gethostname(char *name, size_t len)
{
    if (gethostname(name, len) == -1)
        err_sys("gethostname error");
    if (len > 0)
        name[len - 1] = '\0';  // POSIX leaves a truncated name unterminated
}

}  // extern "C"
