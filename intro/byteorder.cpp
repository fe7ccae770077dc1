// SPDX-License-Identifier: MIT
// byteorder - prints this host's byte order: store the 2-byte value 0x0102
// and look at which byte comes first in memory (the book uses a union; a
// memcpy says the same thing without C++'s rules on unions).
//
// usage: byteorder
//
// Observe: x86 and most ARM systems print little-endian; the network byte
// order (TCP/IP headers, and what htons/htonl produce) is big-endian, so on
// those hosts htons(0x0102) swaps the bytes.
#include "unp.h"

int main(int argc, char **argv)
{
    check_usage(argc, argv, argc == 1, "usage: byteorder");

    short s = 0x0102;
    unsigned char c[sizeof s];
    memcpy(c, &s, sizeof s);  // the bytes in the order memory holds them

    if (sizeof s != 2)
        printf("sizeof(short) = %zu\n", sizeof s);
    else if (c[0] == 1 && c[1] == 2)
        printf("big-endian\n");
    else if (c[0] == 2 && c[1] == 1)
        printf("little-endian\n");
    else
        printf("unknown\n");

    uint16_t net = htons(0x0102);
    const unsigned char *b = reinterpret_cast<const unsigned char *>(&net);
    printf("htons(0x0102) is stored as %02x %02x (network byte order)\n", b[0], b[1]);
    exit(0);
}
