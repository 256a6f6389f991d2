#include "outflow/core/compact_hash.h"

#include <gtest/gtest.h>

#include <map>
#include <random>
#include <string>
#include <unordered_map>
#include <vector>

#include "outflow/core/flat_hash.h"
#include "outflow/core/ip.h"

namespace outflow {
namespace {

// Both open-addressing maps (core/flat_hash.h, core/compact_hash.h) against std::unordered_map.
template <class M>
class HashMaps : public ::testing::Test {};
using Maps = ::testing::Types<FlatHashMap<int64_t, std::string>, CompactHashMap<int64_t, std::string>>;
TYPED_TEST_SUITE(HashMaps, Maps);

TYPED_TEST(HashMaps, AgreeWithStdUnorderedMapOverRandomInsertsLookupsAndErases) {
  TypeParam m;
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

TYPED_TEST(HashMaps, EraseWhileIteratingVisitsEveryElementOnce) {
  TypeParam m;
  for (int i = 0; i < 1'000; ++i) m[i] = std::to_string(i);
  int visited = 0;
  for (auto it = m.begin(); it != m.end();) {
    ++visited;
    if (it->first % 3 == 0) it = m.erase(it);
    else ++it;
  }
  EXPECT_EQ(visited, 1'000);
  EXPECT_EQ(m.size(), 666u);
  for (int i = 0; i < 1'000; ++i) EXPECT_EQ(m.count(i), i % 3 == 0 ? 0u : 1u) << i;
}

TEST(CompactHashMap, AMovedFromTableIsEmptyAndUsable) {
  CompactHashMap<int64_t, int> m;
  for (int i = 0; i < 100; ++i) m[i] = i;
  CompactHashMap<int64_t, int> n = std::move(m);
  EXPECT_EQ(n.size(), 100u);
  EXPECT_EQ(n.find(7)->second, 7);
  EXPECT_TRUE(m.empty());  // NOLINT(bugprone-use-after-move): what is tested
  EXPECT_EQ(m.find(5), m.end());
  m[5] = 1;
  EXPECT_EQ(m.size(), 1u);
}

TEST(CompactHashMap, EntriesNeverMoveWhileOthersAreInsertedAndTheirSlotsAreReused) {
  CompactHashMap<int64_t, std::vector<int>> m;
  std::vector<int>& first = m[42];
  first.push_back(7);
  for (int64_t i = 0; i < 100'000; ++i) m[1'000 + i].push_back(static_cast<int>(i));  // many index rebuilds
  EXPECT_EQ(&first, &m.find(42)->second);
  EXPECT_EQ(first, std::vector<int>{7});
  // An erased entry's storage goes to the next insert: the dense array does not grow.
  const auto* slot = &*m.find(1'000);
  m.erase(1'000);
  auto [it, fresh] = m.try_emplace(-5);
  EXPECT_TRUE(fresh);
  EXPECT_EQ(&*it, slot);
  EXPECT_TRUE(it->second.empty()) << "the erased entry's value was released, not handed on";
  EXPECT_EQ(m.size(), 100'001u);
}

TEST(CompactHashMap, IterationOrderDependsOnlyOnTheOperations) {
  auto build = [] {
    CompactHashMap<IpAddr, int, IpAddrHash> m;
    for (int i = 0; i < 5'000; ++i) {
      IpAddr a;
      EXPECT_TRUE(IpAddr::parse("10.0." + std::to_string(i / 250) + "." + std::to_string(i % 250), a));
      m[a] = i;
      if (i % 7 == 0) m.erase(a);
    }
    std::vector<int> order;
    for (const auto& [k, v] : m) order.push_back(v);
    return order;
  };
  const std::vector<int> a = build(), b = build();
  EXPECT_EQ(a, b);
  EXPECT_EQ(a.size(), 5'000u - 715u);
}

TEST(CompactHashMap, TombstonesDoNotGrowTheIndexForEver) {
  // A sliding window of keys: every insert follows an erase. The index is rebuilt at its size
  // when tombstones fill it, never doubled past what the live keys need.
  CompactHashMap<int64_t, int> m;
  for (int64_t i = 0; i < 1'000'000; ++i) {
    m[i] = 1;
    if (i >= 100) m.erase(i - 100);
  }
  EXPECT_EQ(m.size(), 100u);
  EXPECT_LE(m.index_slots(), 512u);  // (100 + 1) * 4 > 256: 512 slots, rebuilt in place
  for (int64_t i = 999'900; i < 1'000'000; ++i) EXPECT_TRUE(m.contains(i));
  EXPECT_FALSE(m.contains(999'899));
}

}  // namespace
}  // namespace outflow
