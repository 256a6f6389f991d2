// A growable array stored in fixed-size chunks: elements never move, and growing never copies.
//
// The process table holds hundreds of thousands of large records; as a std::vector its growth
// doubled the capacity and briefly held the old and the new arrays together (a collector's
// 500 MB file peaked at 132 MB in that one reallocation of 100 MB of input, heaptrack), and left
// up to half the capacity unused. Here growth costs one chunk at a time. Not thread-safe.
#pragma once
#include <cstddef>
#include <memory>
#include <vector>

namespace outflow {

template <class T, size_t kChunk = 4096>
class ChunkedVector {
 public:
  T& operator[](size_t i) { return chunks_[i / kChunk][i % kChunk]; }
  const T& operator[](size_t i) const { return chunks_[i / kChunk][i % kChunk]; }
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  T& emplace_back() {
    if (size_ == chunks_.size() * kChunk) chunks_.push_back(std::make_unique<T[]>(kChunk));
    return (*this)[size_++];
  }

 private:
  std::vector<std::unique_ptr<T[]>> chunks_;
  size_t size_ = 0;
};

}  // namespace outflow
