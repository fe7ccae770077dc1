// SPDX-License-Identifier: MIT
#include "png_pixels.hpp"

#include <zlib.h>

#include <cstdlib>
#include <cstring>
#include <set>

namespace socklab::test {
namespace {

std::uint32_t be32(const std::string &b, std::size_t at)
{
    auto u = [&](std::size_t i) { return static_cast<std::uint32_t>(static_cast<unsigned char>(b[at + i])); };
    return u(0) << 24 | u(1) << 16 | u(2) << 8 | u(3);
}

std::uint8_t paeth(int a, int b, int c)
{
    int p = a + b - c, pa = std::abs(p - a), pb = std::abs(p - b), pc = std::abs(p - c);
    return static_cast<std::uint8_t>(pa <= pb && pa <= pc ? a : pb <= pc ? b : c);
}

// Undoes each row's filter (PNG spec 9.2), in place; false for a bad type.
bool unfilter(const std::vector<std::uint8_t> &raw, Image &img)
{
    std::size_t stride = std::size_t{img.width} * img.channels, bpp = img.channels;
    img.pixels.assign(stride * img.height, 0);
    for (std::size_t y = 0; y < img.height; y++) {
        std::uint8_t type = raw[y * (stride + 1)];
        const std::uint8_t *in = &raw[y * (stride + 1) + 1];
        std::uint8_t *out = &img.pixels[y * stride];
        const std::uint8_t *up = y ? out - stride : nullptr;
        for (std::size_t x = 0; x < stride; x++) {
            int a = x >= bpp ? out[x - bpp] : 0, b = up ? up[x] : 0, c = (up && x >= bpp) ? up[x - bpp] : 0;
            int pred = type == 0 ? 0 : type == 1 ? a : type == 2 ? b : type == 3 ? (a + b) / 2 : type == 4 ? paeth(a, b, c) : -1;
            if (pred < 0)
                return false;
            out[x] = static_cast<std::uint8_t>(in[x] + pred);
        }
    }
    return true;
}

}  // namespace

std::optional<Image> decode_png(const std::string &bytes, std::string *error)
{
    auto fail = [&](const char *why) { *error = why; return std::optional<Image>(); };
    if (bytes.size() < 33 || bytes.compare(0, 8, "\x89PNG\r\n\x1a\n") != 0 || bytes.compare(12, 4, "IHDR") != 0)
        return fail("not a PNG file");
    Image img;
    img.width = be32(bytes, 16);
    img.height = be32(bytes, 20);
    unsigned depth = static_cast<unsigned char>(bytes[24]), colour = static_cast<unsigned char>(bytes[25]);
    if (depth != 8 || (colour != 2 && colour != 6) || bytes[28] != 0 || img.width == 0 || img.height == 0 ||
        img.width > 10000 || img.height > 10000)
        return fail("not an 8-bit RGB/RGBA non-interlaced PNG");
    img.channels = colour == 2 ? 3 : 4;
    std::string idat;
    for (std::size_t at = 8; at + 12 <= bytes.size();) {
        std::uint32_t len = be32(bytes, at);
        if (at + 12 + len > bytes.size())
            return fail("a chunk runs past the end of the file");
        if (bytes.compare(at + 4, 4, "IDAT") == 0)
            idat.append(bytes, at + 8, len);
        at += 12 + len;
    }
    std::vector<std::uint8_t> raw((std::size_t{img.width} * img.channels + 1) * img.height);
    uLongf got = raw.size();
    if (uncompress(raw.data(), &got, reinterpret_cast<const Bytef *>(idat.data()), idat.size()) != Z_OK ||
        got != raw.size())
        return fail("the image data does not inflate to width x height pixels");
    if (!unfilter(raw, img))
        return fail("a row has an unknown filter type");
    return img;
}

std::size_t distinct_colours(const Image &img, std::size_t cap)
{
    std::set<std::uint32_t> seen;
    for (std::size_t i = 0; i + img.channels <= img.pixels.size() && seen.size() < cap; i += img.channels)
        seen.insert(std::uint32_t{img.pixels[i]} << 16 | std::uint32_t{img.pixels[i + 1]} << 8 | img.pixels[i + 2]);
    return seen.size();
}

}  // namespace socklab::test
