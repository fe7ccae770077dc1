#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# make_site_images.py - writes the sample site's small images: img/dot.png,
# img/stripes.gif and favicon.ico, drawn here from arithmetic (no copied
# content).  The files are committed; run this again only to change them:
#   python3 http/make_site_images.py
import os
import struct
import zlib

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "site")


def png(width, height, pixel):
    """A truecolour PNG; pixel(x, y) -> (r, g, b)."""
    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))
    rows = b"".join(b"\0" + b"".join(bytes(pixel(x, y)) for x in range(width)) for y in range(height))
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b"")


def gif(width, height, palette, index):
    """A GIF with a 4-colour palette; index(x, y) -> 0..3.  The LZW stream
    sends a clear code before every two pixels, so codes stay 3 bits wide
    and no compression table is needed."""
    codes = []
    pixels = [index(x, y) for y in range(height) for x in range(width)]
    for i in range(0, len(pixels), 2):
        codes.append(4)  # clear
        codes.extend(pixels[i:i + 2])
    codes.append(5)  # end of information
    bits, nbits, out = 0, 0, bytearray()
    for c in codes:
        bits |= c << nbits
        nbits += 3
        while nbits >= 8:
            out.append(bits & 0xFF)
            bits >>= 8
            nbits -= 8
    if nbits:
        out.append(bits & 0xFF)
    blocks = b"".join(bytes([len(out[i:i + 255])]) + bytes(out[i:i + 255]) for i in range(0, len(out), 255))
    head = b"GIF89a" + struct.pack("<HHBBB", width, height, 0x81, 0, 0) + bytes(sum(palette, ()))
    image = b"," + struct.pack("<HHHHB", 0, 0, width, height, 0) + b"\x02" + blocks + b"\0"
    return head + image + b";"


def ico(png_bytes, size):
    """An .ico holding one PNG image (as every browser since 2007 reads)."""
    return struct.pack("<HHH", 0, 1, 1) + struct.pack("<BBBBHHII", size, size, 0, 0, 1, 32, len(png_bytes), 22) + png_bytes


def write(name, data):
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(data)


write("img/dot.png", png(48, 48, lambda x, y: (40, 90, 200) if (x - 24) ** 2 + (y - 24) ** 2 < 400 else (250, 240, 200)))
write("img/stripes.gif", gif(48, 24, [(200, 40, 40), (250, 250, 250), (40, 160, 60), (30, 30, 30)],
                             lambda x, y: (x // 6) % 3 if y < 20 else 3))
write("favicon.ico", ico(png(16, 16, lambda x, y: (20, 120, 60) if 3 < x < 12 and 3 < y < 12 else (255, 255, 255)), 16))
