#include "outflow/write/async_writer.h"

namespace outflow {

AsyncWriter::AsyncWriter(std::FILE* out, size_t chunk) : out_(out), chunk_(chunk ? chunk : 1) {
  bufs_[0].reserve(chunk_ + chunk_ / 4);
  bufs_[1].reserve(chunk_ + chunk_ / 4);
  thread_ = std::thread([this] { work(); });
}

AsyncWriter::~AsyncWriter() {
  if (!finished_) finish();
}

bool AsyncWriter::hand_over() {
  std::unique_lock<std::mutex> lock(m_);
  cv_.wait(lock, [&] { return free_ != nullptr; });
  failed_seen_ = failed_;
  if (failed_) {
    fill_->clear();  // nothing more reaches a stream that failed
    return false;
  }
  queued_ = fill_;
  fill_ = free_;
  free_ = nullptr;
  lock.unlock();
  cv_.notify_all();
  return true;
}

bool AsyncWriter::finish() {
  if (finished_) return result_;
  finished_ = true;
  if (!fill_->empty()) hand_over();
  {
    std::unique_lock<std::mutex> lock(m_);
    cv_.wait(lock, [&] { return free_ != nullptr; });  // the last one written
    stop_ = true;
  }
  cv_.notify_all();
  thread_.join();
  result_ = !failed_ && std::fflush(out_) == 0;
  return result_;
}

void AsyncWriter::work() {
  std::unique_lock<std::mutex> lock(m_);
  for (;;) {
    cv_.wait(lock, [&] { return queued_ != nullptr || stop_; });
    if (!queued_) return;
    std::string& b = *queued_;
    queued_ = nullptr;
    const bool failed = failed_;
    lock.unlock();
    const bool ok = failed || b.empty() || std::fwrite(b.data(), 1, b.size(), out_) == b.size();
    b.clear();
    lock.lock();
    if (!ok) failed_ = true;
    free_ = &b;
    cv_.notify_all();
  }
}

}  // namespace outflow
