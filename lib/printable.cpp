// SPDX-License-Identifier: MIT
// printable(): text from the network made safe to print.  A server's
// refusal, a client's path in a log: printed raw, an ESC byte in them
// starts a terminal escape sequence that can move the cursor, retitle the
// window or hide what came before.  Here every byte that is not printable
// ASCII comes out as \xNN.
#include "unp.h"

extern "C" char *printable(char *dst, size_t dstlen, const void *src, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    const auto *p = static_cast<const unsigned char *>(src);
    size_t out = 0;
    if (dstlen == 0)
        return dst;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = p[i];
        bool plain = c >= 0x20 && c < 0x7f && c != '\\';
        size_t need = plain ? 1 : 4;
        if (out + need >= dstlen)
            break;  // cut short: the rest would not fit with the NUL
        if (plain) {
            dst[out++] = static_cast<char>(c);
        } else {
            dst[out++] = '\\';
            dst[out++] = 'x';
            dst[out++] = hex[c >> 4];
            dst[out++] = hex[c & 0xf];
        }
    }
    dst[out] = '\0';
    return dst;
}
