// SRUM's own encodings, decoded without libesedb (each a pure function, unit-tested and fuzzed):
// OLE dates, binary SIDs, SruDbIdMapTable's id blobs, interface types from LUIDs, and the ESE
// file header (state and checksums) of SRUDB.dat. See docs/srum.md.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "outflow/core/time.h"

namespace outflow::srum {

// An OLE Automation date (days since 1899-12-30 as a double; what the network usage table's
// TimeStamp holds) given as its 8 raw little-endian bytes, rounded to the nearest second.
// SRUM writes whole seconds; reading the double through a text export is up to a second off
// (Chainsaw prints 16:35:00.000 as 16:34:59). kNoTime for NaN, infinities and times outside
// the record range (see core/time.h).
TimeNs ole_date_bytes_to_ns(const uint8_t* raw8);
TimeNs ole_date_to_ns(double days);

// A binary SID (revision, sub-authority count, 48-bit big-endian authority, little-endian
// 32-bit sub-authorities) as "S-1-5-21-...". False (out untouched) when the bytes are not
// exactly one SID.
bool sid_to_string(const uint8_t* p, size_t n, std::string& out);

// SruDbIdMapTable.IdType.
enum class IdType : int { program = 0, service = 1, package = 2, sid = 3 };

// One IdBlob in text: IdType 0-2 are UTF-16LE strings (NUL-terminated or not; lone surrogates
// become U+FFFD), IdType 3 a SID rendered "S-1-..." (8 zero bytes, as Windows 11 writes, are no SID:
// ""). False when the blob cannot be that (odd
// length string, malformed SID, unknown type); `out` is then empty.
bool decode_id_blob(int id_type, const uint8_t* p, size_t n, std::string& out);

// An IdType 0 name that SrumECmd calls "!!" app info ("!!name.exe!2021/01/01:00:00:00!hash!desc"):
// the program name, else `name` itself.
std::string_view program_of_app_info(std::string_view name);

// The IANA interface type held in a network interface LUID's top 16 bits (6 ethernet, 71 Wi-Fi
// 802.11, 243/244 WWAN, 24 loopback, 131 tunnel...), and a short name for the common ones
// ("" for the others).
inline uint32_t interface_type_of_luid(uint64_t luid) { return static_cast<uint32_t>(luid >> 48); }
std::string_view interface_type_name(uint32_t if_type);

// The ESE database file header (page 0; a copy at the page-size offset).
inline constexpr size_t kEseHeaderChecksummed = 668;  // what libesedb 20181229 checksums
struct EseHeader {
  bool ese = false;          // the signature 0x89ABCDEF at offset 4
  uint32_t state = 0;        // 1 just created, 2 dirty shutdown, 3 clean shutdown, 4 being converted, 5 force detach
  uint32_t page_size = 0;
  uint32_t format_version = 0, format_revision = 0;
  bool checksum_ok = false;       // as libesedb 20181229 computes it (668 bytes)
  bool page_checksum_ok = false;  // as Windows computes it (the whole 4 KiB header page)
};
// Whether `head` (at least 8 bytes) starts like an ESE database.
bool is_ese_head(std::string_view head);
EseHeader read_ese_header(std::string_view file);

// A dirty database (copied from a running system) has a header whose checksum Windows computed
// over the whole header page; libesedb 20181229 checks the first 668 bytes only and refuses
// it. This rewrites the stored checksum of the header and of its copy (at the page-size
// offset) to what libesedb computes, in `file`, an in-memory copy: only where Windows'
// own checksum over the page holds (a header that is really damaged is left to be refused).
// Returns how many of the two headers were corrected.
int fix_header_checksums(std::string& file);

// The XOR-32 checksum ESE stores in a header: 0x89ABCDEF xor every little-endian 32-bit word
// of [p + 4, p + n).
uint32_t ese_xor32(const uint8_t* p, size_t n);

}  // namespace outflow::srum
