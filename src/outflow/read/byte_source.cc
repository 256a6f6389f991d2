#include "outflow/read/byte_source.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <vector>

namespace outflow {
namespace {

// Raw bytes from a file descriptor or memory, with a small look-ahead for magic detection.
class RawInput {
 public:
  virtual ~RawInput() = default;
  virtual long read(char* buf, size_t n, std::string& err) = 0;
  // See ByteSource::random_access_size() and read_at().
  virtual int64_t size() const { return -1; }
  virtual long read_at(uint64_t offset, char* buf, size_t n) const = 0;
};

class FdInput final : public RawInput {
 public:
  // `size` >= 0 for a regular file whose bytes may be read at any offset.
  FdInput(int fd, bool owned, int64_t size = -1) : fd_(fd), owned_(owned), size_(size) {}
  ~FdInput() override {
    if (owned_) ::close(fd_);
  }
  long read(char* buf, size_t n, std::string& err) override {
    for (;;) {
      const ssize_t r = ::read(fd_, buf, n);
      if (r >= 0) return static_cast<long>(r);
      if (errno == EINTR) continue;
      err = std::strerror(errno);
      return -1;
    }
  }
  int64_t size() const override { return size_; }
  long read_at(uint64_t offset, char* buf, size_t n) const override {
    if (size_ < 0) return -1;
    for (;;) {
      const ssize_t r = ::pread(fd_, buf, n, static_cast<off_t>(offset));
      if (r >= 0 || errno != EINTR) return static_cast<long>(r);
    }
  }

 private:
  int fd_;
  bool owned_;
  int64_t size_;
};

class MemInput final : public RawInput {
 public:
  explicit MemInput(std::string s) : s_(std::move(s)) {}
  long read(char* buf, size_t n, std::string&) override {
    const size_t k = std::min(n, s_.size() - pos_);
    std::memcpy(buf, s_.data() + pos_, k);
    pos_ += k;
    return static_cast<long>(k);
  }
  int64_t size() const override { return static_cast<int64_t>(s_.size()); }
  long read_at(uint64_t offset, char* buf, size_t n) const override {
    if (offset >= s_.size()) return 0;
    const size_t k = std::min<size_t>(n, s_.size() - offset);
    std::memcpy(buf, s_.data() + offset, k);
    return static_cast<long>(k);
  }

 private:
  std::string s_;
  size_t pos_ = 0;
};

constexpr size_t kChunk = 1 << 20;
constexpr size_t kFirstRead = 64 << 10;

// Buffers the raw input so that the first bytes can be inspected, then decompresses.
class DecodingSource final : public ByteSource {
 public:
  // The input buffer starts small: plain files are read straight into the caller's buffer
  // after the first bytes, so only compressed ones need a full chunk (many files may be open
  // at once when inputs are read merged by time).
  explicit DecodingSource(std::unique_ptr<RawInput> in, bool once = false) : in_(std::move(in)), inbuf_(kFirstRead) {
    read_once_ = once;
  }
  ~DecodingSource() override {
    if (zs_init_) inflateEnd(&zs_);
    if (zd_) ZSTD_freeDStream(zd_);
  }

  bool init() {
    // Fill enough to see a magic number. The first read is small: the caller may read the
    // file by position (EVTX) and never need the rest, and a folder holds many small files.
    const size_t first = std::min<size_t>(inbuf_.size(), kFirstRead);
    while (in_len_ < 4) {
      const long r = in_->read(inbuf_.data() + in_len_, first - in_len_, error_);
      if (r < 0) return false;
      if (r == 0) break;
      in_len_ += static_cast<size_t>(r);
      raw_total_ += static_cast<uint64_t>(r);
    }
    const auto* u = reinterpret_cast<const unsigned char*>(inbuf_.data());
    if (in_len_ >= 2 && u[0] == 0x1f && u[1] == 0x8b) {
      compression_ = Compression::gzip;
      std::memset(&zs_, 0, sizeof zs_);
      if (inflateInit2(&zs_, 16 + MAX_WBITS) != Z_OK) {
        error_ = "cannot initialise gzip decoder";
        return false;
      }
      zs_init_ = true;
      inbuf_.resize(kChunk);
    } else if (in_len_ >= 4 && u[0] == 0x28 && u[1] == 0xb5 && u[2] == 0x2f && u[3] == 0xfd) {
      compression_ = Compression::zstd;
      zd_ = ZSTD_createDStream();
      if (!zd_ || ZSTD_isError(ZSTD_initDStream(zd_))) {
        error_ = "cannot initialise zstd decoder";
        return false;
      }
      inbuf_.resize(kChunk);
    }
    return true;
  }

