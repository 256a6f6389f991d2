// parse_epoch's fast path ("1517422326.539915") gives what the general path gives, on the usual
// shapes and on random strings of digits, dots, signs and blanks.
#include "outflow/read/zeek/zeek_fields.h"

#include <gtest/gtest.h>

#include <random>

namespace outflow::flowread {
namespace {

void same(const std::string& s) {
  TimeNs fast = -1, general = -1;
  const bool a = parse_epoch(s, fast), b = parse_epoch_general(s, general);
  ASSERT_EQ(a, b) << "'" << s << "'";
  if (a) {
    ASSERT_EQ(fast, general) << "'" << s << "'";
  }
}

TEST(ZeekFields, ParseEpochFastPathAgreesWithTheGeneralOne) {
  TimeNs t = 0;
  ASSERT_TRUE(parse_epoch("1517422326.539915", t));
  EXPECT_EQ(t, 1'517'422'326'539'915'000);
  ASSERT_TRUE(parse_epoch("0.000158", t));
  EXPECT_EQ(t, 158'000);
  ASSERT_TRUE(parse_epoch("9000000000.999999", t));
  EXPECT_FALSE(parse_epoch("9000000001.000000", t));  // beyond 2255: refused by both paths
  for (const char* s : {"1517422326.539915", "0.000000", "12.345678", "9000000000.000000", "9000000001.000000",
                        "9999999999.999999", "1517422326.53991", "1517422326.5399155", "1517422326", "-1.000000",
                        " 1.000000", "1.00000a", "a.000000", "1x000000", "15174223260.000000", "1.000000 ", "", ".000000",
                        "00000000000.000000", "1..00000"})
    same(s);
  std::mt19937_64 rng(17);
  const std::string alphabet = "0123456789012345678901234567890123456789.- x";
  for (int i = 0; i < 300'000; ++i) {
    const size_t n = rng() % 20;
    std::string s(n, '0');
    for (auto& c : s) c = alphabet[rng() % alphabet.size()];
    if (n >= 8 && rng() % 2) s[n - 7] = '.';  // the fast path's shape, often
    same(s);
  }
}

}  // namespace
}  // namespace outflow::flowread
