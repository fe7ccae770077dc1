// SPDX-License-Identifier: MIT
// sumbytes - why tcpcli09 does not send the book's raw struct: prints the
// bytes of `struct args { long arg1, arg2; }` as different hosts would
// send them, what another host would read from them, and the bytes of
// sum09.h's format, which are the same everywhere.
//
// usage: sumbytes [a b]      (default: 1 2)
//
// Observe: on x86-64 the struct is 16 bytes, least significant byte
// first; on the book's SPARC (big-endian, 4-byte long) it is 8 bytes,
// most significant first.  Neither can read the other's.
#include "unp.h"
#include "sum09.h"

#include <string>
#include <vector>

namespace {

// value as a host with this byte order and size of long stores it.
std::vector<unsigned char> bytes_as(int64_t value, bool big_endian, size_t size)
{
    std::vector<unsigned char> b(size);
    for (size_t i = 0; i < size; i++) {
        size_t shift = 8 * (big_endian ? size - 1 - i : i);
        b[i] = static_cast<unsigned char>(static_cast<uint64_t>(value) >> shift);
    }
    return b;
}

// The long such a host reads from the first `size` bytes of b.
int64_t read_as(const std::vector<unsigned char> &b, bool big_endian, size_t size)
{
    uint64_t v = 0;
    for (size_t i = 0; i < size; i++)
        v |= uint64_t{b[i]} << (8 * (big_endian ? size - 1 - i : i));
    if (size < 8 && (v >> (8 * size - 1)) != 0)
        v |= ~uint64_t{0} << (8 * size);  // sign-extend a 4-byte long
    return static_cast<int64_t>(v);
}

std::string hex(const std::vector<unsigned char> &b)
{
    std::string s;
    char two[4];
    for (unsigned char c : b) {
        snprintf(two, sizeof two, "%02x ", c);
        s += two;
    }
    return s + "(" + std::to_string(b.size()) + " bytes)";
}

std::vector<unsigned char> raw_struct(int64_t a, int64_t b, bool big_endian, size_t long_size)
{
    std::vector<unsigned char> s = bytes_as(a, big_endian, long_size);
    std::vector<unsigned char> second = bytes_as(b, big_endian, long_size);
    s.insert(s.end(), second.begin(), second.end());
    return s;
}

}  // namespace

int main(int argc, char **argv)
{
    int32_t a = 1, b = 2;
    check_usage(argc, argv, argc == 1 || argc == 3, "usage: sumbytes [a b]");
    if (argc == 3) {
        a = static_cast<int32_t>(strtol(argv[1], NULL, 10));
        b = static_cast<int32_t>(strtol(argv[2], NULL, 10));
    }

    printf("struct args { long arg1, arg2; } holding %d and %d, sent raw:\n", a, b);
    std::vector<unsigned char> x86 = raw_struct(a, b, false, 8);
    std::vector<unsigned char> sparc = raw_struct(a, b, true, 4);
    printf("  from x86-64 (little-endian, 8-byte long): %s\n", hex(x86).c_str());
    printf("  from SPARC (big-endian, 4-byte long):     %s\n", hex(sparc).c_str());
    printf("  from ARM32 (little-endian, 4-byte long):  %s\n", hex(raw_struct(a, b, false, 4)).c_str());
    printf("an x86-64 server reading SPARC's 8 bytes as its arg1: %lld, then waits for 8 more that never come\n",
           static_cast<long long>(read_as(sparc, false, 8)));
    std::vector<unsigned char> first(x86.begin(), x86.begin() + 8), second(x86.begin() + 8, x86.end());
    printf("a SPARC server reads x86-64's 16 bytes as two requests: %lld + %lld, then %lld + %lld\n",
           static_cast<long long>(read_as(first, true, 4)),
           static_cast<long long>(read_as({first.begin() + 4, first.end()}, true, 4)),
           static_cast<long long>(read_as(second, true, 4)),
           static_cast<long long>(read_as({second.begin() + 4, second.end()}, true, 4)));

    SumRequest req = encode_args({a, b});
    printf("sum09.h (tcpcli09), on every host:            %s\n",
           hex({req.begin(), req.end()}).c_str());
    exit(0);
}
