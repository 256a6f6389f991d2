#include "outflow/core/small_vector.h"

#include <gtest/gtest.h>

#include <random>
#include <vector>

namespace outflow {
namespace {

// As the join's values: trivially copyable, with default member initializers.
struct Ref {
  uint32_t host = 7;
  int64_t time = -1;
  uint16_t port = 0;
  bool operator==(const Ref& o) const { return host == o.host && time == o.time && port == o.port; }
};

template <class V, class S>
void expect_same(const V& want, const S& got) {
  ASSERT_EQ(want.size(), got.size());
  ASSERT_EQ(want.empty(), got.empty());
  for (size_t i = 0; i < want.size(); ++i) ASSERT_EQ(want[i], got[i]) << i;
  size_t i = want.size();
  for (auto it = got.rbegin(); it != got.rend(); ++it) ASSERT_EQ(*it, want[--i]);
}

TEST(SmallVector, StaysInPlaceUpToNThenGrowsOnTheHeap) {
  SmallVector<Ref, 2> v;
  EXPECT_TRUE(v.empty());
  EXPECT_FALSE(v.on_heap());
  v.push_back({1, 10, 80});
  v.push_back({2, 20, 443});
  EXPECT_FALSE(v.on_heap());
  EXPECT_EQ(v.capacity(), 2u);
  v.push_back(v.front());  // a value of its own, while it grows
  EXPECT_TRUE(v.on_heap());
  EXPECT_EQ(v.size(), 3u);
  EXPECT_EQ(v.back(), (Ref{1, 10, 80}));
  EXPECT_EQ(v[1], (Ref{2, 20, 443}));
  EXPECT_EQ(sizeof(SmallVector<uint32_t, 2>), 16u);  // the PID table's: smaller than a std::vector
}

// Random pushes, erases (a range as remove_if leaves it, one element), clears, copies and moves,
// the same on std::vector: always the same values in the same order.
TEST(SmallVector, BehavesAsStdVectorUnderRandomOperations) {
  std::mt19937 rng(42);
  std::vector<std::vector<Ref>> want(8);
  std::vector<SmallVector<Ref, 1>> got(8);
  for (int step = 0; step < 200'000; ++step) {
    const size_t a = rng() % 8, b = rng() % 8;
    auto& w = want[a];
    auto& g = got[a];
    switch (rng() % 10) {
      case 0:
      case 1:
      case 2:
      case 3: {
        const Ref r{static_cast<uint32_t>(rng() % 5), static_cast<int64_t>(step), static_cast<uint16_t>(rng())};
        w.push_back(r);
        g.push_back(r);
        break;
      }
      case 4: {
        const uint32_t h = rng() % 5;
        w.erase(std::remove_if(w.begin(), w.end(), [&](const Ref& r) { return r.host == h; }), w.end());
        g.erase(std::remove_if(g.begin(), g.end(), [&](const Ref& r) { return r.host == h; }), g.end());
        break;
      }
      case 5:
        if (!w.empty()) {
          const size_t i = rng() % w.size();
          w.erase(w.begin() + static_cast<std::ptrdiff_t>(i));
          g.erase(g.begin() + i);
        }
        break;
      case 6:
        if (rng() % 8 == 0) w.clear(), g.clear();
        break;
      case 7:
        want[b] = want[a];
        got[b] = got[a];  // copy-assign (itself when a == b)
        break;
      case 8:
        if (a != b) {
          want[b] = std::move(want[a]);
          got[b] = std::move(got[a]);
          want[a].clear();  // std::vector's moved-from state is unspecified; ours is empty
          EXPECT_TRUE(got[a].empty());
        }
        break;
      case 9: {
        SmallVector<Ref, 1> copy(got[a]);
        SmallVector<Ref, 1> moved(std::move(copy));
        EXPECT_TRUE(copy.empty());  // NOLINT(bugprone-use-after-move): checked on purpose
        expect_same(want[a], moved);
        break;
      }
    }
    expect_same(want[a], got[a]);
    expect_same(want[b], got[b]);
  }
}

}  // namespace
}  // namespace outflow
