#include "outflow/read/evtx/evtx_values.h"

#include <charconv>
#include <cstring>

namespace outflow::evtx {

namespace {

constexpr char kHexUpper[] = "0123456789ABCDEF";

void put_utf8(uint32_t cp, std::string& out) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

template <class T>
void put_int(T v, std::string& out) {
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, r.ptr);
}

void put_hex(uint64_t v, std::string& out) {
  char buf[20];
  auto r = std::to_chars(buf, buf + sizeof buf, v, 16);
  out.append("0x");
  out.append(buf, r.ptr);
}

void put_fixed(unsigned v, int width, std::string& out) {
  char buf[12];
  for (int i = width - 1; i >= 0; --i) {
    buf[i] = static_cast<char>('0' + v % 10);
    v /= 10;
  }
  out.append(buf, static_cast<size_t>(width));
}

void put_datetime(int64_t y, unsigned mo, unsigned d, unsigned h, unsigned mi, unsigned s,
                  unsigned frac_ns, std::string& out) {
  put_fixed(static_cast<unsigned>(y), 4, out);
  out.push_back('-');
  put_fixed(mo, 2, out);
  out.push_back('-');
  put_fixed(d, 2, out);
  out.push_back('T');
  put_fixed(h, 2, out);
  out.push_back(':');
  put_fixed(mi, 2, out);
  out.push_back(':');
  put_fixed(s, 2, out);
  out.push_back('.');
  put_fixed(frac_ns, 9, out);
  out.push_back('Z');
}

// Windows-1252 bytes 0x80..0x9F (0 = undefined, rendered as the C1 code point).
constexpr uint16_t kCp1252[32] = {0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
                                  0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
                                  0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
                                  0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178};

void put_guid(const uint8_t* p, std::string& out) {
  auto hex = [&](uint64_t v, int digits) {
    for (int i = digits - 1; i >= 0; --i) out.push_back(kHexUpper[(v >> (4 * i)) & 0xF]);
  };
  out.push_back('{');
  hex(rd32(p), 8);
  out.push_back('-');
  hex(rd16(p + 4), 4);
  out.push_back('-');
  hex(rd16(p + 6), 4);
  out.push_back('-');
  for (int i = 8; i < 16; ++i) {
    if (i == 10) out.push_back('-');
    hex(p[i], 2);
  }
  out.push_back('}');
}

bool put_sid(const uint8_t* p, size_t size, std::string& out) {
  if (size < 8) return false;
  const unsigned n = p[1];
  if (size < 8 + 4ull * n) return false;
  uint64_t auth = 0;
  for (int i = 2; i < 8; ++i) auth = (auth << 8) | p[i];
  out.append("S-");
  put_int(static_cast<unsigned>(p[0]), out);
  out.push_back('-');
  put_int(auth, out);
  for (unsigned i = 0; i < n; ++i) {
    out.push_back('-');
    put_int(rd32(p + 8 + 4 * i), out);
  }
  return true;
}

size_t fixed_size(uint8_t type) {
  switch (type) {
    case kInt8: case kUInt8: return 1;
    case kInt16: case kUInt16: return 2;
    case kInt32: case kUInt32: case kReal32: case kBool: case kHexInt32: return 4;
    case kInt64: case kUInt64: case kReal64: case kFileTime: case kHexInt64: return 8;
    case kGuid: case kSysTime: return 16;
    default: return 0;
  }
}

// One scalar of a fixed-size type; `p` has exactly fixed_size(type) bytes (SizeT: 4 or 8).
void put_scalar(uint8_t type, const uint8_t* p, size_t size, std::string& out) {
  switch (type) {
    case kInt8: put_int(static_cast<int8_t>(p[0]), out); break;
    case kUInt8: put_int(static_cast<unsigned>(p[0]), out); break;
    case kInt16: put_int(static_cast<int16_t>(rd16(p)), out); break;
    case kUInt16: put_int(rd16(p), out); break;
    case kInt32: put_int(static_cast<int32_t>(rd32(p)), out); break;
    case kUInt32: put_int(rd32(p), out); break;
    case kInt64: put_int(static_cast<int64_t>(rd64(p)), out); break;
    case kUInt64: put_int(rd64(p), out); break;
    case kHexInt32: put_hex(rd32(p), out); break;
    case kHexInt64: put_hex(rd64(p), out); break;
    case kSizeT: put_hex(size == 4 ? rd32(p) : rd64(p), out); break;
    case kBool: out.append(rd32(p) ? "true" : "false"); break;
    case kReal32: {
      float f;
      std::memcpy(&f, p, 4);
      char buf[64];
      auto r = std::to_chars(buf, buf + sizeof buf, f);
      out.append(buf, r.ptr);
      break;
    }
    case kReal64: {
      double f;
      std::memcpy(&f, p, 8);
      char buf[64];
      auto r = std::to_chars(buf, buf + sizeof buf, f);
      out.append(buf, r.ptr);
      break;
    }
    case kGuid: put_guid(p, out); break;
    case kFileTime: append_filetime(rd64(p), out); break;
    case kSysTime: {
      const unsigned y = rd16(p), mo = rd16(p + 2), d = rd16(p + 6), h = rd16(p + 8), mi = rd16(p + 10),
                     s = rd16(p + 12), ms = rd16(p + 14);
      put_datetime(y % 10000, mo % 100, d % 100, h % 100, mi % 100, s % 100, (ms % 1000) * 1000000u, out);
      break;
    }
    default: break;
  }
}

}  // namespace

