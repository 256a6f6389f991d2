// EVTX reader on damaged copies of a real file (changed in memory or in a temporary file, never in
// the datasets): bad checksums, a dirty file header, truncation, garbage in a record. Damage is
// counted with file and offset, the rest of the file is still read, and records parsed from a
// damaged chunk are kept, counted as recovered and marked on their events.
#include <gtest/gtest.h>
#include <zlib.h>

#include <cstring>
#include <random>

#include "outflow/read/evtx/evtx_test_util.h"

namespace outflow {
namespace {

using namespace evtx_test;

uint32_t rd32(const std::string& b, size_t at) {
  uint32_t v;
  std::memcpy(&v, b.data() + at, 4);
  return v;
}
void wr32(std::string& b, size_t at, uint32_t v) { std::memcpy(b.data() + at, &v, 4); }

class EvtxCorrupt : public ::testing::TestWithParam<Access> {
 protected:
  void SetUp() override {
    const auto p = dataset(kMultiChunk);
    if (!fs::exists(p)) GTEST_SKIP() << "dataset file not found, skipped: " << p;
    good_ = slurp(p);
    base_ = read_records(good_);
    ASSERT_TRUE(base_.bad.empty());
    ASSERT_GT(base_.ids.size(), 500u);
    read_bytes(good_, good_read_, GetParam());
    ASSERT_EQ(good_read_.stats.bad, 0u);
    // Events of chunk 0, and of chunks 0 and 1 (the damage below is in chunk 1).
    Result r0, r01;
    read_bytes(good_.substr(0, kChunk1), r0, GetParam());
    read_bytes(good_.substr(0, kChunk1 + evtx::kChunkSize), r01, GetParam());
    ev_chunk0_ = r0.sink.events.size();
    ev_chunk01_ = r01.sink.events.size();
    ASSERT_LT(ev_chunk0_, ev_chunk01_);
  }
  static constexpr size_t kChunk1 = evtx::kFileHeaderSize + evtx::kChunkSize;  // second chunk
  // Records of chunk 1 that end at or before `end` (a file offset).
  size_t chunk1_records(size_t end = kChunk1 + evtx::kChunkSize) const {
    size_t n = 0;
    for (uint64_t off : base_.offsets)
      if (off >= kChunk1 && off < kChunk1 + evtx::kChunkSize && off + rd32(good_, off + 4) <= end) ++n;
    return n;
  }
  void expect_events_recovered_only_in_chunk1(const Result& r) const {
    ASSERT_EQ(r.sink.events.size(), good_read_.sink.events.size());
    for (size_t i = 0; i < r.sink.events.size(); ++i)
      ASSERT_EQ(r.sink.events[i].recovered, i >= ev_chunk0_ && i < ev_chunk01_) << i;
  }

