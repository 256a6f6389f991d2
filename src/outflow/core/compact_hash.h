// Hash map for the join's big tables of large entries (issue 15): the endpoint index's
// connection events by 5-tuple and by destination, addresses by host, processes by GUID and PID.
//
// std::unordered_map allocated and freed a node per key at the rate connection events and
// processes come and go: on a collector's file of 200 hosts' Sysmon, a quarter of the join
// thread was malloc and free. FlatHashMap (core/flat_hash.h) has no nodes, but its array of whole
// entries is at most half full and doubles as it grows: for entries of 40 to 64 bytes held by the
// hundred thousand, it took 30% more peak memory than the nodes (heaptrack: 42 MB for the address
// table alone).
//
// Here the entries sit in a dense array (chunked: they never move, growing copies nothing) and
// only a small index is open-addressed: 8 bytes per slot (entry number and the top 32 bits of the
// mixed hash, so a probe compares keys only when those bits agree), linear probing, at most half
// full. Growing rebuilds the index alone, from its own slots. An erased entry's slot in the dense
// array is reused by the next insert; iteration walks the dense array, so its order depends only on
// the sequence of inserts and erases (as FlatHashMap's: outputs must be the same run to run).
// Erase during iteration is safe and returns the next element; an insert never moves an entry, so
// references to entries stay valid until that entry is erased. Not thread-safe.
#pragma once
#include <cstddef>
#include <cstdint>
#include <functional>
#include <iterator>
#include <utility>
#include <vector>

#include "outflow/core/chunked_vector.h"

namespace outflow {

template <class K, class V, class Hash = std::hash<K>, class Eq = std::equal_to<K>>
class CompactHashMap {
 public:
  using value_type = std::pair<K, V>;

  template <bool Const>
  class Iter {
    using Map = std::conditional_t<Const, const CompactHashMap, CompactHashMap>;

   public:
    using iterator_category = std::forward_iterator_tag;
    using difference_type = std::ptrdiff_t;
    using pointer = std::conditional_t<Const, const value_type*, value_type*>;
    using reference = std::conditional_t<Const, const value_type&, value_type&>;
    Iter() = default;
    Iter(Map* m, size_t i) : m_(m), i_(i) { skip(); }
    template <bool C2, class = std::enable_if_t<Const && !C2>>
    Iter(const Iter<C2>& o) : m_(o.m_), i_(o.i_) {}  // NOLINT: iterator -> const_iterator
    reference operator*() const { return m_->entries_[i_]; }
    pointer operator->() const { return &m_->entries_[i_]; }
    Iter& operator++() {
      ++i_;
      skip();
      return *this;
    }
    Iter operator++(int) {
      Iter r = *this;
      ++*this;
      return r;
    }
    friend bool operator==(const Iter& a, const Iter& b) { return a.i_ == b.i_; }
    friend bool operator!=(const Iter& a, const Iter& b) { return a.i_ != b.i_; }

   private:
    friend class CompactHashMap;
    template <bool>
    friend class Iter;
    void skip() {
      while (i_ < m_->live_.size() && !m_->live_[i_]) ++i_;
    }
    Map* m_ = nullptr;
    size_t i_ = 0;
  };
  using iterator = Iter<false>;
  using const_iterator = Iter<true>;

  CompactHashMap() = default;
  // A moved-from map is empty and usable.
  CompactHashMap(CompactHashMap&& o) noexcept { *this = std::move(o); }
  CompactHashMap& operator=(CompactHashMap&& o) noexcept {
    if (this != &o) {
      index_ = std::move(o.index_), entries_ = std::move(o.entries_), live_ = std::move(o.live_), free_ = std::move(o.free_);
      size_ = o.size_, deleted_ = o.deleted_, shift_ = o.shift_;
      o.index_.clear(), o.live_.clear(), o.free_.clear(), o.entries_ = {};
      o.size_ = o.deleted_ = 0;
    }
    return *this;
  }

  iterator begin() { return iterator(this, 0); }
  iterator end() { return iterator(this, live_.size()); }
  const_iterator begin() const { return const_iterator(this, 0); }
  const_iterator end() const { return const_iterator(this, live_.size()); }
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  size_t index_slots() const { return index_.size(); }  // for memory estimates and tests

