// SPDX-License-Identifier: MIT
// get_ifi_info: the book's list of interfaces and their addresses, built
// from getifaddrs(3) instead of the SIOCGIFCONF ioctl (which knows no
// IPv6 addresses on Linux).  The MTU comes from SIOCGIFMTU, the hardware
// address from the interface's AF_PACKET entry.
#include "unpifi.h"

#include <ifaddrs.h>
#include <linux/if_packet.h>

#include <cstdlib>

namespace {

sockaddr *copy_address(const sockaddr *sa)
{
    if (sa == nullptr)
        return nullptr;
    size_t len = sa->sa_family == AF_INET6 ? sizeof(sockaddr_in6) : sizeof(sockaddr_in);
    auto *copy = static_cast<sockaddr *>(calloc(1, sizeof(sockaddr_storage)));
    if (copy != nullptr)
        memcpy(copy, sa, len);
    return copy;
}

// The hardware address of interface `name`, from its AF_PACKET entry.
void hardware_address(const ifaddrs *all, const char *name, ifi_info *ifi)
{
    for (const ifaddrs *ifa = all; ifa != nullptr; ifa = ifa->ifa_next) {
        if (ifa->ifa_addr == nullptr || ifa->ifa_addr->sa_family != AF_PACKET || strcmp(ifa->ifa_name, name) != 0)
            continue;
        auto *sll = reinterpret_cast<const sockaddr_ll *>(ifa->ifa_addr);
        ifi->ifi_hlen = sll->sll_halen <= IFI_HADDR ? sll->sll_halen : 0;
        memcpy(ifi->ifi_haddr, sll->sll_addr, ifi->ifi_hlen);
        return;
    }
}

int mtu_of(int sockfd, const char *name)
{
    ifreq ifr{};
    strncpy(ifr.ifr_name, name, IFNAMSIZ - 1);
    return sockfd >= 0 && ioctl(sockfd, SIOCGIFMTU, &ifr) == 0 ? ifr.ifr_mtu : 0;
}

// One list entry for address ifa, or nullptr when out of memory.
ifi_info *entry_for(const ifaddrs *all, const ifaddrs *ifa, int sockfd, bool alias)
{
    auto *ifi = static_cast<ifi_info *>(calloc(1, sizeof(ifi_info)));
    if (ifi == nullptr)
        return nullptr;
    strncpy(ifi->ifi_name, ifa->ifa_name, IFI_NAME - 1);
    ifi->ifi_index = static_cast<short>(if_nametoindex(ifa->ifa_name));
    ifi->ifi_mtu = mtu_of(sockfd, ifa->ifa_name);
    ifi->ifi_flags = static_cast<short>(ifa->ifa_flags);
    ifi->ifi_myflags = alias ? IFI_ALIAS : 0;
    hardware_address(all, ifa->ifa_name, ifi);
    ifi->ifi_addr = copy_address(ifa->ifa_addr);
    if (ifa->ifa_flags & IFF_BROADCAST)
        ifi->ifi_brdaddr = copy_address(ifa->ifa_broadaddr);
    if (ifa->ifa_flags & IFF_POINTOPOINT)
        ifi->ifi_dstaddr = copy_address(ifa->ifa_dstaddr);
    return ifi;
}

// Has an earlier entry of this family the same interface name?
bool seen_before(const ifaddrs *all, const ifaddrs *ifa)
{
    for (const ifaddrs *p = all; p != ifa; p = p->ifa_next)
        if (p->ifa_addr != nullptr && p->ifa_addr->sa_family == ifa->ifa_addr->sa_family &&
            strcmp(p->ifa_name, ifa->ifa_name) == 0)
            return true;
    return false;
}

}  // namespace

extern "C" {

struct ifi_info *get_ifi_info(int family, int doaliases)
{
    if (family != AF_INET && family != AF_INET6) {
        errno = EAFNOSUPPORT;
        return nullptr;
    }
    ifaddrs *all = nullptr;
    if (getifaddrs(&all) < 0)
        return nullptr;
    int sockfd = socket(AF_INET, SOCK_DGRAM, 0);  // for SIOCGIFMTU
    ifi_info *head = nullptr, **tail = &head;
    for (const ifaddrs *ifa = all; ifa != nullptr; ifa = ifa->ifa_next) {
        if (ifa->ifa_addr == nullptr || ifa->ifa_addr->sa_family != family || !(ifa->ifa_flags & IFF_UP))
            continue;  // another family, or an interface that is down
        bool alias = seen_before(all, ifa);
        if (alias && !doaliases)
            continue;
        if ((*tail = entry_for(all, ifa, sockfd, alias)) == nullptr) {
            free_ifi_info(head);
            head = nullptr;
            errno = ENOMEM;
            break;
        }
        tail = &(*tail)->ifi_next;
    }
    int saved = errno;
    if (sockfd >= 0)
        close(sockfd);
    freeifaddrs(all);
    errno = saved;
    return head;  // NULL also when no interface has an address of family
}

struct ifi_info *Get_ifi_info(int family, int doaliases)
{
    errno = 0;
    struct ifi_info *ifi = get_ifi_info(family, doaliases);
    if (ifi == nullptr && errno != 0)
        err_sys("get_ifi_info error");
    return ifi;
}

void free_ifi_info(struct ifi_info *ifihead)
{
    while (ifihead != nullptr) {
        struct ifi_info *next = ifihead->ifi_next;
        free(ifihead->ifi_addr);
        free(ifihead->ifi_brdaddr);
        free(ifihead->ifi_dstaddr);
        free(ifihead);
        ifihead = next;
    }
}

}  // extern "C"
