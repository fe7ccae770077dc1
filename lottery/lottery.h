// SPDX-License-Identifier: MIT
// lottery.h - what every Lottery server shares: the commands, the draw of
// six distinct numbers from 1 to 45, the text of each answer, and the
// servers' command line.  The socket calls stay in the programs.
//
// The wire (README.md): a command is a 4-byte integer in network byte
// order (0 GEN, 1 LIST, 2 END); an answer is one text line ending in '\n'.
#ifndef LOTTERY_H
#define LOTTERY_H

#include "unp.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <random>
#include <string>

enum : int32_t { GEN = 0, LIST = 1, END = 2 };

inline constexpr int kLotteryNumbers = 6;   // numbers in one draw
inline constexpr int kLotteryHighest = 45;  // each from 1 to this

// One draw: up to six distinct numbers, drawn one GEN at a time from a
// generator seeded once, at construction.  The same seed draws the same
// numbers (with the same standard library).
class Lottery {
public:
    explicit Lottery(uint32_t seed) : rng_(seed) {}

    bool full() const { return count_ == kLotteryNumbers; }
    // The numbers in the order drawn; 0 where none is drawn yet.
    const std::array<int, kLotteryNumbers> &numbers() const { return numbers_; }

    // Draws a number not drawn before and keeps it.  Call only if !full().
    // Drawing again on a repeat is quick: at most 5 of the 45 are taken.
    // (The handout restarts its duplicate scan with i = -1 and uses
    // rand() % 45, which favours small numbers; <random> does neither.)
    int generate()
    {
        std::uniform_int_distribution<int> pick(1, kLotteryHighest);
        const auto drawn = numbers_.begin() + count_;
        for (;;) {
            int n = pick(rng_);
            if (std::find(numbers_.begin(), drawn, n) == drawn) {
                numbers_[count_++] = n;
                return n;
            }
        }
    }

    // The answer line (with its '\n') to a command:
    //   GEN   "New number generated: N", or "Full" once six are drawn
    //   LIST  "numbers: a b c d e f"
    //   END   "" (no answer: the server closes the connection)
    //   other "error: unknown command N (0:GEN 1:LIST 2:END)"; the session
    //         goes on.
    std::string answer(int32_t cmd)
    {
        switch (cmd) {
        case GEN:
            if (full())
                return "Full\n";
            return "New number generated: " + std::to_string(generate()) + "\n";
        case LIST: {
            std::string line = "numbers:";
            for (int n : numbers_)
                line += " " + std::to_string(n);
            return line + "\n";
        }
        case END:
            return "";
        default:
            return "error: unknown command " + std::to_string(cmd) + " (0:GEN 1:LIST 2:END)\n";
        }
    }

private:
    std::mt19937 rng_;
    std::array<int, kLotteryNumbers> numbers_{};
    int count_ = 0;
};

// The servers' arguments: [-s SEED] [port], and for LotteryServerFork
// also [-i SECONDS].
struct LotteryArgs {
    uint32_t seed;  // -s SEED, or a fresh one from std::random_device
    int port;       // SERV_PORT if none is given; 0: the kernel picks
    long idle;      // -i SECONDS: a client silent this long is disconnected; 0: never
};

inline constexpr long kLotteryIdle = 300;  // -i's default: five minutes

// Parses argv or exits with "usage: NAME [-s SEED] [port]" (with
// `idle_option`, "usage: NAME [-s SEED] [-i SECONDS] [port]").
inline LotteryArgs lottery_server_args(int argc, char **argv, const char *name, bool idle_option = false)
{
    LotteryArgs args{0, SERV_PORT, kLotteryIdle};
    std::string usage = "usage: " + std::string(name) + " [-s SEED]" + (idle_option ? " [-i SECONDS]" : "") + " [port]";
    check_usage(argc, argv, true, usage.c_str());
    bool seeded = false;
    int i = 1;
    while (i < argc && (strcmp(argv[i], "-s") == 0 || (idle_option && strcmp(argv[i], "-i") == 0))) {
        if (i + 1 >= argc)
            err_quit("%s", usage.c_str());
        char *end = nullptr;
        errno = 0;
        unsigned long long value = strtoull(argv[i + 1], &end, 10);
        bool bad = argv[i + 1][0] == '\0' || argv[i + 1][0] == '-' || *end != '\0' || errno != 0;
        if (argv[i][1] == 's') {
            if (bad || value > UINT32_MAX)
                err_usage("bad seed: %s (use a number from 0 to 4294967295)", argv[i + 1]);
            args.seed = static_cast<uint32_t>(value);
            seeded = true;
        } else {
            if (bad || value > 86400)
                err_usage("bad idle timeout: %s (seconds, from 0 (never) to 86400)", argv[i + 1]);
            args.idle = static_cast<long>(value);
        }
        i += 2;
    }
    if (argc - i > 1 || (i < argc && argv[i][0] == '-'))
        err_quit("%s", usage.c_str());
    if (i < argc)
        args.port = Parse_port(argv[i]);
    if (!seeded)
        args.seed = std::random_device{}();
    return args;
}

#endif  // LOTTERY_H
