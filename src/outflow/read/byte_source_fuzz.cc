// libFuzzer target: the byte source (gzip, zstd, concatenated members, truncated and corrupt
// streams) and format detection. Decompressed output is read up to 8 MiB: a small input may
// legitimately expand far beyond that (a decompression bomb is bounded by streaming, not
// refused), so the target stops there.
#include <vector>

#include "outflow/testing/fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace outflow;
  auto src = memory_byte_source(std::string(reinterpret_cast<const char*>(data), size));
  std::vector<char> buf(64 * 1024);
  size_t total = 0;
  std::string head;
  for (;;) {
    const long r = src->read(buf.data(), buf.size());
    if (r < 0) {
      fuzz::check(!src->error().empty());
      break;
    }
    if (r == 0) break;
    fuzz::check(static_cast<size_t>(r) <= buf.size());
    if (head.size() < 8192) head.append(buf.data(), std::min<size_t>(static_cast<size_t>(r), 8192 - head.size()));
    total += static_cast<size_t>(r);
    if (total > (8u << 20)) break;
  }
  fuzz::check(src->raw_bytes_read() <= size);
  detect_format(head);
  return 0;
}