  // Positional reads cover the file up to the furthest byte read (the first bytes were also
  // read in order, for detection: not counted twice).
  uint64_t raw_bytes_read() const override { return std::max(raw_total_, at_end_.load(std::memory_order_relaxed)); }

  int64_t random_access_size() const override { return compression_ == Compression::none ? in_->size() : -1; }
  long read_at(uint64_t offset, char* buf, size_t n) const override {
    if (compression_ != Compression::none) return -1;
    const long r = in_->read_at(offset, buf, n);
    if (r > 0) {
      const uint64_t end = offset + static_cast<uint64_t>(r);
      uint64_t seen = at_end_.load(std::memory_order_relaxed);
      while (seen < end && !at_end_.compare_exchange_weak(seen, end, std::memory_order_relaxed)) {
      }
    }
    return r;
  }

  long read(char* buf, size_t n) override {
    if (failed_) return -1;
    switch (compression_) {
      case Compression::none: return read_plain(buf, n);
      case Compression::gzip: return read_gzip(buf, n);
      case Compression::zstd: return read_zstd(buf, n);
    }
    return -1;
  }

 private:
  bool refill() {
    if (in_pos_ < in_len_) return true;
    in_pos_ = in_len_ = 0;
    if (eof_) return false;
    const long r = in_->read(inbuf_.data(), inbuf_.size(), error_);
    if (r < 0) {
      failed_ = true;
      return false;
    }
    if (r == 0) {
      eof_ = true;
      return false;
    }
    in_len_ = static_cast<size_t>(r);
    raw_total_ += static_cast<uint64_t>(r);
    return true;
  }

  long read_plain(char* buf, size_t n) {
    if (in_pos_ >= in_len_) {
      // Drained what detection read: straight into the caller's buffer, no second copy.
      if (eof_) return 0;
      const long r = in_->read(buf, n, error_);
      if (r < 0) {
        failed_ = true;
        return -1;
      }
      if (r == 0) eof_ = true;
      raw_total_ += static_cast<uint64_t>(r);
      return r;
    }
    const size_t k = std::min(n, in_len_ - in_pos_);
    std::memcpy(buf, inbuf_.data() + in_pos_, k);
    in_pos_ += k;
    return static_cast<long>(k);
  }

  long read_gzip(char* buf, size_t n) {
    zs_.next_out = reinterpret_cast<Bytef*>(buf);
    zs_.avail_out = static_cast<uInt>(std::min<size_t>(n, 1u << 30));
    while (zs_.avail_out > 0) {
      if (in_pos_ >= in_len_ && !refill()) {
        if (failed_) return -1;
        if (!stream_ended_ && zs_.total_in > 0) {
          // Input ended inside a gzip member: report it, return what we have.
          error_ = "truncated gzip stream";
          failed_ = true;
        }
        break;
      }
      zs_.next_in = reinterpret_cast<Bytef*>(inbuf_.data() + in_pos_);
      zs_.avail_in = static_cast<uInt>(in_len_ - in_pos_);
      const int rc = inflate(&zs_, Z_NO_FLUSH);
      in_pos_ = in_len_ - zs_.avail_in;
      if (rc == Z_STREAM_END) {
        stream_ended_ = true;
        // Concatenated members (as `cat a.gz b.gz` makes) continue.
        if (in_pos_ < in_len_ || refill()) {
          inflateReset(&zs_);
          stream_ended_ = false;
          continue;
        }
        break;
      }
      if (rc != Z_OK && rc != Z_BUF_ERROR) {
        error_ = std::string("corrupt gzip data: ") + (zs_.msg ? zs_.msg : "inflate failed");
        failed_ = true;
        break;
      }
      stream_ended_ = false;
    }
    const size_t got = n - zs_.avail_out;
    if (got == 0 && failed_) return -1;
    return static_cast<long>(got);
  }

