// SPDX-License-Identifier: MIT
// What a wrong port looks like from outside, in words a student can act
// on: the labs' exercise checks (UdpEchoLab, UdpftLab) add it to a failure.
#ifndef SOCKLAB_TEST_PORT_NOTE_HPP
#define SOCKLAB_TEST_PORT_NOTE_HPP

#include <string>

namespace socklab::test {

// The port with its two bytes swapped: what htons() forgotten gives.
inline int swapped_port(int port) { return ((port & 0xff) << 8) | (port >> 8); }

// About 1 in 250 ports the kernel picks reads the same with its bytes
// swapped (0x8080, 0x8181, ...): there a forgotten htons() goes unseen, so
// a check that must see it takes another port.
inline bool swaps_to_itself(int port) { return port != 0 && swapped_port(port) == port; }

// make() (a socket, a server), made again while port_of(it) swaps to
// itself, up to 20 times.  Each new one is made while the last is still
// held, so the kernel cannot give it the same port.
template <class Make, class PortOf>
auto with_port_that_swaps_to_another(Make make, PortOf port_of)
{
    auto held = make();
    for (int i = 0; i < 20 && swaps_to_itself(port_of(held)); i++)
        held = make();
    return held;
}

// Why a server reports `got` where `expected` was asked for ("" if no
// known mistake explains it): 0, never bound; the bytes swapped, no htons().
inline std::string port_note(int expected, int got)
{
    if (got == 0)
        return "the server reports port 0: its socket was never bound (no bind()?)";
    if (got == swapped_port(expected))
        return "port " + std::to_string(got) + " is port " + std::to_string(expected) +
               " with its bytes swapped (htons() missing?)";
    return "";
}

}  // namespace socklab::test

#endif  // SOCKLAB_TEST_PORT_NOTE_HPP
