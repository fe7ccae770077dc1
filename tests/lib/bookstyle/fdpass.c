/* SPDX-License-Identifier: MIT */
/*
 * fdpass - Unix domain sockets in the book's style: a child opens a file
 * and passes the descriptor back over a stream socketpair (Write_fd,
 * Read_fd); the parent reads the file through it.  Also the book's
 * well-known paths, UNIXSTR_PATH and UNIXDG_PATH, compared as addresses.
 */
#include "unp.h"

int
main(int argc, char **argv)
{
	int					sockfd[2], fd, recvfd, status;
	char				c, name[] = "/tmp/slibXXXXXX", buf[MAXLINE];
	ssize_t				n;
	pid_t				pid;
	struct sockaddr_un	str, dg;

	if (argc != 1)
		err_quit("usage: %s", argv[0]);
	fd = Mkstemp(name);
	Writen(fd, "through the descriptor\n", 23);
	Close(fd);

	Socketpair(AF_LOCAL, SOCK_STREAM, 0, sockfd);
	if ( (pid = Fork()) == 0) {			/* child: open the file, pass it */
		Close(sockfd[0]);
		fd = Open(name, O_RDONLY, 0);
		Write_fd(sockfd[1], "", 1, fd);
		if (write_fd(-1, "", 1, fd) != -1)
			err_quit("write_fd on -1 worked");
		exit(0);
	}
	Close(sockfd[1]);
	if (Read_fd(sockfd[0], &c, 1, &recvfd) != 1 || recvfd < 0)
		err_quit("no descriptor arrived");
	Waitpid(pid, &status, 0);
	n = Read(recvfd, buf, sizeof(buf));
	printf("read through the passed descriptor: %.*s", (int) n, buf);
	Close(recvfd);
	if (read_fd(sockfd[0], &c, 1, &recvfd) != 0)
		err_quit("expected EOF after the child exited");
	if (Sockfd_to_family(sockfd[0]) != AF_LOCAL)
		err_quit("a Unix domain socket");
	Close(sockfd[0]);
	Unlink(name);

	bzero(&str, sizeof(str));
	bzero(&dg, sizeof(dg));
	str.sun_family = dg.sun_family = AF_LOCAL;
	strncpy(str.sun_path, UNIXSTR_PATH, sizeof(str.sun_path) - 1);
	strncpy(dg.sun_path, UNIXDG_PATH, sizeof(dg.sun_path) - 1);
	printf("%s and %s differ: %s\n", Sock_ntop((SA *) &str, sizeof(str)), Sock_ntop((SA *) &dg, sizeof(dg)),
		   sock_cmp_addr((SA *) &str, (SA *) &dg, sizeof(str)) != 0 ? "yes" : "no");
	printf("ok\n");
	exit(0);
}
