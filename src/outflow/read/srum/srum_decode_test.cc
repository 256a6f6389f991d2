#include "outflow/read/srum/srum_decode.h"

#include <gtest/gtest.h>

#include <cstring>
#include <limits>

#include "outflow/read/srum/srum_usage.h"

namespace outflow::srum {
namespace {

constexpr TimeNs kFlush = 1646930100LL * kNsPerSec;  // 2022-03-10T16:35:00Z, the Windows 10 sample's first flush

double ole_of(TimeNs t) { return 25569.0 + static_cast<double>(t / kNsPerSec) / 86400.0; }

TEST(SrumOleDate, RoundsToTheNearestSecond) {
  EXPECT_EQ(ole_date_to_ns(ole_of(kFlush)), kFlush);
  // A double a hair below 16:35:00 (what a text export truncates to 16:34:59) is 16:35:00.
  EXPECT_EQ(ole_date_to_ns(ole_of(kFlush) - 1e-9), kFlush);
  EXPECT_EQ(ole_date_to_ns(ole_of(kFlush) + 0.4 / 86400), kFlush);
  EXPECT_EQ(ole_date_to_ns(ole_of(kFlush) + 0.6 / 86400), kFlush + kNsPerSec);
  EXPECT_EQ(ole_date_to_ns(25569.0), 0);
}

TEST(SrumOleDate, RawBytesAreLittleEndian) {
  const double d = ole_of(kFlush) - 1e-9;
  uint64_t bits;
  std::memcpy(&bits, &d, 8);
  uint8_t raw[8];
  for (int i = 0; i < 8; ++i) raw[i] = static_cast<uint8_t>(bits >> (8 * i));
  EXPECT_EQ(ole_date_bytes_to_ns(raw), kFlush);
}

TEST(SrumOleDate, RejectsWhatIsNoRecordTime) {
  EXPECT_EQ(ole_date_to_ns(std::numeric_limits<double>::quiet_NaN()), kNoTime);
  EXPECT_EQ(ole_date_to_ns(std::numeric_limits<double>::infinity()), kNoTime);
  EXPECT_EQ(ole_date_to_ns(-1.5), kNoTime);
  EXPECT_EQ(ole_date_to_ns(0.0), kNoTime);       // 1899-12-30
  EXPECT_EQ(ole_date_to_ns(2958465.0), kNoTime);  // 9999-12-31
}

TEST(SrumSid, RendersWellKnownAndDomainSids) {
  std::string s;
  const uint8_t system[] = {1, 1, 0, 0, 0, 0, 0, 5, 18, 0, 0, 0};
  ASSERT_TRUE(sid_to_string(system, sizeof system, s));
  EXPECT_EQ(s, "S-1-5-18");
  const uint32_t sub[] = {21, 2212929841u, 2730996645u, 2649195864u, 1000};
  uint8_t user[8 + 20] = {1, 5, 0, 0, 0, 0, 0, 5};
  for (int i = 0; i < 5; ++i)
    for (int b = 0; b < 4; ++b) user[8 + 4 * i + b] = static_cast<uint8_t>(sub[i] >> (8 * b));
  ASSERT_TRUE(sid_to_string(user, sizeof user, s));
  EXPECT_EQ(s, "S-1-5-21-2212929841-2730996645-2649195864-1000");
}

TEST(SrumSid, RefusesMalformedSids) {
  std::string s = "kept";
  const uint8_t short_sid[] = {1, 2, 0, 0, 0, 0, 0, 5, 18, 0, 0, 0};  // says 2 sub-authorities, has 1
  EXPECT_FALSE(sid_to_string(short_sid, sizeof short_sid, s));
  const uint8_t rev2[] = {2, 1, 0, 0, 0, 0, 0, 5, 18, 0, 0, 0};
  EXPECT_FALSE(sid_to_string(rev2, sizeof rev2, s));
  EXPECT_FALSE(sid_to_string(rev2, 3, s));
  EXPECT_EQ(s, "kept");
}

std::string utf16(std::string_view a, bool nul) {
  std::string o;
  for (char c : a) {
    o.push_back(c);
    o.push_back('\0');
  }
  if (nul) o.append(2, '\0');
  return o;
}

TEST(SrumIdBlob, DecodesStringsAndSids) {
  std::string out;
  const std::string p = utf16("\\device\\harddiskvolume3\\tmp\\nbtscan.exe", true);
  ASSERT_TRUE(decode_id_blob(0, reinterpret_cast<const uint8_t*>(p.data()), p.size(), out));
  EXPECT_EQ(out, "\\device\\harddiskvolume3\\tmp\\nbtscan.exe");
  const std::string svc = utf16("Dnscache", false);
  ASSERT_TRUE(decode_id_blob(1, reinterpret_cast<const uint8_t*>(svc.data()), svc.size(), out));
  EXPECT_EQ(out, "Dnscache");
  const std::string bad = "\x3d\xd8";  // a lone high surrogate
  ASSERT_TRUE(decode_id_blob(2, reinterpret_cast<const uint8_t*>(bad.data()), bad.size(), out));
  EXPECT_EQ(out, "\xEF\xBF\xBD");
  EXPECT_FALSE(decode_id_blob(0, reinterpret_cast<const uint8_t*>(p.data()), p.size() - 1, out));  // odd length
  EXPECT_FALSE(decode_id_blob(7, reinterpret_cast<const uint8_t*>(p.data()), p.size(), out));
  const uint8_t system[] = {1, 1, 0, 0, 0, 0, 0, 5, 18, 0, 0, 0};
  ASSERT_TRUE(decode_id_blob(3, system, sizeof system, out));
  EXPECT_EQ(out, "S-1-5-18");
  EXPECT_FALSE(decode_id_blob(3, system, 11, out));
  EXPECT_TRUE(out.empty());
  const uint8_t zero[8] = {};
  EXPECT_TRUE(decode_id_blob(3, zero, 8, out));  // Windows 11's "no SID"
  EXPECT_TRUE(out.empty());
}

TEST(SrumIdBlob, AppInfoNamesTheProgram) {
  EXPECT_EQ(program_of_app_info("!!svchost.exe!2019/12/07:09:09:46!2b4d8!Host Process"), "svchost.exe");
  EXPECT_EQ(program_of_app_info("C:\\x.exe"), "C:\\x.exe");
}

TEST(SrumUsageRules, InterfaceTotalIsAppOneUserTwoWithoutAName) {
  EXPECT_TRUE(is_interface_total(1, 2, ""));
  EXPECT_TRUE(is_interface_total(-1, 2, ""));  // Velociraptor: no AppId column
  EXPECT_FALSE(is_interface_total(1, 2, "\\device\\x.exe"));
  EXPECT_FALSE(is_interface_total(285, 2, ""));
  EXPECT_FALSE(is_interface_total(1, 178, ""));
  EXPECT_EQ(kind_of_program_text("\\device\\harddiskvolume3\\x.exe"), ProgramKind::path);
  EXPECT_EQ(kind_of_program_text("C:\\x.exe"), ProgramKind::path);
  EXPECT_EQ(kind_of_program_text("System"), ProgramKind::pseudo);
  EXPECT_EQ(interface_type_of_luid(1689399632855040ULL), 6u);
  EXPECT_EQ(interface_type_name(71), "wifi");
}

// A dirty header as Windows writes it: checksum over the whole 4 KiB page, bytes past 668 set.
std::string dirty_file() {
  std::string f(3 * 4096, '\0');
  auto* p = reinterpret_cast<uint8_t*>(f.data());
  const uint8_t sig[] = {0xEF, 0xCD, 0xAB, 0x89};
  std::memcpy(p + 4, sig, 4);
  p[8] = 0x20;
  p[9] = 0x06;
  p[52] = 2;                   // dirty shutdown
  p[236] = 0x00, p[237] = 0x10;  // page size 4096
  p[1000] = 0x5A;              // past what libesedb 20181229 checksums
  const uint32_t x = ese_xor32(p, 4096);
  for (int i = 0; i < 4; ++i) p[i] = static_cast<uint8_t>(x >> (8 * i));
  std::memcpy(p + 4096, p, 4096);  // the header's copy
  return f;
}

TEST(SrumEseHeader, ReadsStateAndBothChecksums) {
  const std::string f = dirty_file();
  EXPECT_TRUE(is_ese_head(f));
  const EseHeader h = read_ese_header(f);
  EXPECT_TRUE(h.ese);
  EXPECT_EQ(h.state, 2u);
  EXPECT_EQ(h.page_size, 4096u);
  EXPECT_EQ(h.format_version, 0x620u);
  EXPECT_FALSE(h.checksum_ok);
  EXPECT_TRUE(h.page_checksum_ok);
  EXPECT_FALSE(read_ese_header("ElfFile\0").ese);
}

TEST(SrumEseHeader, FixesTheChecksumsOfADirtyHeaderInTheCopy) {
  std::string f = dirty_file();
  EXPECT_EQ(fix_header_checksums(f), 2);
  const EseHeader h = read_ese_header(f);
  EXPECT_TRUE(h.checksum_ok);
  EXPECT_EQ(ese_xor32(reinterpret_cast<const uint8_t*>(f.data()) + 4096, kEseHeaderChecksummed),
            static_cast<uint32_t>(static_cast<uint8_t>(f[4096])) | static_cast<uint8_t>(f[4097]) << 8 |
                static_cast<uint8_t>(f[4098]) << 16 | static_cast<uint32_t>(static_cast<uint8_t>(f[4099])) << 24);
  EXPECT_EQ(fix_header_checksums(f), 0);  // nothing left to fix
}

TEST(SrumEseHeader, LeavesADamagedHeaderAlone) {
  std::string f = dirty_file();
  f[2000] = 0x01;  // neither checksum holds now
  const std::string before = f;
  EXPECT_EQ(fix_header_checksums(f.replace(4096, 4096, std::string(4096, '\0'))), 0);
  EXPECT_EQ(f.substr(0, 4096), before.substr(0, 4096));
  std::string tiny = "\x01\x02\x03\x04\xEF\xCD\xAB\x89";
  EXPECT_EQ(fix_header_checksums(tiny), 0);
}

}  // namespace
}  // namespace outflow::srum