  long read_zstd(char* buf, size_t n) {
    ZSTD_outBuffer out{buf, n, 0};
    while (out.pos < out.size) {
      if (in_pos_ >= in_len_ && !refill()) {
        if (failed_) return -1;
        if (zstd_pending_ != 0) {
          error_ = "truncated zstd stream";
          failed_ = true;
        }
        break;
      }
      ZSTD_inBuffer in{inbuf_.data() + in_pos_, in_len_ - in_pos_, 0};
      const size_t rc = ZSTD_decompressStream(zd_, &out, &in);
      in_pos_ += in.pos;
      if (ZSTD_isError(rc)) {
        error_ = std::string("corrupt zstd data: ") + ZSTD_getErrorName(rc);
        failed_ = true;
        break;
      }
      zstd_pending_ = rc;
    }
    if (out.pos == 0 && failed_) return -1;
    return static_cast<long>(out.pos);
  }

  std::unique_ptr<RawInput> in_;
  std::vector<char> inbuf_;
  size_t in_pos_ = 0, in_len_ = 0;
  bool eof_ = false, failed_ = false;
  uint64_t raw_total_ = 0;
  mutable std::atomic<uint64_t> at_end_{0};  // furthest byte read by read_at() (once per chunk)
  z_stream zs_{};
  bool zs_init_ = false, stream_ended_ = false;
  ZSTD_DStream* zd_ = nullptr;
  size_t zstd_pending_ = 0;
};

// Whether the file behind `fd` (of mode `mode`) reads from its start when opened again.
bool seekable(int fd, mode_t mode) {
  return (S_ISREG(mode) || S_ISBLK(mode)) && ::lseek(fd, 0, SEEK_CUR) >= 0;
}

}  // namespace

PeekedSource::PeekedSource(ByteSource& inner, std::string head) : inner_(inner), head_(std::move(head)) {
  compression_ = inner.compression();
  read_once_ = inner.read_once();
}

PeekedSource::PeekedSource(std::unique_ptr<ByteSource> inner, std::string head)
    : owned_(std::move(inner)), inner_(*owned_), head_(std::move(head)) {
  compression_ = inner_.compression();
  read_once_ = inner_.read_once();
}

long PeekedSource::read(char* buf, size_t n) {
  if (pos_ < head_.size()) {
    const size_t k = std::min(n, head_.size() - pos_);
    std::memcpy(buf, head_.data() + pos_, k);
    pos_ += k;
    if (pos_ == head_.size()) {
      std::string().swap(head_);  // replayed: free it (the source may be read for hours)
      pos_ = 0;
    }
    return static_cast<long>(k);
  }
  const long r = inner_.read(buf, n);
  if (r < 0) error_ = inner_.error();
  return r;
}

bool read_up_to(ByteSource& src, size_t n, std::string& out) {
  out.assign(n, '\0');
  size_t got = 0;
  bool ok = true;
  while (got < n) {
    const long r = src.read(out.data() + got, n - got);
    if (r < 0) ok = false;
    if (r <= 0) break;
    got += static_cast<size_t>(r);
  }
  out.resize(got);
  return ok;
}

bool reopenable(const std::string& path) {
  if (path == "-") return false;
  struct stat st;
  return ::stat(path.c_str(), &st) == 0 && (S_ISREG(st.st_mode) || S_ISBLK(st.st_mode));
}

std::unique_ptr<ByteSource> open_byte_source(const std::string& path, std::string& error) {
  std::unique_ptr<RawInput> raw;
  bool once = true;
  if (path == "-") {
    raw = std::make_unique<FdInput>(0, false);  // even from a regular file: its position moves
  } else {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
      error = path + ": " + std::strerror(errno);
      return nullptr;
    }
    struct stat st;
    const bool have_stat = fstat(fd, &st) == 0;
    if (have_stat && S_ISDIR(st.st_mode)) {
      ::close(fd);
      error = path + ": is a directory";
      return nullptr;
    }
#ifdef POSIX_FADV_SEQUENTIAL
    posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
#endif
    raw = std::make_unique<FdInput>(fd, true, have_stat && S_ISREG(st.st_mode) ? static_cast<int64_t>(st.st_size) : -1);
    once = !have_stat || !seekable(fd, st.st_mode);
  }
  auto src = std::make_unique<DecodingSource>(std::move(raw), once);
  if (!src->init()) {
    error = path + ": " + src->error();
    return nullptr;
  }
  return src;
}

std::unique_ptr<ByteSource> memory_byte_source(std::string bytes) {
  auto src = std::make_unique<DecodingSource>(std::make_unique<MemInput>(std::move(bytes)));
  src->init();
  return src;
}

}  // namespace outflow
