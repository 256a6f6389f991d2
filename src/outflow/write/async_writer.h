// Output written on a thread of its own.
//
// `outflow sessions` writes about 1.7 KB of JSON per session: 1.7 GB for the dense bench's
// 1.2 GB of input. Written from the join's thread, the kernel's copy of it into the page cache
// was a third of that thread's time (perf: copy_folio_from_iter_atomic, 34% of the samples).
// Here the caller fills one buffer while this writer's thread writes the other one.
//
// Not thread-safe on the caller's side (one caller). Bytes reach the stream in the order they
// were appended. Memory: two buffers of about `chunk` bytes (plus the last append).
#pragma once
#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <string>
#include <thread>

namespace outflow {

class AsyncWriter {
 public:
  explicit AsyncWriter(std::FILE* out, size_t chunk = size_t{1} << 20);
  ~AsyncWriter();  // finish() if it was not called (its result is then lost)
  AsyncWriter(const AsyncWriter&) = delete;
  AsyncWriter& operator=(const AsyncWriter&) = delete;

  // The buffer to append to.
  std::string& buffer() { return *fill_; }
  // Hands the buffer over once it holds `chunk` bytes. False once a write has failed (what comes
  // after is then dropped): the caller may stop producing.
  bool maybe_flush() { return fill_->size() < chunk_ ? !failed_seen_ : hand_over(); }
  // Writes what is left and flushes the stream; false if any write or the flush failed. Once.
  bool finish();

 private:
  bool hand_over();
  void work();

  std::FILE* out_;
  size_t chunk_;
  std::string bufs_[2];
  std::string* fill_ = &bufs_[0];  // the caller's
  bool failed_seen_ = false;       // the caller's copy of failed_
  bool finished_ = false, result_ = true;
  std::mutex m_;
  std::condition_variable cv_;
  // Guarded by m_: the other buffer is free (written, empty), queued, or being written (neither).
  std::string* free_ = &bufs_[1];
  std::string* queued_ = nullptr;
  bool stop_ = false, failed_ = false;
  std::thread thread_;
};

}  // namespace outflow
