#include "outflow/read/srum/srum_decode.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "outflow/read/evtx/evtx_values.h"

namespace outflow::srum {

namespace {

uint32_t rd32(const uint8_t* p) {
  return static_cast<uint32_t>(p[0]) | static_cast<uint32_t>(p[1]) << 8 | static_cast<uint32_t>(p[2]) << 16 |
         static_cast<uint32_t>(p[3]) << 24;
}

void wr32(uint8_t* p, uint32_t v) {
  for (int i = 0; i < 4; ++i) p[i] = static_cast<uint8_t>(v >> (8 * i));
}

// The OLE date of 1970-01-01 00:00:00 UTC.
constexpr double kOleUnixEpoch = 25569.0;

}  // namespace

TimeNs ole_date_to_ns(double days) {
  if (!std::isfinite(days)) return kNoTime;
  // Before 1899-12-30 OLE dates count the fraction forwards from a negative day: not SRUM's.
  if (days < 0) return kNoTime;
  const double secs = std::round((days - kOleUnixEpoch) * 86400.0);
  if (secs < 0 || secs >= static_cast<double>(kMaxRecordTime / kNsPerSec)) return kNoTime;
  return static_cast<TimeNs>(secs) * kNsPerSec;
}

TimeNs ole_date_bytes_to_ns(const uint8_t* raw8) {
  uint64_t bits = 0;
  for (int i = 7; i >= 0; --i) bits = bits << 8 | raw8[i];
  double d;
  std::memcpy(&d, &bits, sizeof d);
  return ole_date_to_ns(d);
}

bool sid_to_string(const uint8_t* p, size_t n, std::string& out) {
  if (n < 8) return false;
  const unsigned count = p[1];
  if (p[0] != 1 || count > 15 || n != 8 + 4 * static_cast<size_t>(count)) return false;
  uint64_t authority = 0;
  for (int i = 2; i < 8; ++i) authority = authority << 8 | p[i];
  std::string s = "S-1-" + std::to_string(authority);
  for (unsigned i = 0; i < count; ++i) {
    s += '-';
    s += std::to_string(rd32(p + 8 + 4 * i));
  }
  out = std::move(s);
  return true;
}

bool decode_id_blob(int id_type, const uint8_t* p, size_t n, std::string& out) {
  out.clear();
  if (id_type == static_cast<int>(IdType::sid)) {
    // Windows 11 maps an id to 8 zero bytes (no SID): read, and named by nothing.
    if (n == 8 && std::all_of(p, p + n, [](uint8_t b) { return b == 0; })) return true;
    return sid_to_string(p, n, out);
  }
  if (id_type < 0 || id_type > 2 || n % 2 != 0) return false;
  evtx::append_utf16(p, n / 2, out, /*stop_at_nul=*/true);
  return true;
}

std::string_view program_of_app_info(std::string_view name) {
  if (!name.starts_with("!!")) return name;
  name.remove_prefix(2);
  return name.substr(0, name.find('!'));
}

std::string_view interface_type_name(uint32_t if_type) {
  switch (if_type) {
    case 1: return "other";
    case 6: return "ethernet";
    case 23: return "ppp";
    case 24: return "loopback";
    case 53: return "virtual";
    case 71: return "wifi";
    case 131: return "tunnel";
    case 144: return "ieee1394";
    case 237: case 243: case 244: return "mobile";
    default: return "";
  }
}

bool is_ese_head(std::string_view head) {
  return head.size() >= 8 && static_cast<uint8_t>(head[4]) == 0xEF && static_cast<uint8_t>(head[5]) == 0xCD &&
         static_cast<uint8_t>(head[6]) == 0xAB && static_cast<uint8_t>(head[7]) == 0x89;
}

uint32_t ese_xor32(const uint8_t* p, size_t n) {
  uint32_t x = 0x89ABCDEF;
  for (size_t i = 4; i + 4 <= n; i += 4) x ^= rd32(p + i);
  return x;
}

EseHeader read_ese_header(std::string_view file) {
  EseHeader h;
  if (file.size() < kEseHeaderChecksummed || !is_ese_head(file)) return h;
  const auto* p = reinterpret_cast<const uint8_t*>(file.data());
  h.ese = true;
  h.format_version = rd32(p + 8);
  h.state = rd32(p + 52);
  h.format_revision = rd32(p + 232);
  h.page_size = rd32(p + 236);
  const uint32_t stored = rd32(p);
  h.checksum_ok = ese_xor32(p, kEseHeaderChecksummed) == stored;
  h.page_checksum_ok = file.size() >= 4096 && ese_xor32(p, 4096) == stored;
  return h;
}

int fix_header_checksums(std::string& file) {
  const EseHeader h = read_ese_header(file);
  if (!h.ese) return 0;
  int fixed = 0;
  auto* p = reinterpret_cast<uint8_t*>(file.data());
  for (const size_t off : {size_t{0}, static_cast<size_t>(h.page_size)}) {
    if (off != 0 && (h.page_size < 4096 || h.page_size > 65536)) break;
    if (file.size() < off + 4096 || !is_ese_head(std::string_view(file).substr(off, 8))) continue;
    uint8_t* hp = p + off;
    const uint32_t stored = rd32(hp);
    const uint32_t lib = ese_xor32(hp, kEseHeaderChecksummed);
    if (stored == lib || ese_xor32(hp, 4096) != stored) continue;
    wr32(hp, lib);
    ++fixed;
  }
  return fixed;
}

}  // namespace outflow::srum
