// SPDX-License-Identifier: MIT
// LotteryDraw: the draw every Lottery server shares (lottery/lottery.h),
// checked in-process, where 1,000 seeded sessions take milliseconds.
#include "lottery.h"
#include "lottery_testing.hpp"

#include <map>

using namespace lottery_testing;

namespace {

// Plays a full session on a fresh draw: six GENs, a seventh, LIST.
std::vector<int> session(uint32_t seed)
{
    Lottery lottery(seed);
    std::vector<int> drawn;
    for (int i = 0; i < 6; i++) {
        std::string answer = lottery.answer(GEN);
        EXPECT_EQ(answer.back(), '\n');
        drawn.push_back(generated(answer.substr(0, answer.size() - 1)));
    }
    EXPECT_EQ(lottery.answer(GEN), "Full\n");
    EXPECT_EQ(lottery.answer(LIST), numbers_line(drawn) + "\n");
    return drawn;
}

}  // namespace

TEST(LotteryDraw, ThousandSeededSessionsDrawDistinctNumbersCoveringOneToFortyFive)
{
    std::map<int, int> seen;
    for (uint32_t seed = 1; seed <= 1000 && !HasFailure(); seed++) {
        std::vector<int> drawn = session(seed);
        EXPECT_EQ(draw_problem(drawn), "") << "seed " << seed;
        for (int n : drawn)
            seen[n]++;
    }
    ASSERT_EQ(seen.size(), 45u);
    EXPECT_EQ(seen.begin()->first, 1);
    EXPECT_EQ(seen.rbegin()->first, 45);
    // Uniform: each number is drawn about 6000/45 = 133 times.  A draw
    // biased like rand() % 45 over a small RAND_MAX, or one that never
    // reaches 45, shows here.
    for (auto [n, times] : seen)
        EXPECT_TRUE(times > 80 && times < 190) << n << " drawn " << times << " times";
}

TEST(LotteryDraw, SameSeedSameNumbers)
{
    EXPECT_EQ(session(123), session(123));
    EXPECT_NE(session(123), session(124));
}

TEST(LotteryDraw, AnswersHaveTheHandoutsText)
{
    Lottery lottery(1);
    EXPECT_EQ(lottery.answer(LIST), "numbers: 0 0 0 0 0 0\n");
    std::string gen = lottery.answer(GEN);
    int n = generated(gen.substr(0, gen.size() - 1));
    EXPECT_EQ(gen, "New number generated: " + std::to_string(n) + "\n");
    EXPECT_EQ(lottery.answer(LIST), numbers_line({n}) + "\n");
    EXPECT_EQ(lottery.answer(END), "") << "END has no answer: the server closes";
    EXPECT_EQ(lottery.answer(7), "error: unknown command 7 (0:GEN 1:LIST 2:END)\n");
    EXPECT_EQ(lottery.answer(-1), "error: unknown command -1 (0:GEN 1:LIST 2:END)\n");
    EXPECT_FALSE(lottery.full());
    EXPECT_EQ(lottery.numbers()[0], n);
}
