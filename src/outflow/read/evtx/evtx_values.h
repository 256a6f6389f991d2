// EVTX value types (the substitution values of binary XML) and UTF-16LE -> UTF-8.
// Every function bounds-checks its input and never throws; malformed values return false.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "outflow/core/time.h"

namespace outflow::evtx {

// Value type codes (MS-EVEN6 / libevtx naming). 0x80 marks an array of the base type.
enum ValueType : uint8_t {
  kNull = 0x00, kString = 0x01, kAnsiString = 0x02, kInt8 = 0x03, kUInt8 = 0x04, kInt16 = 0x05,
  kUInt16 = 0x06, kInt32 = 0x07, kUInt32 = 0x08, kInt64 = 0x09, kUInt64 = 0x0a, kReal32 = 0x0b,
  kReal64 = 0x0c, kBool = 0x0d, kBinary = 0x0e, kGuid = 0x0f, kSizeT = 0x10, kFileTime = 0x11,
  kSysTime = 0x12, kSid = 0x13, kHexInt32 = 0x14, kHexInt64 = 0x15, kEvtHandle = 0x20,
  kBinXml = 0x21, kEvtXml = 0x23, kArrayFlag = 0x80,
};

// Appends UTF-8 for `n_units` UTF-16LE code units at `p`. Lone surrogates become U+FFFD.
// Stops at the first NUL unit when `stop_at_nul`.
void append_utf16(const uint8_t* p, size_t n_units, std::string& out, bool stop_at_nul = true);

// Appends the text form of one value (Windows rendering: decimal ints, 0x-hex for hex ints,
// {GUID} upper case, S-1-... SIDs, ISO-8601 UTC times with 100 ns digits, upper-case hex for
// binary, "true"/"false", arrays joined with ", "). Returns false when `size` does not fit the
// type; BinXml (0x21) is not handled here (the walker does it).
bool append_value(uint8_t type, const uint8_t* p, size_t size, std::string& out);

// Splits an array value (type with kArrayFlag) into its items, as byte ranges [off, off+len)
// of `p`, each to be rendered with append_value(type & 0x7F, ...). Windows renders an array
// substituted into an element as that element repeated once per item.
bool array_items(uint8_t type, const uint8_t* p, size_t size, std::vector<std::pair<uint32_t, uint32_t>>& items);

// FILETIME (100 ns ticks since 1601) -> ns since the Unix epoch; kNoTime when out of range.
TimeNs filetime_to_ns(uint64_t ft);
void append_filetime(uint64_t ft, std::string& out);

inline uint16_t rd16(const uint8_t* p) { return static_cast<uint16_t>(p[0] | (p[1] << 8)); }
inline uint32_t rd32(const uint8_t* p) {
  return static_cast<uint32_t>(p[0]) | (static_cast<uint32_t>(p[1]) << 8) |
         (static_cast<uint32_t>(p[2]) << 16) | (static_cast<uint32_t>(p[3]) << 24);
}
inline uint64_t rd64(const uint8_t* p) { return rd32(p) | (static_cast<uint64_t>(rd32(p + 4)) << 32); }

}  // namespace outflow::evtx
