// Splits a ByteSource into lines without copying them. Each returned line stays valid until the
// next call, and is followed in memory by at least kPadding readable bytes (what simdjson needs
// to parse in place). A line longer than max_line is not buffered whole: it is skipped and
// reported, so one enormous line costs max_line of memory, not its own size.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "outflow/read/byte_source.h"

namespace outflow {

class LineReader {
 public:
  static constexpr size_t kPadding = 64;
  static constexpr size_t kDefaultMaxLine = 64u << 20;

  enum class Status { line, too_long, end, error };

  static constexpr size_t kDefaultBuffer = 4u << 20;
  // `initial_buffer`: the buffer grows from this size as lines need (many files open at once,
  // as when inputs are read merged by time, want it small).
  LineReader(ByteSource& src, size_t max_line = kDefaultMaxLine, size_t initial_buffer = kDefaultBuffer);

  // The first bytes of the stream (up to n), without consuming them. For format detection.
  std::string_view peek(size_t n);

  // Next line (without its "\n" or "\r\n"). On too_long, `line` is empty and the line was
  // consumed. On error, error() says why; lines read before it were good.
  Status next(std::string_view& line);

  uint64_t line_number() const { return line_no_; }      // of the last line returned
  uint64_t line_offset() const { return line_offset_; }  // byte offset of its start
  uint64_t bytes_consumed() const { return consumed_; }
  // Bytes held for lines, at most max_line + 1 + kPadding whatever the input.
  size_t buffer_size() const { return buf_.size(); }
  const std::string& error() const { return src_.error(); }

 private:
  bool fill();  // read more bytes into buf_; false at end or error

  ByteSource& src_;
  size_t max_line_;
  size_t initial_;
  std::vector<char> buf_;
  size_t begin_ = 0, end_ = 0;  // unread bytes are buf_[begin_, end_)
  bool eof_ = false, failed_ = false;
  uint64_t line_no_ = 0, line_offset_ = 0, consumed_ = 0;
};

}  // namespace outflow