void append_utf16(const uint8_t* p, size_t n_units, std::string& out, bool stop_at_nul) {
  size_t i = 0;
  // ASCII fast path: most Windows strings are.
  while (i < n_units) {
    const uint16_t u = rd16(p + 2 * i);
    if (u >= 0x80 || u == 0) break;
    out.push_back(static_cast<char>(u));
    ++i;
  }
  for (; i < n_units; ++i) {
    const uint32_t u = rd16(p + 2 * i);
    if (u == 0 && stop_at_nul) return;
    if (u >= 0xD800 && u <= 0xDBFF) {
      if (i + 1 < n_units) {
        const uint32_t lo = rd16(p + 2 * (i + 1));
        if (lo >= 0xDC00 && lo <= 0xDFFF) {
          put_utf8(0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00), out);
          ++i;
          continue;
        }
      }
      put_utf8(0xFFFD, out);
    } else if (u >= 0xDC00 && u <= 0xDFFF) {
      put_utf8(0xFFFD, out);
    } else {
      put_utf8(u, out);
    }
  }
}

TimeNs filetime_to_ns(uint64_t ft) {
  constexpr uint64_t kEpochDiff = 116444736000000000ULL;  // 1601 -> 1970 in 100 ns ticks
  // int64 ns covers 1677..2262.
  constexpr int64_t kMaxTicks = INT64_MAX / 100;
  const int64_t ticks = static_cast<int64_t>(ft - kEpochDiff);
  if (ft > static_cast<uint64_t>(INT64_MAX) || ticks > kMaxTicks || ticks < -kMaxTicks) return kNoTime;
  return ticks * 100;
}

void append_filetime(uint64_t ft, std::string& out) {
  const uint64_t secs = ft / 10000000ULL;
  const auto frac = static_cast<unsigned>(ft % 10000000ULL) * 100u;
  const int64_t days = static_cast<int64_t>(secs / 86400) - 134774;  // 1601-01-01 -> 1970-01-01
  const auto sod = static_cast<unsigned>(secs % 86400);
  int64_t y;
  unsigned m, d;
  civil_from_days(days, y, m, d);
  put_datetime(y, m, d, sod / 3600, (sod / 60) % 60, sod % 60, frac, out);
}

