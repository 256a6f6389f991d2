// IpAddr's comparisons (two 64-bit halves, not memcmp) against the byte-wise ones they replace.
#include "outflow/core/ip.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <vector>

namespace outflow {
namespace {

IpAddr random_addr(std::mt19937_64& rng) {
  IpAddr a;
  // Mostly addresses that share long prefixes (IPv4-mapped, the same /64), so that every byte
  // position decides some comparisons.
  const int shape = static_cast<int>(rng() % 4);
  for (auto& x : a.b) x = static_cast<uint8_t>(rng());
  if (shape == 0) a = IpAddr::v4(static_cast<uint32_t>(rng() % 4096));
  if (shape == 1) std::fill(a.b.begin(), a.b.begin() + 8, uint8_t{0x20});
  if (shape == 2) a.b[static_cast<size_t>(rng() % 16)] ^= 0x80;
  return a;
}

TEST(IpAddr, ComparisonsAgreeWithBytewise) {
  std::mt19937_64 rng(11);
  std::vector<IpAddr> v;
  for (int i = 0; i < 3000; ++i) v.push_back(random_addr(rng));
  for (size_t i = 0; i + 1 < v.size(); ++i) {
    for (const size_t j : {i + 1, static_cast<size_t>(rng() % v.size())}) {
      const IpAddr& a = v[i];
      IpAddr c = v[j];
      if (rng() % 3 == 0) c = a, c.b[static_cast<size_t>(rng() % 16)] += static_cast<uint8_t>(1 + rng() % 255);
      ASSERT_EQ(a == c, a.b == c.b);
      ASSERT_EQ(a < c, a.b < c.b);
      ASSERT_EQ(c < a, c.b < a.b);
    }
  }
  IpAddr z;
  EXPECT_TRUE(z.is_unset());
  EXPECT_FALSE(z.is_v4());
  for (size_t k = 0; k < 16; ++k) {
    IpAddr one;
    one.b[k] = 1;
    EXPECT_FALSE(one.is_unset()) << k;
  }
  IpAddr v4 = IpAddr::v4(0x0A000001);
  EXPECT_TRUE(v4.is_v4());
  EXPECT_EQ(v4.to_string(), "10.0.0.1");
  v4.b[9] = 1;
  EXPECT_FALSE(v4.is_v4());
  IpAddr six;
  ASSERT_TRUE(IpAddr::parse("2001:db8::1", six));
  EXPECT_FALSE(six.is_v4());
  ASSERT_TRUE(IpAddr::parse("::ffff:192.0.2.1", six));
  EXPECT_TRUE(six.is_v4());
}

}  // namespace
}  // namespace outflow
