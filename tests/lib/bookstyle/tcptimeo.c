/* SPDX-License-Identifier: MIT */
/*
 * tcptimeo - TCP with timeouts, in the book's style: a listener from
 * tcp_listen, a client connected three ways (connect_timeo, connect_nonb,
 * tcp_connect), lines echoed by a forked str_echo, waits with
 * readable_timeo and writable_timeo, select and poll, messages with
 * sendmsg and recvmsg.
 */
#include "unp.h"

static void
sig_alrm(int signo)
{
	(void) signo;
}

int
main(int argc, char **argv)
{
	int					listenfd, connfd, sockfd, on = 1, status;
	char				port[8], buf[MAXLINE], part1[] = "mess", part2[] = "age\n", input[] = "hi\n";
	void				*rest;
	socklen_t			len;
	pid_t				pid;
	fd_set				rset;
	struct pollfd		pfd;
	struct timeval		tv;
	struct sockaddr_in	servaddr, peer;
	struct iovec		iov[2];
	struct msghdr		msg;
	FILE				*fp;

	if (argc != 1)
		err_quit("usage: %s", argv[0]);
	Signal(SIGPIPE, SIG_IGN);
	Signal_intr(SIGALRM, sig_alrm);
	listenfd = Tcp_listen("127.0.0.1", "0", &len);
	if (*bind_hint(EADDRINUSE) == '\0')
		err_quit("no hint for EADDRINUSE");
	print_listening(listenfd);
	len = sizeof(servaddr);
	Getsockname(listenfd, (SA *) &servaddr, &len);
	snprintf(port, sizeof(port), "%d", Parse_port("0") + sock_get_port((SA *) &servaddr, len));

	if ( (pid = Fork()) == 0) {			/* the server: echo four clients */
		int		i;
		for (i = 0; i < 4; i++) {
			len = sizeof(peer);
			connfd = Accept(listenfd, (SA *) &peer, &len);
			str_echo(connfd);
			Close(connfd);
		}
		exit(0);
	}

	sockfd = Socket(AF_INET, SOCK_STREAM, 0);
	Setsockopt(sockfd, SOL_SOCKET, SO_KEEPALIVE, &on, sizeof(on));
	len = sizeof(on);
	Getsockopt(sockfd, SOL_SOCKET, SO_KEEPALIVE, &on, &len);
	Connect_timeo(sockfd, (SA *) &servaddr, sizeof(servaddr), 5);
	if (Readable_timeo(sockfd, 0) != 0 || Writable_timeo(sockfd, 5) != 1)
		err_quit("nothing to read yet, room to write");
	Writen(sockfd, "one\ntwo\n", 8);
	if (Readable_timeo(sockfd, 5) != 1 || readable_timeo(sockfd, 5) != 1 || writable_timeo(sockfd, 5) != 1)
		err_quit("the echo should be readable");
	Readline(sockfd, buf, sizeof(buf));
	if (readlinebuf(sockfd, &rest) != 4 || readline(sockfd, buf, sizeof(buf)) != 4)
		err_quit("readline's buffer should hold \"two\\n\"");
	len = sizeof(peer);
	Getpeername(sockfd, (SA *) &peer, &len);
	if (Sockatmark(sockfd) != 0)
		err_quit("no out-of-band data was sent");
	Shutdown(sockfd, SHUT_WR);
	if (Readline(sockfd, buf, sizeof(buf)) != 0)
		err_quit("expected the server's FIN");
	readline_forget(sockfd);
	Close(sockfd);

	sockfd = Socket(AF_INET, SOCK_STREAM, 0);
	if (connect_nonb(sockfd, (SA *) &servaddr, sizeof(servaddr), 5) < 0 ||
		connect_timeo(-1, (SA *) &servaddr, sizeof(servaddr), 1) == 0)
		err_sys("connect_nonb error");
	iov[0].iov_base = part1;
	iov[0].iov_len = 4;
	iov[1].iov_base = part2;
	iov[1].iov_len = 4;
	bzero(&msg, sizeof(msg));
	msg.msg_iov = iov;
	msg.msg_iovlen = 2;
	Sendmsg(sockfd, &msg, 0);
	FD_ZERO(&rset);
	FD_SET(sockfd, &rset);
	tv.tv_sec = 5;
	tv.tv_usec = 0;
	Select(sockfd + 1, &rset, NULL, NULL, &tv);
	iov[0].iov_base = buf;
	iov[0].iov_len = 4;
	iov[1].iov_base = buf + 4;
	iov[1].iov_len = 4;
	if (readn(sockfd, buf, 0) != 0 || Recvmsg(sockfd, &msg, MSG_WAITALL) != 8 || memcmp(buf, "message\n", 8) != 0)
		err_quit("sendmsg/recvmsg");
	Send(sockfd, "x", 1, 0);
	pfd.fd = sockfd;
	pfd.events = POLLIN;
	Poll(&pfd, 1, INFTIM);
	if (Recv(sockfd, buf, 1, 0) != 1 || writen(sockfd, "y", 1) != 1 || Readn(sockfd, buf, 1) != 1 ||
		readline_bytewise(sockfd, buf, 1) != 0)
		err_quit("send/recv");
	Close(sockfd);

	sockfd = Tcp_connect("127.0.0.1", port);
	fp = fmemopen(input, strlen(input), "r");
	str_cli(fp, sockfd);				/* prints the echo of "hi" */
	Fclose(fp);
	Close(sockfd);
	Close(tcp_connect("127.0.0.1", port));	/* the fourth client: EOF at once */
	Close(tcp_listen("127.0.0.1", "0", NULL));
	Waitpid(pid, &status, 0);
	Close(listenfd);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		err_quit("the server child failed");
	printf("ok\n");
	exit(0);
}
