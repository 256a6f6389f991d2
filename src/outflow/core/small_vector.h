// A vector of trivially copyable values that holds its first N in place, on the heap only beyond.
//
// For the join's tables whose values are short lists: connection events per 5-tuple and per
// destination (one, nearly always), host spans per address, process ids per PID. As
// std::vector each key cost a heap block, allocated and freed at the rate connection events and
// processes come and go (malloc and free were a sixth of the join thread on a collector's file),
// and one more cache miss per lookup. Debian 12 has absl::InlinedVector (libabsl-dev), but
// nothing else here links abseil, and this is the part of it the join needs; boost's small_vector
// would bring Boost.Container in for the same.
#pragma once
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <iterator>
#include <new>
#include <type_traits>

namespace outflow {

template <class T, size_t N>
class SmallVector {
  static_assert(std::is_trivially_copyable_v<T> && std::is_default_constructible_v<T>,
                "values are copied as bytes");
  static_assert(N >= 1 && N <= 64);

 public:
  using value_type = T;
  using iterator = T*;
  using const_iterator = const T*;
  using reverse_iterator = std::reverse_iterator<T*>;
  using const_reverse_iterator = std::reverse_iterator<const T*>;

  SmallVector() = default;
  SmallVector(const SmallVector& o) { assign(o.data(), o.size_); }
  SmallVector(SmallVector&& o) noexcept { take(o); }
  SmallVector& operator=(const SmallVector& o) {
    if (this != &o) {
      clear();
      assign(o.data(), o.size_);
    }
    return *this;
  }
  SmallVector& operator=(SmallVector&& o) noexcept {
    if (this != &o) {
      release();
      take(o);
    }
    return *this;
  }
  ~SmallVector() { release(); }

  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  size_t capacity() const { return cap_; }
  bool on_heap() const { return cap_ > N; }
  T* data() { return on_heap() ? heap_ : reinterpret_cast<T*>(inline_); }
  const T* data() const { return on_heap() ? heap_ : reinterpret_cast<const T*>(inline_); }

  T* begin() { return data(); }
  T* end() { return data() + size_; }
  const T* begin() const { return data(); }
  const T* end() const { return data() + size_; }
  reverse_iterator rbegin() { return reverse_iterator(end()); }
  reverse_iterator rend() { return reverse_iterator(begin()); }
  const_reverse_iterator rbegin() const { return const_reverse_iterator(end()); }
  const_reverse_iterator rend() const { return const_reverse_iterator(begin()); }
  T& operator[](size_t i) { return data()[i]; }
  const T& operator[](size_t i) const { return data()[i]; }
  T& front() { return data()[0]; }
  T& back() { return data()[size_ - 1]; }
  const T& front() const { return data()[0]; }
  const T& back() const { return data()[size_ - 1]; }

  void push_back(const T& v) {
    if (size_ == cap_) {
      const T copy = v;  // `v` may be one of ours: grow() moves them
      grow(cap_ * 2);
      data()[size_++] = copy;
      return;
    }
    data()[size_++] = v;
  }
  // Removes [first, last); returns the position after the removed ones.
  T* erase(T* first, T* last) {
    T* e = end();
    if (first != last) {
      std::memmove(static_cast<void*>(first), last, static_cast<size_t>(e - last) * sizeof(T));
      size_ -= static_cast<uint32_t>(last - first);
    }
    return first;
  }
  T* erase(T* pos) { return erase(pos, pos + 1); }
  // Empties it; a heap buffer is kept.
  void clear() { size_ = 0; }

 private:
  void grow(size_t cap) {
    T* p = static_cast<T*>(::operator new(cap * sizeof(T)));
    std::memcpy(static_cast<void*>(p), data(), size_ * sizeof(T));
    release();
    heap_ = p;
    cap_ = static_cast<uint32_t>(cap);
  }
  void release() {
    if (on_heap()) ::operator delete(heap_);
    cap_ = N;
  }
  void assign(const T* src, size_t n) {
    if (n > cap_) grow(n);
    std::memcpy(static_cast<void*>(data()), src, n * sizeof(T));
    size_ = static_cast<uint32_t>(n);
  }
  // From `o` into this empty, inline vector; `o` is left empty and inline.
  void take(SmallVector& o) {
    if (o.on_heap()) {
      heap_ = o.heap_;
      cap_ = o.cap_;
    } else {
      std::memcpy(inline_, o.inline_, o.size_ * sizeof(T));
      cap_ = N;
    }
    size_ = o.size_;
    o.size_ = 0;
    o.cap_ = N;
  }

  // In place: bytes that hold up to N values (an unsigned char array creates the trivially
  // copyable objects put in it); else the heap buffer.
  union {
    alignas(T) unsigned char inline_[N * sizeof(T)];
    T* heap_;
  };
  uint32_t size_ = 0, cap_ = N;
};

}  // namespace outflow
