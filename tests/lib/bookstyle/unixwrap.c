/* SPDX-License-Identifier: MIT */
/*
 * unixwrap - the Unix and stdio wrappers, in the book's style: a file made
 * with Mkstemp, mapped with Mmap, read back through a pipe by a child, and
 * the header's constants (FILE_MODE, OPEN_MAX, CPU_VENDOR_OS, min, max).
 */
#include "unp.h"

int
main(int argc, char **argv)
{
	int				fd, fds[2], n, status;
	char			name[] = "/tmp/slibXXXXXX", buf[MAXLINE], *copy, *ptr;
	pid_t			pid;
	long			open_max;
	FILE			*fp;
	sigset_t		set, pending;
	struct timeval	start, end;

	if (argc != 1)
		err_quit("usage: %s", argv[0]);
	Gettimeofday(&start, NULL);
	printf("%s at %s, OPEN_MAX %d, max(3, 4) = %d, min(3, 4) = %d\n",
		   CPU_VENDOR_OS, gf_time(), OPEN_MAX, max(3, 4), min(3, 4));

	fd = Mkstemp(name);
	Fcntl(fd, F_SETFD, FD_CLOEXEC);
	Write(fd, "mapped\n", 7);
	ptr = (char *) Mmap(NULL, 7, PROT_READ, MAP_SHARED, fd, 0);
	if (memcmp(ptr, "mapped\n", 7) != 0)
		err_quit("Mmap shows %.7s", ptr);
	Close(fd);
	fd = Open(name, O_RDONLY, FILE_MODE);
	n = (int) Read(fd, buf, sizeof(buf));
	Ioctl(fd, FIONREAD, &status);		/* bytes left to read: none */
	Close(fd);
	Unlink(name);
	if (n != 7 || status != 0)
		err_quit("read %d bytes back, %d left", n, status);

	copy = Strdup("through a pipe\n");
	Pipe(fds);
	if ( (pid = Fork()) == 0) {
		Close(fds[0]);
		Dup2(fds[1], STDOUT_FILENO);
		fp = Fdopen(STDOUT_FILENO, "w");
		Fputs(copy, fp);
		Fclose(fp);
		exit(0);
	}
	Close(fds[1]);
	fp = Fdopen(fds[0], "r");
	if (Fgets(buf, sizeof(buf), fp) == NULL || strcmp(buf, copy) != 0)
		err_quit("the child's line did not arrive");
	Fclose(fp);
	Waitpid(pid, &status, 0);
	free(copy);

	Sigemptyset(&set);
	Sigaddset(&set, SIGUSR1);
	Sigprocmask(SIG_BLOCK, &set, NULL);
	kill(getpid(), SIGUSR1);
	Sigpending(&pending);
	if (!Sigismember(&pending, SIGUSR1))
		err_quit("SIGUSR1 not pending");
	Sigdelset(&set, SIGUSR1);
	Sigfillset(&set);

	open_max = Sysconf(_SC_OPEN_MAX);
	ptr = (char *) Malloc(16);
	free(ptr);
	ptr = (char *) Calloc(4, 4);
	free(ptr);
	if ( (fp = fopen("/nonexistent/slib", "r")) != NULL)
		err_dump("fopen of a path that cannot exist worked");
	errno = ENOENT;
	err_ret("expected: fopen of /nonexistent/slib");
	if ( (pid = Fork()) == 0)
		exit(3);
	if (Wait(&status) != pid || WEXITSTATUS(status) != 3)
		err_sys("wait for the second child");
	Gettimeofday(&end, NULL);
	tv_sub(&end, &start);
	err_msg("sysconf(_SC_OPEN_MAX) = %ld, %s", open_max, DIR_MODE == 0755 ? "DIR_MODE 0755" : "?");
	printf("ok\n");
	exit(0);
}
