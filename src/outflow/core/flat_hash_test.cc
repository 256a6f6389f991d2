#include "outflow/core/flat_hash.h"

#include <gtest/gtest.h>

#include <map>
#include <random>
#include <set>
#include <string>
#include <unordered_map>

#include "outflow/core/ip.h"

namespace outflow {
namespace {

TEST(FlatHashMap, AgreesWithStdUnorderedMapOverRandomInsertsLookupsAndErases) {
  FlatHashMap<int64_t, std::string> m;
  std::unordered_map<int64_t, std::string> ref;
  std::mt19937_64 rng(7);
  for (int i = 0; i < 200'000; ++i) {
    const int64_t k = static_cast<int64_t>(rng() % 5'000) - 2'500;  // negative keys too
    switch (rng() % 4) {
      case 0:
      case 1: {
        const std::string v = std::to_string(i);
        auto [it, fresh] = m.try_emplace(k, v);
        auto [rit, rfresh] = ref.try_emplace(k, v);
        ASSERT_EQ(fresh, rfresh);
        ASSERT_EQ(it->second, rit->second);
        break;
      }
      case 2:
        ASSERT_EQ(m.erase(k), ref.erase(k));
        break;
      default: {
        auto it = m.find(k);
        auto rit = ref.find(k);
        ASSERT_EQ(it == m.end(), rit == ref.end());
        if (rit != ref.end()) {
          ASSERT_EQ(it->second, rit->second);
        }
      }
    }
    ASSERT_EQ(m.size(), ref.size());
  }
  const std::map<int64_t, std::string> all(m.begin(), m.end()), want(ref.begin(), ref.end());
  EXPECT_EQ(all, want);
}

TEST(FlatHashMap, EraseWhileIteratingVisitsEveryElementOnce) {
  FlatHashMap<int64_t, int> m;
  for (int i = 0; i < 1'000; ++i) m[i] = i;
  int visited = 0;
  for (auto it = m.begin(); it != m.end();) {
    ++visited;
    it = it->first % 3 == 0 ? m.erase(it) : std::next(it);
  }
  EXPECT_EQ(visited, 1'000);
  EXPECT_EQ(m.size(), 666u);
  for (int i = 0; i < 1'000; ++i) EXPECT_EQ(m.count(i), i % 3 == 0 ? 0u : 1u) << i;
}

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
