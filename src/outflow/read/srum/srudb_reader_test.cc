// SRUDB.dat through libesedb on ../shared/datasets/srum-samples (skipped where absent), and the
// hostile inputs made from it: truncated, a corrupt page, 0 bytes, not an ESE database.
#include "outflow/read/srum/srudb_reader.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "outflow/read/srum/srum_decode.h"

namespace outflow::srum {
namespace {

std::string sample(const char* rel) { return std::string(OUTFLOW_DATASETS_DIR) + "/srum-samples/" + rel; }

bool load(const std::string& path, std::string& out) {
  std::ifstream f(path, std::ios::binary);
  if (!f) return false;
  std::ostringstream s;
  s << f.rdbuf();
  out = s.str();
  return true;
}

#define NEED_SAMPLE(var, rel)                                                              \
  std::string var;                                                                         \
  if (!load(sample(rel), var)) GTEST_SKIP() << "dataset absent: " << sample(rel);

TEST(SrudbReader, ReadsTheConnectivityTable) {
  NEED_SAMPLE(bytes, "win10-aptsimulator/SRUDB.dat");
  UsageFile f;
  read_srudb_bytes(bytes, "SRUDB.dat", f);
  ASSERT_TRUE(f.has_connectivity_table);
  ASSERT_EQ(f.connectivity.size(), 6u);
  EXPECT_EQ(f.bad_connectivity_rows, 0u);
  const ConnectivityRow& last = f.connectivity.back();
  EXPECT_EQ(format_time(last.end), "2022-03-10T21:10:00.000000Z");
  EXPECT_EQ(last.interface_luid, 1689399632855040ULL);
  EXPECT_EQ(last.connected_seconds, 5010);
  EXPECT_EQ(format_time(last.connect_start), "2022-03-10T19:46:29.253180Z");  // a FILETIME
}

TEST(SrudbReader, ReadsTheWindows10Sample) {
  NEED_SAMPLE(bytes, "win10-aptsimulator/SRUDB.dat");
  UsageFile f;
  read_srudb_bytes(bytes, "SRUDB.dat", f);
  ASSERT_TRUE(f.error.empty()) << f.error;
  EXPECT_FALSE(f.dirty);
  EXPECT_FALSE(f.no_usage_table);
  EXPECT_EQ(f.rows.size(), 96u);
  EXPECT_EQ(f.id_map_rows, 714u);
  size_t totals = 0;
  bool nbtscan = false;
  for (const auto& r : f.rows) {
    totals += r.interface_total;
    EXPECT_EQ(r.end % kNsPerSec, 0);
    if (r.program == "\\device\\harddiskvolume3\\tmp\\nbtscan.exe") {
      nbtscan = true;
      EXPECT_EQ(r.bytes_sent, 70104u);
      EXPECT_EQ(r.bytes_recvd, 615u);
      EXPECT_EQ(r.user_sid, "S-1-5-21-2212929841-2730996645-2649195864-1000");
    }
  }
  EXPECT_EQ(totals, 3u);
  EXPECT_TRUE(nbtscan);
}

TEST(SrudbReader, ReadsTheDirtyCopyFromMemoryAndSaysItWasDirty) {
  NEED_SAMPLE(dirty, "win11-rathbunvm-dirty/SRUDB.dat");
  NEED_SAMPLE(clean, "win11-rathbunvm-clean/SRUDB.dat");
  const std::string before = dirty;
  UsageFile d, c;
  read_srudb_bytes(dirty, "dirty", d);
  read_srudb_bytes(clean, "clean", c);
  ASSERT_TRUE(d.error.empty()) << d.error;
  EXPECT_TRUE(d.dirty);
  EXPECT_EQ(d.header_checksums_fixed, 2);
  EXPECT_FALSE(c.dirty);
  EXPECT_EQ(c.rows.size(), 143u);
  ASSERT_EQ(d.rows.size(), c.rows.size());
  for (size_t i = 0; i < c.rows.size(); ++i) {
    EXPECT_EQ(d.rows[i].end, c.rows[i].end);
    EXPECT_EQ(d.rows[i].program, c.rows[i].program);
    EXPECT_EQ(d.rows[i].bytes_sent, c.rows[i].bytes_sent);
  }
  EXPECT_EQ(dirty, before);  // read_srudb_bytes took a copy
}

TEST(SrudbReader, ServerHasNoUsageTable) {
  NEED_SAMPLE(bytes, "server2022-aptsimulator/SRUDB.dat");
  UsageFile f;
  read_srudb_bytes(bytes, "server", f);
  EXPECT_TRUE(f.error.empty()) << f.error;
  EXPECT_TRUE(f.no_usage_table);
  EXPECT_TRUE(f.rows.empty());
}

TEST(SrudbReader, HostileInputsGiveOneClearMessage) {
  NEED_SAMPLE(bytes, "win10-aptsimulator/SRUDB.dat");
  UsageFile empty;
  read_srudb_bytes("", "zero.dat", empty);
  EXPECT_NE(empty.error.find("zero.dat: not an ESE database"), std::string::npos) << empty.error;

  UsageFile header_only;
  read_srudb_bytes(bytes.substr(0, 8192), "head.dat", header_only);
  EXPECT_NE(header_only.error.find("head.dat: libesedb"), std::string::npos) << header_only.error;

  // Truncated at half: whatever libesedb makes of it, a message or fewer rows, never a crash.
  UsageFile half;
  read_srudb_bytes(bytes.substr(0, bytes.size() / 2), "half.dat", half);
  EXPECT_TRUE(!half.error.empty() || half.rows.size() <= 96u);

  // Every page after the headers overwritten in turn would take long: a few spread out.
  for (size_t page = 2; page * 4096 < bytes.size(); page += 37) {
    std::string bad = bytes;
    for (size_t i = 0; i < 4096; ++i) bad[page * 4096 + i] = static_cast<char>(i * 131 + page);
    UsageFile f;
    read_srudb_bytes(std::move(bad), "corrupt.dat", f);
    EXPECT_TRUE(!f.error.empty() || f.rows.size() <= 96u);
  }
}

}  // namespace
}  // namespace outflow::srum
