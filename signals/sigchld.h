/* SPDX-License-Identifier: MIT */
/*
 * The two SIGCHLD handlers of the book (chapter 5), for servers that fork.
 *
 *   Signal(SIGCHLD, sig_chld_wait);     calls wait() once per signal
 *   Signal(SIGCHLD, sig_chld_waitpid);  loops waitpid(-1, &stat, WNOHANG)
 *
 * Signals are not queued: five children ending together may raise SIGCHLD
 * once.  sig_chld_wait then reaps one child and leaves four zombies;
 * sig_chld_waitpid reaps every child that has ended.
 *
 * Both print "child <pid> terminated" with write(2), because printf is not
 * async-signal-safe, and both keep errno as the interrupted code left it.
 * sigchld_quiet(1) silences that line (for demos that count zombies).
 */
#ifndef SIGCHLD_H
#define SIGCHLD_H

#ifdef __cplusplus
extern "C" {
#endif

void sig_chld_wait(int signo);
void sig_chld_waitpid(int signo);
void sigchld_quiet(int quiet);

/* Children reaped by either handler since the program started. */
long sigchld_reaped(void);

#ifdef __cplusplus
}
#endif

#endif /* SIGCHLD_H */
