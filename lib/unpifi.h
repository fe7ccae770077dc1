/* SPDX-License-Identifier: MIT */
/*
 * unpifi.h - the book's header for programs that list network interfaces:
 * unp.h and get_ifi_info (get_ifi_info.cpp, from getifaddrs(3)).
 *
 * get_ifi_info(family, doaliases) returns a list with one entry per
 * address of that family (AF_INET or AF_INET6) on each interface that is
 * up, in the kernel's order; without doaliases only each interface's first
 * address.  An interface's second and later addresses carry IFI_ALIAS in
 * ifi_myflags.  NULL (errno set) on failure; the list is freed with
 * free_ifi_info.  Get_ifi_info exits on failure.
 */
#ifndef UNP_IFI_H
#define UNP_IFI_H

#include "unp.h"

#include <net/if.h>

#define IFI_NAME  16  /* same as IFNAMSIZ */
#define IFI_HADDR 8   /* room for an EUI-64 */

struct ifi_info {
    char ifi_name[IFI_NAME];        /* interface name, NUL-terminated */
    short ifi_index;                /* interface index */
    int ifi_mtu;                    /* interface MTU (a short, as in the book, cannot hold lo's 65536) */
    unsigned char ifi_haddr[IFI_HADDR]; /* hardware address */
    unsigned short ifi_hlen;        /* bytes in ifi_haddr: 0, 6, 8 */
    short ifi_flags;                /* IFF_xxx from <net/if.h> */
    short ifi_myflags;              /* IFI_ALIAS */
    struct sockaddr *ifi_addr;      /* this address */
    struct sockaddr *ifi_brdaddr;   /* broadcast address, or NULL */
    struct sockaddr *ifi_dstaddr;   /* point-to-point peer, or NULL */
    struct ifi_info *ifi_next;      /* next in the list */
};

#define IFI_ALIAS 1  /* ifi_addr is not the interface's first address */

#ifdef __cplusplus
extern "C" {
#endif

struct ifi_info *get_ifi_info(int family, int doaliases);
struct ifi_info *Get_ifi_info(int family, int doaliases);
void free_ifi_info(struct ifi_info *ifihead);

#ifdef __cplusplus
}
#endif

#endif /* UNP_IFI_H */
