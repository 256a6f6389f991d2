// A file (or stdin) as a stream of decompressed bytes: gzip and zstd are recognised by their
// magic numbers, not by the file name, and decompressed on the fly in bounded memory.
#pragma once
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

namespace outflow {

enum class Compression { none, gzip, zstd };

class ByteSource {
 public:
  virtual ~ByteSource() = default;
  // Reads up to n bytes. Returns the count (0 at end). Returns -1 on an error and sets error().
  virtual long read(char* buf, size_t n) = 0;
  const std::string& error() const { return error_; }
  Compression compression() const { return compression_; }
  // Compressed bytes consumed so far (for progress and MB/s).
  virtual uint64_t raw_bytes_read() const = 0;

  // Random access, for readers that split a file among threads. Only an uncompressed regular
  // file (not stdin) or memory has it: random_access_size() is then its length, and read_at()
  // reads up to n bytes at `offset` independently of read()'s position, safely from several
  // threads at once (pread). Otherwise random_access_size() is -1 and read_at() returns -1.
  // read_at() returns the count (0 past the end) or -1 with errno set.
  virtual int64_t random_access_size() const { return -1; }
  virtual long read_at(uint64_t /*offset*/, char* /*buf*/, size_t /*n*/) const { return -1; }

 protected:
  std::string error_;
  Compression compression_ = Compression::none;
};

// Opens `path` ("-" = stdin). On failure returns nullptr and sets `error` to a precise message.
std::unique_ptr<ByteSource> open_byte_source(const std::string& path, std::string& error);
// A source over bytes in memory (tests, fuzzers). The bytes are copied.
std::unique_ptr<ByteSource> memory_byte_source(std::string bytes);

}  // namespace outflow
