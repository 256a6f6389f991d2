// Hashes of the Zeek uids the stitcher emitted recently (FlowStitcher: a late open_conn snapshot
// of one of them is a duplicate). Two generations of open-addressing tables of 64-bit hashes: a
// uid is looked up in both and added to the current one, which becomes the previous one after
// `span` of record time or when it holds half the cap; the previous one is then dropped whole.
// So a uid is remembered for at least `span` of record time (unless the cap cuts it short), memory
// is at most the cap's worth of 16-byte slots, and no uid costs a node, a deletion or a queue entry
// (a std::unordered_set and a deque of them were a third of a flow-only run's time).
#pragma once
#include <algorithm>
#include <cstdint>
#include <utility>
#include <vector>

#include "outflow/core/time.h"

namespace outflow {

class RecentUids {
 public:
  explicit RecentUids(size_t cap) : half_(cap / 2 > 0 ? cap / 2 : 1) {}

  bool contains(uint64_t h) const { return cur_.contains(key(h)) || prev_.contains(key(h)); }

  // Remembers h at record time `now` (kNoTime: no clock yet).
  void add(uint64_t h, TimeNs now, TimeNs span) {
    if (cur_.used >= half_ || (now != kNoTime && start_ != kNoTime && now - start_ >= span)) {
      std::swap(prev_, cur_);
      cur_.clear();
      start_ = now;
    }
    if (start_ == kNoTime) start_ = now;
    cur_.insert(key(h));
  }
  size_t size() const { return cur_.used + prev_.used; }

 private:
  static uint64_t key(uint64_t h) { return h ? h : 1; }  // 0 marks an empty slot

  struct Table {
    std::vector<uint64_t> slots;  // power of two, at most half full
    size_t used = 0;
    bool contains(uint64_t k) const {
      if (slots.empty()) return false;
      const size_t mask = slots.size() - 1;
      for (size_t i = mix(k) & mask;; i = (i + 1) & mask) {
        if (slots[i] == k) return true;
        if (slots[i] == 0) return false;
      }
    }
    void insert(uint64_t k) {
      if ((used + 1) * 2 > slots.size()) grow();
      const size_t mask = slots.size() - 1;
      for (size_t i = mix(k) & mask;; i = (i + 1) & mask) {
        if (slots[i] == k) return;
        if (slots[i] == 0) {
          slots[i] = k;
          ++used;
          return;
        }
      }
    }
    void grow() {
      std::vector<uint64_t> old;
      old.swap(slots);
      slots.assign(old.empty() ? 1024 : old.size() * 2, 0);
      used = 0;
      for (uint64_t k : old)
        if (k) insert(k);
    }
    void clear() {
      // Keeps the slots (the next generation is about as big), zeroed.
      std::fill(slots.begin(), slots.end(), 0);
      used = 0;
    }
    static size_t mix(uint64_t k) {  // std::hash of a string is not mixed enough in its low bits for a mask
      k ^= k >> 33;
      k *= 0xff51afd7ed558ccdULL;
      k ^= k >> 33;
      return static_cast<size_t>(k);
    }
  };

  size_t half_;
  Table cur_, prev_;
  TimeNs start_ = kNoTime;
};

}  // namespace outflow