  std::string good_;
  RecCollect base_;
  Result good_read_;
  size_t ev_chunk0_ = 0, ev_chunk01_ = 0;
};

TEST_P(EvtxCorrupt, RecordsChecksumMismatchKeepsAndMarksTheChunksRecords) {
  std::string b = good_;
  // Change a character inside a record's string data in chunk 1 (after its first record).
  size_t at = kChunk1 + 512 + 2000;
  while (!(b[at] >= 'a' && b[at] <= 'z' && b[at + 1] == 0)) ++at;
  b[at] = b[at] == 'x' ? 'y' : 'x';
  Result r;
  read_bytes(b, r, GetParam(), 2, "x.evtx");
  ASSERT_TRUE(r.ok);
  // The chunk is counted once as damaged, at its offset.
  EXPECT_EQ(r.stats.bad, 1u);
  EXPECT_EQ(count_reason(r.diag.bad_by_reason(), "chunk records CRC32 mismatch"), 1u);
  ASSERT_EQ(r.diag.samples().size(), 1u);
  EXPECT_EQ(r.diag.samples()[0].file, "x.evtx");
  EXPECT_EQ(r.diag.samples()[0].offset, kChunk1);
  // Every record is still read; those of chunk 1 are recovered, with their offsets.
  EXPECT_EQ(r.stats.lines, base_.ids.size());
  const size_t n1 = chunk1_records();
  ASSERT_GT(n1, 10u);
  EXPECT_EQ(r.stats.recovered, n1);
  EXPECT_EQ(r.diag.recovered_records(), n1);
  EXPECT_EQ(count_reason(r.diag.recovered_by_reason(), "records CRC32 did not match"), n1);
  ASSERT_EQ(r.diag.recovered_samples().size(), Diagnostics::kSamplesPerReason);
  EXPECT_EQ(r.diag.recovered_samples()[0].offset, kChunk1 + 512);  // the chunk's first record
  EXPECT_EQ(r.diag.recovered_samples()[0].file, "x.evtx");
  expect_events_recovered_only_in_chunk1(r);
  // The low-level reader marks the same records.
  auto recs = read_records(b);
  ASSERT_EQ(recs.ids.size(), base_.ids.size());
  for (size_t i = 0; i < recs.ids.size(); ++i)
    ASSERT_EQ(recs.recovered[i], recs.offsets[i] >= kChunk1 && recs.offsets[i] < kChunk1 + evtx::kChunkSize) << i;
}

TEST_P(EvtxCorrupt, ChunkHeaderChecksumMismatchKeepsAndMarksTheChunksRecords) {
  std::string b = good_;
  b[kChunk1 + 20] ^= 0x55;  // last event record number: only the CRC notices
  Result r;
  read_bytes(b, r, GetParam());
  EXPECT_EQ(count_reason(r.diag.bad_by_reason(), "chunk header CRC32 mismatch"), 1u);
  EXPECT_EQ(r.stats.lines, base_.ids.size());
  EXPECT_EQ(count_reason(r.diag.recovered_by_reason(), "header CRC32 did not match"), chunk1_records());
  expect_events_recovered_only_in_chunk1(r);
}

// A file not closed cleanly (copied from a live host): its header is marked dirty and its counts
// may be stale. It is read whole, with one note and no bad record.
TEST_P(EvtxCorrupt, DirtyHeaderWithStaleChunkCountIsReadWhole) {
  std::string b = good_;
  b[120] = static_cast<char>(b[120] | 1);             // flags: dirty
  std::memset(b.data() + 16, 0, 8);                   // last chunk number: 0
  b[42] = 1, b[43] = 0;                               // chunk count: 1 (of 17)
  wr32(b, 124, static_cast<uint32_t>(crc32(0, reinterpret_cast<const Bytef*>(b.data()), 120)));  // a consistent header
  Result r;
  read_bytes(b, r, GetParam(), 2, "live.evtx");
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(r.stats.bad, 0u);
  EXPECT_EQ(r.diag.bad_records(), 0u);
  EXPECT_EQ(r.stats.recovered, 0u);
  EXPECT_EQ(r.stats.lines, base_.ids.size());
  EXPECT_EQ(r.sink.events.size(), good_read_.sink.events.size());
  ASSERT_EQ(r.diag.notes_by_reason().size(), 1u);
  EXPECT_EQ(count_reason(r.diag.notes_by_reason(), "dirty"), 1u);
  ASSERT_EQ(r.diag.note_samples().size(), 1u);
  EXPECT_EQ(r.diag.note_samples()[0].file, "live.evtx");
  EXPECT_EQ(r.diag.note_samples()[0].offset, 0u);
  auto recs = read_records(b);
  EXPECT_TRUE(recs.bad.empty());
  EXPECT_EQ(recs.notes.size(), 1u);
  EXPECT_EQ(recs.ids.size(), base_.ids.size());

  // A header that does not match its CRC is damage, still not a reason to stop.
  b[16] ^= 1;
  Result r2;
  read_bytes(b, r2, GetParam());
  EXPECT_EQ(count_reason(r2.diag.bad_by_reason(), "file header CRC32 mismatch"), 1u);
  EXPECT_EQ(r2.stats.lines, base_.ids.size());
}

TEST_P(EvtxCorrupt, TruncatedMidChunkKeepsTheWholeRecordsAndMarksThem) {
  const size_t cut = kChunk1 + 30000;
  Result r;
  read_bytes(good_.substr(0, cut), r, GetParam(), 2, "cut.evtx");
  ASSERT_TRUE(r.ok);
  EXPECT_TRUE(has_reason(r.diag, "truncated chunk"));
  bool at_chunk = false;
  for (const auto& s : r.diag.samples()) at_chunk = at_chunk || (s.reason.find("truncated chunk") != std::string::npos && s.offset == kChunk1);
  EXPECT_TRUE(at_chunk);
  // Chunk 0 whole and unmarked; chunk 1's records that fit before the cut, recovered.
  const size_t in_chunk0 = static_cast<size_t>(std::count_if(base_.offsets.begin(), base_.offsets.end(), [](uint64_t o) { return o < kChunk1; }));
  const size_t partial = chunk1_records(cut);
  ASSERT_GT(partial, 0u);
  EXPECT_EQ(r.stats.lines, in_chunk0 + partial);
  EXPECT_EQ(r.stats.recovered, partial);
  EXPECT_EQ(count_reason(r.diag.recovered_by_reason(), "truncated chunk"), partial);
  EXPECT_EQ(r.stats.bytes, cut);
  for (size_t i = 0; i < r.sink.events.size(); ++i) ASSERT_EQ(r.sink.events[i].recovered, i >= ev_chunk0_) << i;
  EXPECT_GT(r.sink.events.size(), ev_chunk0_);
  auto recs = read_records(good_.substr(0, cut));
  for (size_t i = 0; i < recs.ids.size(); ++i) ASSERT_EQ(recs.ids[i], base_.ids[i]);
}

TEST_P(EvtxCorrupt, GarbageInRecordIsSkippedRestIsRead) {
  std::string b = good_;
  // Overwrite the header of chunk 1's third record (magic and size) and part of its body.
  size_t pos = kChunk1 + 512;
  for (int k = 0; k < 2; ++k) pos += rd32(b, pos + 4);
  for (size_t i = 0; i < 40; ++i) b[pos + i] = static_cast<char>(0xA5 ^ i);
  Result r;
  read_bytes(b, r, GetParam(), 2, "x.evtx");
  EXPECT_TRUE(has_reason(r.diag, "bad record header"));
  bool at_offset = false;
  for (const auto& s : r.diag.samples())
    if (s.file == "x.evtx" && s.offset == pos) at_offset = true;
  EXPECT_TRUE(at_offset);
  EXPECT_EQ(r.stats.lines, base_.ids.size() - 1);  // only the damaged record is lost
  EXPECT_EQ(r.stats.recovered, chunk1_records() - 1);  // the chunk's CRC no longer matches
}

TEST_P(EvtxCorrupt, LoneSurrogateInAnImageIsRepairedAndFlagged) {
  // The first process start's image, in UTF-16LE in the file: its first character becomes a lone
  // high surrogate (0xD800). The event is kept, the character is U+FFFD, and the event is flagged
  // invalid_utf8 (its chunk's checksum no longer matches, so it is also recovered).
  const HostEvent* start = nullptr;
  for (const auto& e : good_read_.sink.events)
    if (e.type == HostEventType::process_start && e.image.size() > 8) {
      start = &e;
      break;
    }
  ASSERT_NE(start, nullptr);
  const std::string name = start->image.substr(start->image.find_last_of('\\') + 1);
  std::string utf16;
  for (char ch : name) utf16 += std::string{ch, '\0'};
  std::string b = good_;
  const size_t at = b.find(utf16);
  ASSERT_NE(at, std::string::npos) << name;
  b[at] = '\x00';
  b[at + 1] = '\xD8';
  Result r;
  read_bytes(b, r, GetParam(), 2, "x.evtx");
  size_t flagged = 0;
  for (const auto& e : r.sink.events) {
    if (e.image.find("\xEF\xBF\xBD" + name.substr(1)) == std::string::npos) continue;
    EXPECT_TRUE(e.invalid_utf8) << e.image;
    flagged += e.invalid_utf8;
  }
  EXPECT_GE(flagged, 1u);
  for (const auto& e : r.sink.events) {
    if (e.image == start->image) {
      EXPECT_FALSE(e.invalid_utf8);
    }
  }
}

TEST_P(EvtxCorrupt, RandomDamageNeverCrashes) {
  std::mt19937 rng(12345);
  const std::string head = good_.substr(0, kChunk1 + 6 * evtx::kChunkSize);
  for (int iter = 0; iter < 200; ++iter) {
    std::string b = head;
    const int flips = 1 + static_cast<int>(rng() % 64);
    for (int i = 0; i < flips; ++i) {
      const size_t at = evtx::kFileHeaderSize + rng() % (b.size() - evtx::kFileHeaderSize);
      b[at] = static_cast<char>(rng());
    }
    if (iter % 10 == 0) b.resize(evtx::kFileHeaderSize + rng() % (b.size() - evtx::kFileHeaderSize));
    Result r;
    read_bytes(b, r, GetParam(), 1 + iter % 3);
    EXPECT_TRUE(r.ok);
    EXPECT_LE(r.stats.recovered, r.stats.lines);
  }
}

INSTANTIATE_TEST_SUITE_P(Access, EvtxCorrupt, ::testing::Values(Access::random, Access::stream),
                         [](const auto& p) { return p.param == Access::random ? "random" : "stream"; });

// The CLI's path: a damaged copy on disk, read by positional reads from two threads.
TEST(EvtxCorruptFile, ReadInputFileReadsByPositionAndMarksRecovered) {
  const auto p = dataset(kMultiChunk);
  REQUIRE_DATASET(p);
  std::string b = slurp(p);
  const size_t chunk3 = evtx::kFileHeaderSize + 3 * evtx::kChunkSize;
  b[chunk3 + 600] ^= 0x20;  // inside chunk 3's first record
  const fs::path tmp = fs::path(::testing::TempDir()) / "outflow_evtx_corrupt_test.evtx";
  {
    std::ofstream out(tmp, std::ios::binary);
    out.write(b.data(), static_cast<std::streamsize>(b.size()));
  }
  testing::CollectSink sink;
  Diagnostics diag;
  FileStats stats;
  std::string error;
  ASSERT_TRUE(read_input_file(tmp.string(), sink, diag, stats, error, 2)) << error;
  Result mem;
  read_bytes(b, mem, Access::stream, 1);
  EXPECT_EQ(stats.raw_bytes, b.size());  // counted by the positional reads
  EXPECT_EQ(stats.bytes, b.size());
  EXPECT_EQ(stats.lines, mem.stats.lines);
  EXPECT_EQ(stats.bad, 1u);
  EXPECT_GT(stats.recovered, 0u);
  EXPECT_EQ(stats.recovered, mem.stats.recovered);
  ASSERT_EQ(sink.events.size(), mem.sink.events.size());
  for (size_t i = 0; i < sink.events.size(); ++i) {
    EXPECT_EQ(sink.events[i].recovered, mem.sink.events[i].recovered) << i;
    EXPECT_EQ(sink.events[i].time, mem.sink.events[i].time) << i;
  }
  ASSERT_FALSE(diag.recovered_samples().empty());
  EXPECT_GE(diag.recovered_samples()[0].offset, chunk3);
  EXPECT_LT(diag.recovered_samples()[0].offset, chunk3 + evtx::kChunkSize);
  fs::remove(tmp);
}

}  // namespace
}  // namespace outflow
