/* SPDX-License-Identifier: MIT */
/*
 * own_readline - a program that brings its own readline and Readline, as
 * the book's threads/ and server/ chapters do (one buffer per thread,
 * through thread-specific data), and still uses the library's Close.
 * It must link against libunp without "multiple definition of readline",
 * and Close must still close.
 */
#include "unp.h"

#include <pthread.h>

typedef struct {
	int		rl_cnt;					/* bytes left in rl_buf */
	char   *rl_bufptr;				/* next of them */
	char	rl_buf[MAXLINE];
} Rline;

static pthread_key_t	rl_key;
static pthread_once_t	rl_once = PTHREAD_ONCE_INIT;

static void
readline_destructor(void *ptr)
{
	free(ptr);
}

static void
readline_once(void)
{
	int		n;

	if ( (n = pthread_key_create(&rl_key, readline_destructor)) != 0) {
		errno = n;
		err_sys("pthread_key_create error");
	}
}

/* One byte from this thread's buffer: 1, 0 at EOF, -1 on error. */
static ssize_t
my_read(Rline *tsd, int fd, char *ptr)
{
	if (tsd->rl_cnt <= 0) {
		do {
			tsd->rl_cnt = (int) read(fd, tsd->rl_buf, sizeof(tsd->rl_buf));
		} while (tsd->rl_cnt < 0 && errno == EINTR);
		if (tsd->rl_cnt <= 0)
			return tsd->rl_cnt;
		tsd->rl_bufptr = tsd->rl_buf;
	}
	tsd->rl_cnt--;
	*ptr = *tsd->rl_bufptr++;
	return 1;
}

ssize_t
readline(int fd, void *vptr, size_t maxlen)
{
	size_t	n;
	ssize_t	rc;
	char	c, *ptr = (char *) vptr;
	Rline  *tsd;

	pthread_once(&rl_once, readline_once);
	if ( (tsd = (Rline *) pthread_getspecific(rl_key)) == NULL) {
		tsd = (Rline *) Calloc(1, sizeof(Rline));
		pthread_setspecific(rl_key, tsd);
	}
	for (n = 1; n < maxlen; n++) {
		if ( (rc = my_read(tsd, fd, &c)) == 1) {
			*ptr++ = c;
			if (c == '\n')
				break;
		} else if (rc == 0) {
			*ptr = 0;
			return (ssize_t) (n - 1);	/* EOF, n - 1 bytes read */
		} else
			return -1;
	}
	*ptr = 0;
	return (ssize_t) n;
}

ssize_t
Readline(int fd, void *ptr, size_t maxlen)
{
	ssize_t		n;

	if ( (n = readline(fd, ptr, maxlen)) < 0)
		err_sys("readline error");
	return n;
}

int
main(int argc, char **argv)
{
	int		fds[2], nlines = 0;
	char	line[MAXLINE];

	if (argc != 1)
		err_quit("usage: %s", argv[0]);
	Socketpair(AF_UNIX, SOCK_STREAM, 0, fds);
	Writen(fds[1], "one\ntwo\n", 8);
	Close(fds[1]);						/* the reader sees EOF after two lines */
	while (Readline(fds[0], line, sizeof(line)) > 0)
		nlines++;
	if (nlines != 2)
		err_quit("own readline read %d lines, not 2", nlines);
	Close(fds[0]);
	if (fcntl(fds[0], F_GETFD) != -1 || errno != EBADF)
		err_quit("Close(%d) left the descriptor open", fds[0]);
	printf("own readline: %d lines, then EOF; Close closed both ends\n", nlines);
	printf("ok\n");
	exit(0);
}
