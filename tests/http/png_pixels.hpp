// SPDX-License-Identifier: MIT
// Just enough of PNG to tell whether a screenshot shows anything: the
// pixels of an 8-bit RGB or RGBA, non-interlaced image (what Chromium's
// --screenshot writes).
#ifndef SOCKLAB_PNG_PIXELS_HPP
#define SOCKLAB_PNG_PIXELS_HPP

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace socklab::test {

struct Image {
    std::uint32_t width = 0, height = 0;
    unsigned channels = 0;             // 3 (RGB) or 4 (RGBA)
    std::vector<std::uint8_t> pixels;  // rows top to bottom, unfiltered
};

// The image in the PNG file's bytes; nullopt (and why, in *error) if it is
// not a PNG of that kind or is damaged.
std::optional<Image> decode_png(const std::string &bytes, std::string *error);

// How many different colours the image has, counting at most `cap`.
std::size_t distinct_colours(const Image &img, std::size_t cap = 16);

}  // namespace socklab::test

#endif  // SOCKLAB_PNG_PIXELS_HPP
