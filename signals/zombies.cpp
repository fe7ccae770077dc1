// SPDX-License-Identifier: MIT
// zombies: N children exit at the same moment; watch them become <defunct>
// and see which SIGCHLD handler reaps them all.
//
// usage: zombies [-b] [-n N] none|wait|waitpid|ignore
//   none     SIGCHLD keeps its default action: nobody waits, all N stay zombies
//   wait     sig_chld_wait: one wait() per signal delivered
//   waitpid  sig_chld_waitpid: waitpid(-1, &stat, WNOHANG) until none has ended
//   ignore   SIGCHLD set to SIG_IGN: the kernel reaps at once, no zombie at all
//   -b       block SIGCHLD while the children exit.  N children end, but only
//            one SIGCHLD is pending (signals are not queued): when it is
//            unblocked, the handler runs once.  With wait that leaves exactly
//            N-1 zombies, every run; without -b, how many are left depends on
//            how the N signals happened to overlap.
//   -n N     how many children (default 5, like tcpcli04's five connections)
//
// The program stops twice and waits for Enter (EOF also goes on): once the
// children are zombies, and after the handler has run.  Meanwhile, in
// another terminal:
//   ps -o pid,ppid,stat,cmd --ppid <the parent's pid>
#include "sigchld.h"
#include "unp.h"
#include "unp.hpp"

#include <string>
#include <vector>

namespace {

// One line per child that is still in the process table, the way
// `ps -o pid,ppid,stat,cmd` shows it; returns how many are zombies.
int show_children(const std::vector<pid_t> &children)
{
    int zombies = 0, present = 0;
    printf("    PID    PPID STAT CMD\n");
    for (pid_t pid : children) {
        // /proc/PID/stat, read by the kit's one parser of it.
        auto st = unp::read_proc_stat(pid);
        if (!st)
            continue;  // reaped: gone from the process table
        present++;
        if (st->state == 'Z')
            zombies++;
        printf("%7ld %7ld %-4c [%s]%s\n", static_cast<long>(pid), static_cast<long>(st->ppid), st->state,
               st->comm.c_str(), st->state == 'Z' ? " <defunct>" : "");
    }
    printf("%d of %zu children still in the process table, %d of them zombies\n", present,
           children.size(), zombies);
    return zombies;
}

// Waits until child pid has ended, without reaping it (WNOWAIT), so the
// zombie stays for everyone to see.  ECHILD: someone already reaped it (a
// handler, or the kernel when SIGCHLD is ignored).
void wait_until_ended(pid_t pid)
{
    siginfo_t info;
    while (waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOWAIT) < 0) {
        if (errno == ECHILD)
            return;
        if (errno != EINTR)  // a handler ran meanwhile: just look again
            err_sys("waitid error");
    }
}

void pause_for_enter(const char *what)
{
    printf("press Enter to %s (now try: ps -o pid,ppid,stat,cmd --ppid %ld)\n", what,
           static_cast<long>(getpid()));
    char line[MAXLINE];
    if (fgets(line, sizeof line, stdin) == nullptr && ferror(stdin))
        err_sys("fgets error");
}

}  // namespace

