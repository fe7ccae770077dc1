// SPDX-License-Identifier: MIT
// tv_sub: out = out - in, for round-trip times (the book's ping and rtt).
#include "unp.h"

extern "C" void tv_sub(struct timeval *out, struct timeval *in)
{
    out->tv_sec -= in->tv_sec;
    out->tv_usec -= in->tv_usec;
    if (out->tv_usec < 0) {  // borrow a second
        out->tv_sec--;
        out->tv_usec += 1000000;
    }
}
