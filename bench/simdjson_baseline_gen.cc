// simdjson_baseline_gen: the named baseline for `make bench` (not a generator; the `_gen` suffix is
// what the CMake glob builds). Reads a JSON-lines file in fixed-size chunks, runs
// simdjson::ondemand::parser::iterate_many over each chunk's complete lines, counts documents and
// extracts EventID. Memory is one chunk plus simdjson's batch buffers, whatever the file size.
//
//   simdjson_baseline_gen FILE... [--chunk-mb N] [--batch-mb N] [--threads 0|1]
// Several files are read one after another (the benchmark's Sysmon is one file per host).
// --threads 1 (the default, as simdjson ships) finds the next batch's structure on a second thread.
#include <simdjson.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string_view>
#include <vector>

namespace {

struct Totals {
  std::uint64_t docs = 0, bytes = 0, errors = 0, event_id_sum = 0;
};

// Parses buf[0, len) (whole lines only) and adds to `t`. Returns false on a stream-level error.
bool parse_lines(simdjson::ondemand::parser& parser, const char* buf, std::size_t len, std::size_t batch,
                 Totals& t) {
  simdjson::ondemand::document_stream stream;
  if (parser.iterate_many(buf, len, batch).get(stream) != simdjson::SUCCESS) return false;
  for (auto it = stream.begin(); it != stream.end(); ++it) {
    auto doc = *it;
    std::uint64_t id = 0;
    if (doc.error() != simdjson::SUCCESS || doc.find_field_unordered("EventID").get_uint64().get(id) != simdjson::SUCCESS) {
      ++t.errors;
      if (it.error() != simdjson::SUCCESS) return false;
      continue;
    }
    ++t.docs;
    t.event_id_sum += id;
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: simdjson_baseline_gen FILE... [--chunk-mb N] [--batch-mb N] [--threads 0|1]\n");
    return 2;
  }
  std::vector<const char*> files;
  int opt = 1;
  while (opt < argc && std::strncmp(argv[opt], "--", 2) != 0) files.push_back(argv[opt++]);
  std::size_t chunk = 4u << 20, batch = 1u << 20;
  bool threaded = true;
  for (int i = opt; i + 1 < argc; i += 2) {
    const std::string_view a = argv[i];
    const auto mb = static_cast<std::size_t>(std::strtoul(argv[i + 1], nullptr, 10)) << 20;
    if (a == "--chunk-mb") chunk = mb;
    else if (a == "--batch-mb") batch = mb;
    else if (a == "--threads") threaded = std::strtoul(argv[i + 1], nullptr, 10) != 0;
  }
  const auto t0 = std::chrono::steady_clock::now();
  std::vector<char> buf(chunk + simdjson::SIMDJSON_PADDING, '\0'), tail(chunk);
  simdjson::ondemand::parser parser;
#ifdef SIMDJSON_THREADS_ENABLED
  parser.threaded = threaded;
#else
  threaded = false;
#endif
  Totals t;
  bool ok = true;
  for (const char* path : files) {
    std::FILE* f = std::fopen(path, "rb");
    if (f == nullptr) {
      std::fprintf(stderr, "simdjson_baseline_gen: cannot open %s\n", path);
      return 1;
    }
    std::size_t carry = 0;  // bytes of an incomplete last line kept at the front of buf
    for (;;) {
      const std::size_t got = std::fread(buf.data() + carry, 1, chunk - carry, f);
      const std::size_t have = carry + got;
      t.bytes += got;
      if (have == 0) break;
      std::size_t end = have;  // parse up to and including the last newline; at EOF, everything
      if (got != 0) {
        const void* nl = nullptr;
        for (std::size_t i = have; i-- > 0;)
          if (buf[i] == '\n') {
            nl = &buf[i];
            break;
          }
        if (nl == nullptr) {
          std::fprintf(stderr, "simdjson_baseline_gen: a line is longer than the %zu-byte chunk\n", chunk);
          return 1;
        }
        end = static_cast<std::size_t>(static_cast<const char*>(nl) - buf.data()) + 1;
      }
      carry = have - end;
      std::memcpy(tail.data(), buf.data() + end, carry);
      std::memset(buf.data() + end, 0, simdjson::SIMDJSON_PADDING);  // iterate_many may read a little past the end
      ok = parse_lines(parser, buf.data(), end, batch, t) && ok;
      std::memcpy(buf.data(), tail.data(), carry);
      if (got == 0) break;
    }
    std::fclose(f);
  }
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::printf("impl=%s docs=%llu bytes=%llu errors=%llu event_id_sum=%llu seconds=%.3f mb_per_s=%.1f docs_per_s=%.0f threaded=%d\n",
              simdjson::get_active_implementation()->name().c_str(), static_cast<unsigned long long>(t.docs),
              static_cast<unsigned long long>(t.bytes),
              static_cast<unsigned long long>(t.errors), static_cast<unsigned long long>(t.event_id_sum), secs,
              static_cast<double>(t.bytes) / 1e6 / secs, static_cast<double>(t.docs) / secs, threaded ? 1 : 0);
  return ok && t.errors == 0 ? 0 : 1;
}
