#include "outflow/core/flat_hash.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "outflow/core/ip.h"

namespace outflow {
namespace {

// What both hash maps must do alike is tested for both in compact_hash_test.cc.

TEST(FlatHashMap, IterationOrderDependsOnlyOnTheOperations) {
  // Two tables built by the same inserts and erases, at different heap addresses, iterate alike
  // (absl's tables do not: their probes are salted with the table's address).
  auto build = [] {
    auto m = std::make_unique<FlatHashMap<uint64_t, uint32_t>>();
    for (uint32_t i = 0; i < 5'000; ++i) (*m)[uint64_t{i} * 7919] = i;
    for (uint32_t i = 0; i < 5'000; i += 3) m->erase(uint64_t{i} * 7919);
    return m;
  };
  auto a = build();
  std::vector<char> spacer(1 << 20);
  auto b = build();
  std::vector<uint64_t> ka, kb;
  for (const auto& [k, v] : *a) ka.push_back(k);
  for (const auto& [k, v] : *b) kb.push_back(k);
  EXPECT_EQ(ka, kb);
  EXPECT_TRUE(*a == *b);
}

TEST(FlatHashMap, ASlidingWindowOfKeysStaysSmall) {
  // Hours come and go (a beacon accumulator's hour cells): tombstones are cleared, the table
  // does not grow with the number of keys ever inserted.
  FlatHashMap<int64_t, int> m;
  for (int64_t h = 0; h < 100'000; ++h) {
    m[h] = 1;
    if (h >= 50) {
      EXPECT_EQ(m.erase(h - 50), 1u);
    }
  }
  EXPECT_EQ(m.size(), 50u);
  EXPECT_LE(m.bucket_count(), 512u);
}

TEST(FlatHashSet, IPv4AddressesSpreadDespiteAWeakHash) {
  // IpAddrHash of IPv4 addresses varies only in its upper bits; the table mixes it.
  FlatHashSet<IpAddr, IpAddrHash> s;
  for (uint32_t i = 0; i < 100'000; ++i) EXPECT_TRUE(s.insert(IpAddr::v4(0x0a000000u + i)).second);
  for (uint32_t i = 0; i < 100'000; ++i) EXPECT_FALSE(s.insert(IpAddr::v4(0x0a000000u + i)).second);
  EXPECT_EQ(s.size(), 100'000u);
  EXPECT_TRUE(s.contains(IpAddr::v4(0x0a000005u)));
  EXPECT_FALSE(s.contains(IpAddr::v4(0x0b000005u)));
  FlatHashSet<IpAddr, IpAddrHash> t;
  t.insert(s.begin(), s.end());
  EXPECT_TRUE(s == t);
  t.erase(IpAddr::v4(0x0a000005u));
  EXPECT_FALSE(s == t);
}

TEST(FlatHashMap, AMovedFromTableIsEmptyAndUsable) {
  FlatHashMap<int64_t, int> m;
  for (int i = 0; i < 100; ++i) m[i] = i;
  FlatHashMap<int64_t, int> n = std::move(m);
  EXPECT_EQ(n.size(), 100u);
  EXPECT_TRUE(m.empty());  // NOLINT(bugprone-use-after-move): what is tested
  EXPECT_EQ(m.find(5), m.end());
  m[5] = 1;
  EXPECT_EQ(m.size(), 1u);
  FlatHashSet<int64_t> s, t;
  s.insert(1);
  t = std::move(s);
  EXPECT_EQ(s.count(1), 0u);  // NOLINT(bugprone-use-after-move)
  EXPECT_EQ(t.count(1), 1u);
}

TEST(FlatHashMap, ClearAndCopyKeepValues) {
  FlatHashMap<int64_t, std::string> m;
  for (int i = 0; i < 100; ++i) m[i] = std::string(50, static_cast<char>('a' + i % 26));
  FlatHashMap<int64_t, std::string> c = m;
  m.clear();
  EXPECT_TRUE(m.empty());
  EXPECT_EQ(m.find(3), m.end());
  EXPECT_EQ(c.size(), 100u);
  EXPECT_EQ(c[3], std::string(50, 'd'));
  m[1] = "x";
  EXPECT_EQ(m.size(), 1u);
}

}  // namespace
}  // namespace outflow
