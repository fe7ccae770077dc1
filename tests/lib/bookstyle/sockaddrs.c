/* SPDX-License-Identifier: MIT */
/*
 * sockaddrs - the protocol-independent address helpers, names and
 * interfaces, in the book's style: an address set field by field and
 * compared, a socket bound to the wildcard, this host's name and
 * addresses, and the interface list of unpifi.h.
 */
#include "unpifi.h"

int
main(int argc, char **argv)
{
	int					sockfd, port, family, type;
	char				host[256], name[IF_NAMESIZE], text[128], **pptr;
	struct sockaddr_in	a, b;
	struct in_addr		loop;
	struct ifi_info		*ifi, *ifihead;
	struct if_nameindex	*names;
	struct addrinfo		*res;
	socklen_t			len;

	if (argc != 1)
		err_quit("usage: %s", argv[0]);
	bzero(&a, sizeof(a));
	a.sin_family = AF_INET;
	Inet_pton(AF_INET, "127.0.0.1", &loop);
	sock_set_addr((SA *) &a, sizeof(a), &loop);
	sock_set_port((SA *) &a, sizeof(a), SERV_PORT);
	b = a;
	sock_set_wild((SA *) &b, sizeof(b));
	if (sock_cmp_addr((SA *) &a, (SA *) &b, sizeof(a)) == 0 ||
		sock_cmp_port((SA *) &a, (SA *) &b, sizeof(a)) != 0)
		err_quit("sock_cmp_addr or sock_cmp_port is wrong");
	printf("%s and %s (%s), port %d\n", Sock_ntop((SA *) &a, sizeof(a)), sock_ntop((SA *) &b, sizeof(b)),
		   Sock_ntop_host((SA *) &b, sizeof(b)), sock_get_port((SA *) &a, sizeof(a)));
	sock_ntop_r((SA *) &a, sizeof(a), text, sizeof(text));
	if (strcmp(text, sock_ntop_host((SA *) &a, sizeof(a))) == 0)
		err_quit("sock_ntop_r lost the port");
	Inet_ntop(AF_INET, &a.sin_addr, text, sizeof(text));

	sockfd = Socket(AF_INET, SOCK_DGRAM, 0);
	port = Sock_bind_wild(sockfd, AF_INET);
	family = Sockfd_to_family(sockfd);
	printf("bound to the wildcard, port %d, family %s, option level %d\n", port,
		   family == AF_INET ? "AF_INET" : "?", Family_to_level(family));
	if (sock_bind_wild(sockfd, AF_INET) != -1 || sockfd_to_family(-1) != -1 || family_to_level(AF_UNIX) != -1)
		err_quit("the lowercase helpers should fail here");
	Close(sockfd);

	Gethostname(host, sizeof(host));
	if ( (pptr = my_addrs(&type)) != NULL) {	/* this host's name may not resolve */
		pptr = My_addrs(&type);
		printf("%s: first address %s\n", host, Inet_ntop(type, *pptr, text, sizeof(text)));
	}
	if ( (res = host_serv("127.0.0.1", "9877", AF_INET, SOCK_STREAM)) != NULL)
		freeaddrinfo(res);
	res = Host_serv("127.0.0.1", "9877", AF_INET, SOCK_STREAM);
	len = (socklen_t) res->ai_addrlen;
	freeaddrinfo(res);

	printf("lo is interface %u (%s), of", If_nametoindex("lo"), If_indextoname(If_nametoindex("lo"), name));
	names = If_nameindex();
	printf(" %s...\n", names[0].if_name);
	if_freenameindex(names);
	if ( (ifihead = get_ifi_info(AF_INET, 0)) != NULL)
		free_ifi_info(ifihead);
	for (ifi = ifihead = Get_ifi_info(AF_INET, 1); ifi != NULL; ifi = ifi->ifi_next)
		if (strcmp(ifi->ifi_name, "lo") == 0)
			printf("%s: %s, mtu %d%s\n", ifi->ifi_name, Sock_ntop_host(ifi->ifi_addr, len), ifi->ifi_mtu,
				   (ifi->ifi_myflags & IFI_ALIAS) ? " (alias)" : "");
	free_ifi_info(ifihead);
	printf("ok\n");
	exit(0);
}
