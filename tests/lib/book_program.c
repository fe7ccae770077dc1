/* SPDX-License-Identifier: MIT */
/*
 * A program in the book's own style: includes only "unp.h", uses a dozen of
 * its wrappers, and must compile unchanged as C (gnu17) and as C++.
 * The parent is an upper-casing server, its forked child the client.
 */
#include "unp.h"

#include <ctype.h>					/* toupper, for the upper-casing */

int
main(int argc, char **argv)
{
	int					listenfd, connfd, sockfd, i, status;
	pid_t				pid;
	socklen_t			len;
	char				buf[MAXLINE];
	struct sockaddr_in	servaddr, cliaddr;
	const int			on = 1;

	if (argc != 1)
		err_quit("usage: %s", argv[0]);
	setvbuf(stdout, NULL, _IOLBF, 0);	/* lines appear in order, even into a pipe */
	Signal(SIGPIPE, SIG_IGN);

	listenfd = Socket(AF_INET, SOCK_STREAM, 0);
	Setsockopt(listenfd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
	bzero(&servaddr, sizeof(servaddr));
	servaddr.sin_family = AF_INET;
	servaddr.sin_port = htons(0);		/* the kernel picks the port */
	Inet_pton(AF_INET, "127.0.0.1", &servaddr.sin_addr);
	Bind(listenfd, (SA *) &servaddr, sizeof(servaddr));
	Listen(listenfd, LISTENQ);
	print_listening(listenfd);
	len = sizeof(servaddr);
	Getsockname(listenfd, (SA *) &servaddr, &len);

	if ( (pid = Fork()) == 0) {			/* child: the client */
		Close(listenfd);
		sockfd = Socket(AF_INET, SOCK_STREAM, 0);
		Connect(sockfd, (SA *) &servaddr, sizeof(servaddr));
		Writen(sockfd, "hello\n", 6);
		if (Readline(sockfd, buf, MAXLINE) == 0)
			err_quit("server terminated prematurely");
		printf("client got: %s", buf);
		Close(sockfd);
		exit(0);
	}

	len = sizeof(cliaddr);				/* parent: the server */
	connfd = Accept(listenfd, (SA *) &cliaddr, &len);
	if (Readline(connfd, buf, MAXLINE) == 0)
		err_quit("client sent nothing");
	printf("server read: %.*s from %s\n", (int) strcspn(buf, "\n"), buf, Sock_ntop((SA *) &cliaddr, len));
	for (i = 0; buf[i] != '\0'; i++)
		buf[i] = toupper((unsigned char) buf[i]);
	Writen(connfd, buf, strlen(buf));
	Close(connfd);
	Waitpid(pid, &status, 0);
	printf("child %d exited %d\n", (int) pid, WEXITSTATUS(status));
	Close(listenfd);
	exit(0);
}
