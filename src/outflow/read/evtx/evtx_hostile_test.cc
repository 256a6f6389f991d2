// EVTX on hostile input: hand-made chunks with the damage the fuzzers found. (Lone UTF-16
// surrogates in EVTX strings become U+FFFD: EvtxValues.Utf16ToUtf8 in evtx_reader_test.cc.)
#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

#include "outflow/read/evtx/evtx_file.h"
#include "outflow/read/evtx/evtx_values.h"
#include "outflow/read/windows_event/raw_fields.h"

namespace outflow {
namespace {

struct Bad final : evtx::RecordHandler {
  std::vector<std::string> reasons;
  uint64_t records = 0;
  void on_record(const evtx::Record&) override { ++records; }
  void on_bad(uint64_t, std::string_view why) override { reasons.emplace_back(why); }
};

void put32(std::vector<uint8_t>& b, size_t at, uint32_t v) { std::memcpy(b.data() + at, &v, 4); }

// One chunk holding one record whose binary XML is `xml` (checksums left wrong: the parser
// reads damaged chunks and says so).
std::vector<uint8_t> chunk_with_record(const std::vector<uint8_t>& xml) {
  std::vector<uint8_t> c(evtx::kChunkSize, 0);
  std::memcpy(c.data(), "ElfChnk\0", 8);
  const uint32_t pos = evtx::kChunkHeaderSize;
  const uint32_t size = static_cast<uint32_t>(24 + xml.size() + 4);
  put32(c, pos, 0x00002a2a);
  put32(c, pos + 4, size);
  c[pos + 8] = 1;  // record id
  std::memcpy(c.data() + pos + 24, xml.data(), xml.size());
  put32(c, pos + size - 4, size);
  put32(c, 48, pos + size);  // free space offset
  return c;
}

TEST(EvtxHostile, ElementNameOffsetNear4GiBIsRejectedNotFollowed) {
  // Found by fuzzing (evtx_chunk_fuzz): an open-element token whose name offset is 0xFFFFFFFA
  // passed the bounds check by wrapping `offset + 8` past 2^32, and was then read 4 GiB away.
  std::vector<uint8_t> xml(32, 0);
  xml[0] = 0x0f, xml[1] = 1, xml[2] = 1;  // fragment header
  xml[4] = 0x01;                          // open start element; its p0 is xml[5]
  const uint8_t bad_offsets[] = {0xFF, 0xFF, 0xFA, 0xFF, 0xFF, 0xFF};  // at p0+4..p0+9
  std::memcpy(xml.data() + 5 + 4, bad_offsets, sizeof bad_offsets);
  const auto c = chunk_with_record(xml);
  evtx::ChunkParser parser;
  Bad h;
  EXPECT_EQ(parser.parse(c.data(), c.size(), 4096, h), 0u);
  EXPECT_EQ(h.records, 0u);
  bool reported = false;
  for (const auto& r : h.reasons) reported |= r == "evtx: bad element name offset";
  EXPECT_TRUE(reported);
}

// The verdict for a Sysmon 1 whose System/TimeCreated is FILETIME `ft`.
std::string verdict_for_filetime(uint64_t ft) {
  winevent::RawFields f;
  f.clear();
  f.put(winevent::Field::event_id, "1");
  f.put(winevent::Field::host_computer_name, "ws1");
  f.put(winevent::Field::process_guid, "{g}");
  f.system_time_ns = evtx::filetime_to_ns(ft);
  HostEvent e;
  std::string_view why;
  return winevent::to_host_event(f, e, why) == winevent::Verdict::ok ? "ok" : std::string(why);
}

TEST(EvtxHostile, TimeCreatedFrom1601And9999IsABadRecord) {
  constexpr uint64_t kTicksPerSec = 10'000'000;
  constexpr uint64_t k1970 = 116444736000000000ULL;  // FILETIME of 1970-01-01
  // FILETIME 0 (1601) and 9999-12-31 do not fit in int64 nanoseconds: no time at all.
  EXPECT_EQ(verdict_for_filetime(0), "windows event: no parsable time (UtcTime, TimeCreated, @timestamp, TimeGenerated or EventTime)");
  EXPECT_EQ(verdict_for_filetime(2650467743990000000ULL), verdict_for_filetime(0));
  // 1950 and 2150 fit, but lie outside the record-time range.
  EXPECT_EQ(verdict_for_filetime(k1970 - 20ULL * 365 * 86400 * kTicksPerSec),
            "windows event: time out of range (before 1970 or after 2099)");
  EXPECT_EQ(verdict_for_filetime(k1970 + 180ULL * 365 * 86400 * kTicksPerSec),
            "windows event: time out of range (before 1970 or after 2099)");
  EXPECT_EQ(verdict_for_filetime(k1970 + 54ULL * 365 * 86400 * kTicksPerSec), "ok");  // 2024
}

}  // namespace
}  // namespace outflow