bool array_items(uint8_t type, const uint8_t* p, size_t size, std::vector<std::pair<uint32_t, uint32_t>>& items) {
  items.clear();
  const uint8_t base = type & 0x7F;
  const auto sz = static_cast<uint32_t>(size);
  if (base == kString || base == kAnsiString) {
    const uint32_t unit = base == kString ? 2 : 1;
    uint32_t start = 0;
    for (uint32_t i = 0; i + unit <= sz; i += unit) {
      if ((unit == 2 ? rd16(p + i) : p[i]) == 0) {
        items.emplace_back(start, i - start);
        start = i + unit;
      }
    }
    if (start + unit <= sz) items.emplace_back(start, sz - start - (sz - start) % unit);
    return true;
  }
  if (base == kSid) {
    uint32_t off = 0;
    while (off + 8 <= sz) {
      const uint32_t n = 8 + 4u * p[off + 1];
      if (off + n > sz) return false;
      items.emplace_back(off, n);
      off += n;
    }
    return off == sz;
  }
  const uint32_t es = base == kSizeT ? 8 : static_cast<uint32_t>(fixed_size(base));
  if (es == 0 || sz % es != 0) return false;
  for (uint32_t off = 0; off < sz; off += es) items.emplace_back(off, es);
  return true;
}

bool append_value(uint8_t type, const uint8_t* p, size_t size, std::string& out) {
  if (type & kArrayFlag) {
    const uint8_t base = type & 0x7F;
    if (base == kString) {
      // NUL-terminated strings one after the other.
      const size_t units = size / 2;
      size_t start = 0;
      bool first = true;
      for (size_t i = 0; i <= units; ++i) {
        if (i == units || rd16(p + 2 * i) == 0) {
          if (i == units && i == start) break;
          if (!first) out.append(", ");
          append_utf16(p + 2 * start, i - start, out);
          first = false;
          start = i + 1;
        }
      }
      return true;
    }
    if (base == kAnsiString) {
      size_t start = 0;
      bool first = true;
      for (size_t i = 0; i <= size; ++i) {
        if (i == size || p[i] == 0) {
          if (i == size && i == start) break;
          if (!first) out.append(", ");
          append_value(kAnsiString, p + start, i - start, out);
          first = false;
          start = i + 1;
        }
      }
      return true;
    }
    size_t es = fixed_size(base);
    if (base == kSizeT) es = 8;
    if (base == kSid) {
      size_t off = 0;
      bool first = true;
      while (off + 8 <= size) {
        const size_t n = 8 + 4ull * p[off + 1];
        if (off + n > size) return false;
        if (!first) out.append(", ");
        put_sid(p + off, n, out);
        first = false;
        off += n;
      }
      return off == size;
    }
    if (es == 0 || size % es != 0) return false;
    for (size_t off = 0; off < size; off += es) {
      if (off) out.append(", ");
      put_scalar(base, p + off, es, out);
    }
    return true;
  }
  switch (type) {
    case kNull: return true;
    case kString:
      append_utf16(p, size / 2, out);
      return true;
    case kAnsiString:
      for (size_t i = 0; i < size; ++i) {
        const uint8_t c = p[i];
        if (c == 0) break;
        if (c < 0x80) out.push_back(static_cast<char>(c));
        else if (c < 0xA0 && kCp1252[c - 0x80]) put_utf8(kCp1252[c - 0x80], out);
        else put_utf8(c, out);
      }
      return true;
    case kBinary:
    case kEvtHandle:
    case kEvtXml:
      for (size_t i = 0; i < size; ++i) {
        out.push_back(kHexUpper[p[i] >> 4]);
        out.push_back(kHexUpper[p[i] & 0xF]);
      }
      return true;
    case kSid: return put_sid(p, size, out);
    case kSizeT:
      if (size != 4 && size != 8) return false;
      put_scalar(type, p, size, out);
      return true;
    default: {
      const size_t es = fixed_size(type);
      if (es == 0 || size != es) return false;
      put_scalar(type, p, size, out);
      return true;
    }
  }
}

}  // namespace outflow::evtx