  iterator find(const K& k) {
    const size_t e = locate(k);
    return e == kNone ? end() : iterator(this, e);
  }
  const_iterator find(const K& k) const {
    const size_t e = locate(k);
    return e == kNone ? end() : const_iterator(this, e);
  }
  size_t count(const K& k) const { return locate(k) == kNone ? 0 : 1; }
  bool contains(const K& k) const { return locate(k) != kNone; }

  template <class... Args>
  std::pair<iterator, bool> try_emplace(const K& k, Args&&... args) {
    if (const size_t e = locate(k); e != kNone) return {iterator(this, e), false};
    if ((size_ + deleted_ + 1) * 2 > index_.size()) rehash((size_ + 1) * 4 > index_.size() ? grown() : index_.size());
    const uint32_t tag = tag_of(k);
    const size_t mask = index_.size() - 1;
    size_t i = home(tag);
    while (index_[i].entry < kDeleted) i = (i + 1) & mask;
    if (index_[i].entry == kDeleted) --deleted_;
    size_t e;
    if (!free_.empty()) {
      e = free_.back();
      free_.pop_back();
    } else {
      e = entries_.size();
      entries_.emplace_back();
      live_.push_back(0);
    }
    entries_[e] = value_type(k, V(std::forward<Args>(args)...));
    live_[e] = 1;
    index_[i] = {static_cast<uint32_t>(e), tag};
    ++size_;
    return {iterator(this, e), true};
  }
  V& operator[](const K& k) { return try_emplace(k).first->second; }

  iterator erase(iterator it) {
    const size_t e = it.i_;
    const uint32_t tag = tag_of(entries_[e].first);
    const size_t mask = index_.size() - 1;
    size_t i = home(tag);
    while (index_[i].entry != e) i = (i + 1) & mask;  // the entry is indexed on its key's path
    index_[i].entry = kDeleted;
    entries_[e] = value_type{};  // release what the entry owns now
    live_[e] = 0;
    free_.push_back(static_cast<uint32_t>(e));
    --size_;
    ++deleted_;
    ++it;
    return it;
  }
  size_t erase(const K& k) {
    const size_t e = locate(k);
    if (e == kNone) return 0;
    erase(iterator(this, e));
    return 1;
  }
  void clear() { *this = CompactHashMap{}; }

 private:
  struct Slot {
    uint32_t entry;  // kEmpty, kDeleted or an index into entries_
    uint32_t tag;    // the top 32 bits of the mixed hash
  };
  static constexpr uint32_t kEmpty = UINT32_MAX, kDeleted = UINT32_MAX - 1;
  static constexpr size_t kNone = ~size_t{0};

  static uint32_t tag_of(const K& k) { return static_cast<uint32_t>((static_cast<uint64_t>(Hash{}(k)) * 0x9E3779B97F4A7C15ULL) >> 32); }
  size_t home(uint32_t tag) const { return static_cast<size_t>(tag >> shift_); }
  size_t grown() const { return index_.empty() ? 8 : index_.size() * 2; }
  size_t locate(const K& k) const {
    if (size_ == 0) return kNone;
    const uint32_t tag = tag_of(k);
    const size_t mask = index_.size() - 1;
    for (size_t i = home(tag);; i = (i + 1) & mask) {
      const Slot s = index_[i];
      if (s.entry == kEmpty) return kNone;
      if (s.entry != kDeleted && s.tag == tag && Eq{}(entries_[s.entry].first, k)) return s.entry;
    }
  }
  // A new index of `cap` slots (a power of two, at most 2^32) from the old one's slots: the tags
  // give the new homes, no entry is read.
  void rehash(size_t cap) {
    std::vector<Slot> old(cap, Slot{kEmpty, 0});
    old.swap(index_);
    int s = 32;
    for (size_t c = cap; c > 1; c >>= 1) --s;
    shift_ = s;
    deleted_ = 0;
    const size_t mask = cap - 1;
    for (const Slot& o : old) {
      if (o.entry >= kDeleted) continue;
      size_t i = home(o.tag);
      while (index_[i].entry != kEmpty) i = (i + 1) & mask;
      index_[i] = o;
    }
  }

  std::vector<Slot> index_;
  ChunkedVector<value_type, 1024> entries_;
  std::vector<uint8_t> live_;    // per entry: 1 while it holds a key
  std::vector<uint32_t> free_;   // erased entries, reused first
  size_t size_ = 0, deleted_ = 0;
  int shift_ = 29;  // 32 - log2(index size)
};

}  // namespace outflow
