#include "outflow/read/line_reader.h"

#include <algorithm>
#include <cstring>

namespace outflow {

LineReader::LineReader(ByteSource& src, size_t max_line, size_t initial_buffer)
    : src_(src),
      max_line_(max_line),
      initial_(std::min(std::max<size_t>(initial_buffer, 4096), max_line + 1)),
      buf_(initial_ + kPadding) {}

bool LineReader::fill() {
  if (eof_ || failed_) return false;
  // Move the unread tail to the front, grow if the buffer is full of one unfinished line.
  if (begin_ > 0) {
    std::memmove(buf_.data(), buf_.data() + begin_, end_ - begin_);
    end_ -= begin_;
    begin_ = 0;
  }
  // Back to the initial size once a long line has gone (many readers may be open at once).
  if (buf_.size() > 4 * initial_ + kPadding && end_ < initial_ / 2) {
    buf_.resize(initial_ + kPadding);
    buf_.shrink_to_fit();
  }
  const size_t cap = buf_.size() - kPadding;
  if (end_ == cap) {
    const size_t limit = max_line_ + 1;
    if (cap >= limit) return false;  // caller handles the overlong line
    buf_.resize(std::min(cap * 2, limit) + kPadding);
  }
  const long r = src_.read(buf_.data() + end_, buf_.size() - kPadding - end_);
  if (r < 0) {
    failed_ = true;
    return false;
  }
  if (r == 0) {
    eof_ = true;
    return false;
  }
  end_ += static_cast<size_t>(r);
  std::memset(buf_.data() + end_, 0, kPadding);
  return true;
}

std::string_view LineReader::peek(size_t n) {
  while (end_ - begin_ < n && fill()) {
  }
  return {buf_.data() + begin_, std::min(n, end_ - begin_)};
}

LineReader::Status LineReader::next(std::string_view& line) {
  size_t scan_from = begin_;
  for (;;) {
    const char* start = buf_.data() + begin_;
    const void* nl = std::memchr(buf_.data() + scan_from, '\n', end_ - scan_from);
    if (nl) {
      const size_t len = static_cast<const char*>(nl) - start;
      line_offset_ = consumed_;
      ++line_no_;
      consumed_ += len + 1;
      begin_ += len + 1;
      size_t l = len;
      if (l > 0 && start[l - 1] == '\r') --l;
      if (len > max_line_) {
        line = {};
        return Status::too_long;
      }
      line = {start, l};
      return Status::line;
    }
    const size_t pending = end_ - begin_;
    if (pending > max_line_) {
      // Discard the overlong line up to its newline without holding it.
      line_offset_ = consumed_;
      ++line_no_;
      for (;;) {
        consumed_ += end_ - begin_;
        begin_ = end_ = 0;
        if (!fill()) {
          line = {};
          return failed_ ? Status::error : Status::too_long;
        }
        const void* nl2 = std::memchr(buf_.data(), '\n', end_);
        if (nl2) {
          const size_t k = static_cast<const char*>(nl2) - buf_.data() + 1;
          consumed_ += k;
          begin_ = k;
          line = {};
          return Status::too_long;
        }
      }
    }
    scan_from = end_;
    const size_t old_begin = begin_;
    if (!fill()) {
      if (failed_) return Status::error;
      if (end_ > begin_) {  // last line without a newline
        const size_t len = end_ - begin_;
        line_offset_ = consumed_;
        ++line_no_;
        consumed_ += len;
        const char* s = buf_.data() + begin_;
        begin_ = end_;
        size_t l = len;
        if (l > 0 && s[l - 1] == '\r') --l;
        line = {s, l};
        return Status::line;
      }
      return Status::end;
    }
    scan_from -= old_begin - begin_;  // fill() moved data to the front
  }
}

}  // namespace outflow
