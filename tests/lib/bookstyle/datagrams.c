/* SPDX-License-Identifier: MIT */
/*
 * datagrams - recvfrom_flags in the book's style (advio/): a datagram to
 * 127.0.0.1, received with its destination address, arrival interface and
 * flags; a second one truncated.  (dg_cli, dg_echo and the udp_* names
 * are the udpcliserv lab's: its own tests use them.)
 */
#include "unp.h"

int
main(int argc, char **argv)
{
	int						rx, tx, flags;
	const int				on = 1;
	char					buf[8], str[INET_ADDRSTRLEN];
	ssize_t					n;
	socklen_t				len;
	struct sockaddr_in		servaddr, cliaddr;
	struct unp_in_pktinfo	pktinfo;

	if (argc != 1)
		err_quit("usage: %s", argv[0]);
	rx = Socket(AF_INET, SOCK_DGRAM, 0);
	Setsockopt(rx, IPPROTO_IP, IP_PKTINFO, &on, sizeof(on));
	bzero(&servaddr, sizeof(servaddr));
	servaddr.sin_family = AF_INET;
	Inet_pton(AF_INET, "127.0.0.1", &servaddr.sin_addr);
	Bind(rx, (SA *) &servaddr, sizeof(servaddr));
	len = sizeof(servaddr);
	Getsockname(rx, (SA *) &servaddr, &len);

	tx = Socket(AF_INET, SOCK_DGRAM, 0);
	Sendto(tx, "short", 5, 0, (SA *) &servaddr, sizeof(servaddr));
	Sendto(tx, "much too long", 13, 0, (SA *) &servaddr, sizeof(servaddr));
	Sendto(tx, "third", 5, 0, (SA *) &servaddr, sizeof(servaddr));

	flags = 0;
	len = sizeof(cliaddr);
	n = Recvfrom_flags(rx, buf, sizeof(buf), &flags, (SA *) &cliaddr, &len, &pktinfo);
	printf("%d-byte datagram from %s to %s, interface %d\n", (int) n, Sock_ntop((SA *) &cliaddr, len),
		   Inet_ntop(AF_INET, &pktinfo.ipi_addr, str, sizeof(str)), pktinfo.ipi_ifindex);
	flags = 0;
	n = recvfrom_flags(rx, buf, sizeof(buf), &flags, NULL, NULL, NULL);
	printf("%d bytes%s\n", (int) n, (flags & MSG_TRUNC) ? " (datagram truncated)" : "");
	len = sizeof(cliaddr);
	n = Recvfrom(rx, buf, sizeof(buf), 0, (SA *) &cliaddr, &len);
	if (n != 5 || pktinfo.ipi_ifindex != (int) If_nametoindex("lo") || !(flags & MSG_TRUNC))
		err_quit("recvfrom_flags saw the wrong thing");
	Close(tx);
	Close(rx);
	printf("ok\n");
	exit(0);
}
