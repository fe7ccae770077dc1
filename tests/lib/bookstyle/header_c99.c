/* SPDX-License-Identifier: MIT */
/*
 * header_c99 - the book's three headers compile as strict C99 with
 * -pedantic and no warnings (built with -Werror), and the macros work.
 */
#include "unpthread.h"
#include "unpifi.h"

int
main(void)
{
	struct addrinfo			hints;		/* POSIX names, visible under -std=c99 */
	struct unp_in_pktinfo	pkt;
	struct ifi_info			ifi;

	memset(&hints, 0, sizeof(hints));
	memset(&pkt, 0, sizeof(pkt));
	memset(&ifi, 0, sizeof(ifi));
	printf("%s, OPEN_MAX %d, max %d, min %d, %s %s\n", CPU_VENDOR_OS, OPEN_MAX, max(1, 2), min(1, 2),
		   UNIXSTR_PATH, UNIXDG_PATH);
	printf("ok\n");
	return 0;
}
