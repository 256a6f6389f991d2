// Test helpers shared by the EVTX reader tests: dataset paths, reading bytes through read_evtx
// (random access or as a gzip stream, with a chosen thread count) or through the sequential
// read_file, and looking up diagnostics.
#pragma once
#include <gtest/gtest.h>
#include <zlib.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

#include "outflow/read/evtx/evtx_file.h"
#include "outflow/read/input.h"
#include "outflow/testing/collect_sink.h"

namespace outflow::evtx_test {

namespace fs = std::filesystem;

inline fs::path dataset(const char* rel) { return fs::path(OUTFLOW_DATASETS_DIR) / rel; }

#define REQUIRE_DATASET(p) \
  if (!std::filesystem::exists(p)) GTEST_SKIP() << "dataset file not found, skipped: " << (p)

inline constexpr const char* kMultiChunk = "evtx-attack-samples/AutomatedTestingTools/PanacheSysmon_vs_AtomicRedTeam01.evtx";

inline std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

inline std::string gzip(const std::string& in) {
  z_stream zs{};
  EXPECT_EQ(deflateInit2(&zs, 1, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY), Z_OK);
  std::string out(deflateBound(&zs, static_cast<uLong>(in.size())), '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  zs.avail_in = static_cast<uInt>(in.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(deflate(&zs, Z_FINISH), Z_STREAM_END);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}

// How read_evtx gets the bytes: positional reads (an uncompressed file or memory), or a stream
// read in order (a compressed file).
enum class Access { random, stream };

struct Result {
  testing::CollectSink sink;
  Diagnostics diag;
  FileStats stats;
  bool ok = false;
};

inline void read_bytes(const std::string& bytes, Result& r, Access access = Access::random, unsigned threads = 2,
                       const std::string& name = "mem.evtx") {
  auto src = memory_byte_source(access == Access::random ? bytes : gzip(bytes));
  EXPECT_EQ(src->random_access_size() >= 0, access == Access::random);
  ReadContext ctx{name, r.sink, r.diag, r.stats, threads};
  r.ok = read_evtx(*src, ctx);
}

// Every record as the sequential reader sees it.
struct RecCollect final : evtx::RecordHandler {
  std::vector<std::string> ids;  // record id text
  std::vector<uint64_t> offsets;
  std::vector<bool> recovered;
  std::vector<std::pair<uint64_t, std::string>> bad, notes;
  void on_record(const evtx::Record& r) override {
    ids.push_back(r.record_id_text);
    offsets.push_back(r.offset);
    recovered.push_back(r.recovered);
  }
  void on_bad(uint64_t off, std::string_view why) override { bad.emplace_back(off, std::string(why)); }
  void on_note(uint64_t off, std::string_view why) override { notes.emplace_back(off, std::string(why)); }
};

inline RecCollect read_records(const std::string& bytes) {
  RecCollect h;
  auto src = memory_byte_source(bytes);
  evtx::ReadTotals t;
  std::string err;
  evtx::read_file(*src, h, t, err);
  return h;
}

// Count of the reasons containing `needle`.
inline uint64_t count_reason(const std::map<std::string, uint64_t>& by_reason, const std::string& needle) {
  uint64_t n = 0;
  for (const auto& [reason, c] : by_reason)
    if (reason.find(needle) != std::string::npos) n += c;
  return n;
}
inline bool has_reason(const Diagnostics& d, const std::string& needle) { return count_reason(d.bad_by_reason(), needle) > 0; }

}  // namespace outflow::evtx_test
