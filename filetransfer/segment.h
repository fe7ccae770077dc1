/* SPDX-License-Identifier: MIT */
/*
 * segment.h - the handout's file segment, made safe to put on the wire.
 * Shared by FTServer and FTClient; PROTOCOL.md draws it byte by byte.
 *
 * The handout sends `struct { int len; char buf[256]; }` whole: 260 bytes
 * per segment whatever len says, len in the sender's byte order, and the
 * reader hopes that one read() returns one whole struct.  TCP promises none
 * of that: it moves a stream of bytes, and one read may return part of a
 * segment or the end of one and the start of the next.
 *
 * Here every message is a 4-byte length in network byte order followed by
 * exactly that many bytes, and the reader takes both with readn():
 *
 *   client -> server   the request: length 1..FT_PATHMAX-1, then the path
 *   server -> client   segments, as a signed length:
 *                        1..SEGSIZE      that many bytes of the file follow
 *                        0               end of file: the transfer is complete
 *                        -1..-SEGSIZE    refused: -len bytes of text say why;
 *                                        nothing follows
 *
 * A connection that ends before the 0 segment is a broken transfer, never
 * a short file.
 */
#ifndef FT_SEGMENT_H
#define FT_SEGMENT_H

#include <stddef.h>
#include <stdint.h>

#define SEGSIZE    256   /* the handout's BUFSIZE: most file bytes per segment */
#define FT_PATHMAX 4096  /* a request names at most FT_PATHMAX-1 bytes of path */

struct file_segment {
    uint32_t len;         /* network byte order on the wire; see above */
    char buf[SEGSIZE];    /* only the first |len| bytes are sent */
};

#ifdef __cplusplus
/* buf follows len with no padding, so header and bytes go out in one write. */
static_assert(offsetof(file_segment, buf) == sizeof(uint32_t), "no padding after len");
#endif

#endif /* FT_SEGMENT_H */
