// SPDX-License-Identifier: MIT
// lossy_relay - the tests' seeded UDP relay (tests/support/udp_relay.hpp)
// as a program, for the lossy run of bench/udpfiletransfer/bench.sh.
//
// usage: lossy_relay <server-port> <drop 0..1> [seed]
// Prints "listening on 127.0.0.1, port N" and relays until killed; on
// SIGTERM it prints what it dropped in each direction.
#include "udp_relay.hpp"

#include <csignal>
#include <cstdio>
#include <cstdlib>

extern const char *const socklab_programs;
const char *const socklab_programs = "";  // test support wants it; no programs here

int main(int argc, char **argv)
{
    if (argc < 3 || argc > 4) {
        fprintf(stderr, "usage: lossy_relay <server-port> <drop 0..1> [seed]\n");
        return 1;
    }
    socklab::test::Faults faults{atof(argv[2]), 0, 0, argc == 4 ? static_cast<std::uint32_t>(atol(argv[3])) : 1u};
    socklab::test::UdpRelay relay(atoi(argv[1]), faults);
    printf("listening on 127.0.0.1, port %d\n", relay.port());
    fflush(stdout);
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    sigprocmask(SIG_BLOCK, &set, nullptr);
    int sig = 0;
    sigwait(&set, &sig);
    fprintf(stderr, "lossy_relay: to server %ld forwarded, %ld dropped; to client %ld forwarded, %ld dropped\n",
            relay.to_server().forwarded.load(), relay.to_server().dropped.load(), relay.to_client().forwarded.load(),
            relay.to_client().dropped.load());
    return 0;
}