int main(int argc, char **argv)
{
    bool block = false;
    long n = 5;
    int c;
    // -h/--help before getopt sees them
    check_usage(argc, argv, true, "usage: zombies [-b] [-n N] none|wait|waitpid|ignore");
    while ((c = getopt(argc, argv, "bn:")) != -1) {
        if (c == 'b') {
            block = true;
        } else if (c == 'n') {
            char *end;
            n = strtol(optarg, &end, 10);
            if (*end != '\0' || n < 1 || n > 1000)
                err_usage("zombies: -n wants a number of children from 1 to 1000, not %s", optarg);
        } else {
            err_quit("usage: zombies [-b] [-n N] none|wait|waitpid|ignore");
        }
    }
    if (optind != argc - 1)
        err_quit("usage: zombies [-b] [-n N] none|wait|waitpid|ignore");
    std::string mode = argv[optind];
    Sigfunc *handler;
    if (mode == "none")
        handler = SIG_DFL;
    else if (mode == "wait")
        handler = sig_chld_wait;
    else if (mode == "waitpid")
        handler = sig_chld_waitpid;
    else if (mode == "ignore")
        handler = SIG_IGN;
    else
        err_quit("usage: zombies [-b] [-n N] none|wait|waitpid|ignore");

    // Line by line, so our lines and the handler's write(2)s come out in the
    // order they happened, even into a pipe.
    setvbuf(stdout, nullptr, _IOLBF, 0);

    struct sigaction act {};
    act.sa_handler = handler;
    sigemptyset(&act.sa_mask);
    act.sa_flags = SA_RESTART;
    if (sigaction(SIGCHLD, &act, nullptr) < 0)
        err_sys("sigaction error");

    sigset_t chld;
    Sigemptyset(&chld);
    Sigaddset(&chld, SIGCHLD);
    if (block)
        Sigprocmask(SIG_BLOCK, &chld, nullptr);
    printf("parent %ld: SIGCHLD %s%s\n", static_cast<long>(getpid()),
           mode == "none"     ? "at its default action (no handler)"
           : mode == "wait"   ? "caught by sig_chld_wait (one wait per signal)"
           : mode == "waitpid" ? "caught by sig_chld_waitpid (waitpid loop)"
                              : "ignored (SIG_IGN: the kernel reaps)",
           block ? ", blocked" : "");

    // Every child blocks reading a pipe; closing its write end releases them
    // all at once, the way tcpcli04's five connections end together.
    int go[2];
    Pipe(go);
    std::vector<pid_t> children;
    for (long i = 0; i < n; i++) {
        pid_t pid = Fork();
        if (pid == 0) {
            Close(go[1]);
            char byte;
            while (read(go[0], &byte, 1) < 0 && errno == EINTR) {
            }
            _exit(0);  // not exit(): the parent's stdio buffers are not ours to flush
        }
        children.push_back(pid);
    }
    Close(go[0]);
    printf("forked %ld children; releasing them: they all exit now\n", n);
    Close(go[1]);
    for (pid_t pid : children)
        wait_until_ended(pid);
    printf("all %ld children have exited\n", n);

    int zombies = show_children(children);
    if (block) {
        sigset_t pending;
        Sigpending(&pending);
        if (Sigismember(&pending, SIGCHLD))
            printf("%ld children ended, and SIGCHLD is pending: one bit, not a count (signals are not queued)\n", n);
        else
            printf("SIGCHLD is not pending: a signal whose action is SIG_IGN is discarded when it is sent\n");
        pause_for_enter("unblock SIGCHLD");
        // The pending SIGCHLD is delivered before sigprocmask returns.
        Sigprocmask(SIG_UNBLOCK, &chld, nullptr);
        if (handler == SIG_DFL)
            printf("SIGCHLD unblocked: delivered once, and its default action is to do nothing\n");
        else if (handler == SIG_IGN)
            printf("SIGCHLD unblocked: nothing was pending\n");
        else
            printf("SIGCHLD unblocked: the one pending signal was delivered, so the handler ran once\n");
        zombies = show_children(children);
    }
    printf("zombies left: %d (reaped by the handler: %ld)\n", zombies, sigchld_reaped());

    pause_for_enter("reap the rest with waitpid and exit");
    long reaped_here = 0;
    for (pid_t pid : children) {
        int stat;
        pid_t r;
        while ((r = waitpid(pid, &stat, 0)) < 0 && errno == EINTR) {
        }
        if (r == pid)
            reaped_here++;
        else if (errno != ECHILD)
            err_sys("waitpid error");
    }
    printf("reaped %ld more with waitpid; no zombie left\n", reaped_here);
    exit(0);
}
