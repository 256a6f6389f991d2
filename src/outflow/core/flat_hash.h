// Open-addressing hash map and set for the per-session hot path (issue 15).
//
// std::unordered_map allocates a node per element and reaches it through a bucket array: two
// cache misses per lookup in a big table, and malloc/free per insert. On a flow-only hunt the
// per-process sets of destination addresses, the hour cells of beacon accumulators and the pair
// indexes were about a fifth of the join thread's time in such lookups (perf, 1 M connections).
//
// Why not absl::flat_hash_map (Debian 12's libabsl 20220623): it salts each table's probe start
// with the table's own heap address (raw_hash_set.h PerTableSalt), so its iteration order changes
// from run to run; several of these tables are iterated into findings, state files and text
// output, which must be the same for the same input. Here the order depends only on the keys'
// hashes and the sequence of inserts and erases.
//
// Linear probing over a power-of-two array, at most half full; erase leaves a tombstone (nothing
// moves: erase during iteration is safe and returns the next element), cleaned at the next
// growth. The caller's hash is mixed (Fibonacci multiply, top bits), so weak hashes such as
// std::hash<int64_t> (the identity) are fine. Unlike std::unordered_map, an insert that grows the
// table moves every element: references and iterators are then invalid.
#pragma once
#include <cstddef>
#include <cstdint>
#include <functional>
#include <iterator>
#include <memory>
#include <utility>
#include <vector>

namespace outflow {
namespace flat_detail {

enum : uint8_t { kEmpty = 0, kFull = 1, kDeleted = 2 };

struct KeyOfPair {
  template <class P>
  const auto& operator()(const P& p) const {
    return p.first;
  }
};
struct KeyOfSelf {
  template <class K>
  const K& operator()(const K& k) const {
    return k;
  }
};

template <class T, class K, class KeyOf, class Hash, class Eq>
class Table {
 public:
  template <bool Const>
  class Iter {
   public:
    using iterator_category = std::forward_iterator_tag;
    using value_type = T;
    using difference_type = std::ptrdiff_t;
    using pointer = std::conditional_t<Const, const T*, T*>;
    using reference = std::conditional_t<Const, const T&, T&>;
    Iter() = default;
    Iter(std::conditional_t<Const, const Table*, Table*> t, size_t i) : t_(t), i_(i) { skip(); }
    template <bool C2, class = std::enable_if_t<Const && !C2>>
    Iter(const Iter<C2>& o) : t_(o.t_), i_(o.i_) {}  // NOLINT: iterator -> const_iterator
    reference operator*() const { return t_->slots_[i_]; }
    pointer operator->() const { return &t_->slots_[i_]; }
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
    friend class Table;
    template <bool>
    friend class Iter;
    void skip() {
      while (i_ < t_->ctrl_.size() && t_->ctrl_[i_] != kFull) ++i_;
    }
    std::conditional_t<Const, const Table*, Table*> t_ = nullptr;
    size_t i_ = 0;
  };
  using iterator = Iter<false>;
  using const_iterator = Iter<true>;

  Table() = default;

  iterator begin() { return iterator(this, 0); }
  iterator end() { return iterator(this, ctrl_.size()); }
  const_iterator begin() const { return const_iterator(this, 0); }
  const_iterator end() const { return const_iterator(this, ctrl_.size()); }

  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  size_t bucket_count() const { return ctrl_.size(); }  // slots, for memory estimates
  void clear() {
    ctrl_.clear();
    slots_.clear();
    ctrl_.shrink_to_fit();
    slots_.shrink_to_fit();
    size_ = deleted_ = 0;
  }
  void reserve(size_t n) {
    size_t cap = 8;
    while (cap / 2 < n) cap *= 2;
    if (cap > ctrl_.size()) rehash(cap);
  }

  iterator find(const K& k) {
    const size_t i = locate(k);
    return i == kNone ? end() : iterator(this, i);
  }
  const_iterator find(const K& k) const {
    const size_t i = locate(k);
    return i == kNone ? end() : const_iterator(this, i);
  }
  size_t count(const K& k) const { return locate(k) == kNone ? 0 : 1; }
  bool contains(const K& k) const { return locate(k) != kNone; }

  iterator erase(iterator it) {
    ctrl_[it.i_] = kDeleted;
    slots_[it.i_] = T{};  // release what the element owns now
    --size_;
    ++deleted_;
    ++it;
    return it;
  }
  size_t erase(const K& k) {
    const size_t i = locate(k);
    if (i == kNone) return 0;
    erase(iterator(this, i));
    return 1;
  }

 protected:
  static constexpr size_t kNone = ~size_t{0};

