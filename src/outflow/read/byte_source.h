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

  // True when opening the same path again would not start the input over: stdin, a pipe (as
  // bash's <(...) makes: /dev/fd/63), a FIFO, a character device, a socket. Such an input can
  // be read only once: whoever looked at its first bytes must hand this source on (see
  // PeekedSource) rather than let the reader open the path again.
  bool read_once() const { return read_once_; }

 protected:
  std::string error_;
  Compression compression_ = Compression::none;
  bool read_once_ = false;
};

// Bytes already read from a source's start (its head), replayed before the rest of it: format
// detection looks at the head, and the reader still gets every byte. The head is released once
// replayed. Owns the source, or borrows one that outlives it.
class PeekedSource final : public ByteSource {
 public:
  PeekedSource(ByteSource& inner, std::string head);
  PeekedSource(std::unique_ptr<ByteSource> inner, std::string head);
  long read(char* buf, size_t n) override;
  uint64_t raw_bytes_read() const override { return inner_.raw_bytes_read(); }
  // Positional reads see the whole input, head included.
  int64_t random_access_size() const override { return inner_.random_access_size(); }
  long read_at(uint64_t offset, char* buf, size_t n) const override { return inner_.read_at(offset, buf, n); }

 private:
  std::unique_ptr<ByteSource> owned_;
  ByteSource& inner_;
  std::string head_;
  size_t pos_ = 0;
};

// Opens `path` ("-" = stdin). On failure returns nullptr and sets `error` to a precise message.
std::unique_ptr<ByteSource> open_byte_source(const std::string& path, std::string& error);
// Reads up to `n` bytes from `src` into `out` (fewer only at its end). False on a read error
// (src.error() says why), with what was read in `out`.
bool read_up_to(ByteSource& src, size_t n, std::string& out);
// Whether `path` can be opened again to read it from its start (a regular file or a block
// device), without opening it: false for "-", pipes, FIFOs, character devices, sockets and
// paths that do not exist.
bool reopenable(const std::string& path);
// A source over bytes in memory (tests, fuzzers). The bytes are copied.
std::unique_ptr<ByteSource> memory_byte_source(std::string bytes);

}  // namespace outflow