  size_t home(const K& k) const {
    return static_cast<size_t>((static_cast<uint64_t>(Hash{}(k)) * 0x9E3779B97F4A7C15ULL) >> shift_);
  }
  size_t locate(const K& k) const {
    if (size_ == 0) return kNone;
    const size_t mask = ctrl_.size() - 1;
    for (size_t i = home(k);; i = (i + 1) & mask) {
      if (ctrl_[i] == kEmpty) return kNone;
      if (ctrl_[i] == kFull && Eq{}(KeyOf{}(slots_[i]), k)) return i;
    }
  }
  // The slot of `k` (found: true) or the slot to put it in (found: false), growing first.
  std::pair<size_t, bool> slot_for(const K& k) {
    if (const size_t i = locate(k); i != kNone) return {i, true};
    // At most half full, tombstones included (linear probing's unsuccessful search is about 2.5
    // probes there, 32 at 7/8): a table whose live elements fill a quarter doubles, a smaller one
    // is rebuilt at its size without its tombstones (a sliding window of keys, such as hours).
    if ((size_ + deleted_ + 1) * 2 > ctrl_.size()) rehash((size_ + 1) * 4 > ctrl_.size() ? grown() : ctrl_.size());
    const size_t mask = ctrl_.size() - 1;
    size_t i = home(k);
    while (ctrl_[i] == kFull) i = (i + 1) & mask;
    return {i, false};
  }
  void occupy(size_t i) {
    if (ctrl_[i] == kDeleted) --deleted_;
    ctrl_[i] = kFull;
    ++size_;
  }

  std::vector<uint8_t> ctrl_;
  std::vector<T> slots_;

 private:
  size_t grown() const { return ctrl_.empty() ? 8 : ctrl_.size() * 2; }
  void rehash(size_t cap) {
    std::vector<uint8_t> old_ctrl(cap, kEmpty);
    std::vector<T> old_slots(cap);
    old_ctrl.swap(ctrl_);
    old_slots.swap(slots_);
    int s = 64;
    for (size_t c = cap; c > 1; c >>= 1) --s;
    shift_ = s;
    deleted_ = 0;
    const size_t mask = cap - 1;
    for (size_t j = 0; j < old_ctrl.size(); ++j) {
      if (old_ctrl[j] != kFull) continue;
      size_t i = home(KeyOf{}(old_slots[j]));
      while (ctrl_[i] == kFull) i = (i + 1) & mask;
      ctrl_[i] = kFull;
      slots_[i] = std::move(old_slots[j]);
    }
  }

  size_t size_ = 0, deleted_ = 0;
  int shift_ = 61;  // 64 - log2(capacity)
};

}  // namespace flat_detail

template <class K, class V, class Hash = std::hash<K>, class Eq = std::equal_to<K>>
class FlatHashMap : public flat_detail::Table<std::pair<K, V>, K, flat_detail::KeyOfPair, Hash, Eq> {
  using Base = flat_detail::Table<std::pair<K, V>, K, flat_detail::KeyOfPair, Hash, Eq>;

 public:
  using typename Base::iterator;
  using value_type = std::pair<K, V>;

  template <class... Args>
  std::pair<iterator, bool> try_emplace(const K& k, Args&&... args) {
    auto [i, found] = this->slot_for(k);
    if (!found) {
      this->slots_[i] = value_type(k, V(std::forward<Args>(args)...));
      this->occupy(i);
    }
    return {iterator(this, i), !found};
  }
  V& operator[](const K& k) { return try_emplace(k).first->second; }
  friend bool operator==(const FlatHashMap& a, const FlatHashMap& b) {
    if (a.size() != b.size()) return false;
    for (const auto& [k, v] : a) {
      auto it = b.find(k);
      if (it == b.end() || !(it->second == v)) return false;
    }
    return true;
  }
};

template <class K, class Hash = std::hash<K>, class Eq = std::equal_to<K>>
class FlatHashSet : public flat_detail::Table<K, K, flat_detail::KeyOfSelf, Hash, Eq> {
  using Base = flat_detail::Table<K, K, flat_detail::KeyOfSelf, Hash, Eq>;

 public:
  using typename Base::iterator;

  std::pair<iterator, bool> insert(const K& k) {
    auto [i, found] = this->slot_for(k);
    if (!found) {
      this->slots_[i] = k;
      this->occupy(i);
    }
    return {iterator(this, i), !found};
  }
  template <class It>
  void insert(It first, It last) {
    for (; first != last; ++first) insert(*first);
  }
  friend bool operator==(const FlatHashSet& a, const FlatHashSet& b) {
    if (a.size() != b.size()) return false;
    for (const auto& k : a)
      if (!b.contains(k)) return false;
    return true;
  }
};

}  // namespace outflow
