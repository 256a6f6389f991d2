#include "outflow/core/utf8.h"

namespace outflow {

namespace {

// Length of the valid sequence starting at s[i], or 0 if invalid.
size_t seq_len(std::string_view s, size_t i) {
  const auto c = static_cast<unsigned char>(s[i]);
  if (c < 0x80) return 1;
  auto cont = [&](size_t k) {
    return i + k < s.size() && (static_cast<unsigned char>(s[i + k]) & 0xC0) == 0x80;
  };
  if (c >= 0xC2 && c <= 0xDF) return cont(1) ? 2 : 0;
  if (c >= 0xE0 && c <= 0xEF) {
    if (!cont(1) || !cont(2)) return 0;
    const auto c1 = static_cast<unsigned char>(s[i + 1]);
    if (c == 0xE0 && c1 < 0xA0) return 0;  // overlong
    if (c == 0xED && c1 >= 0xA0) return 0;  // surrogate
    return 3;
  }
  if (c >= 0xF0 && c <= 0xF4) {
    if (!cont(1) || !cont(2) || !cont(3)) return 0;
    const auto c1 = static_cast<unsigned char>(s[i + 1]);
    if (c == 0xF0 && c1 < 0x90) return 0;
    if (c == 0xF4 && c1 >= 0x90) return 0;
    return 4;
  }
  return 0;
}

}  // namespace

size_t repair_utf8(std::string_view in, std::string& out) {
  size_t bad = 0;
  out.reserve(out.size() + in.size());
  for (size_t i = 0; i < in.size();) {
    const size_t n = seq_len(in, i);
    if (n == 0) {
      out.append("\xEF\xBF\xBD");
      ++bad;
      ++i;
    } else {
      out.append(in.data() + i, n);
      i += n;
    }
  }
  return bad;
}

namespace {
// The code unit of a "\uXXXX" escape at in[i] (in[i] == '\\'), or -1.
long escape_unit(std::string_view in, size_t i) {
  if (i + 6 > in.size() || in[i] != '\\' || in[i + 1] != 'u') return -1;
  long v = 0;
  for (size_t k = i + 2; k < i + 6; ++k) {
    const char c = in[k];
    int d;
    if (c >= '0' && c <= '9') d = c - '0';
    else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f') d = (c | 0x20) - 'a' + 10;
    else return -1;
    v = v * 16 + d;
  }
  return v;
}
}  // namespace

size_t repair_json_surrogates(std::string_view in, std::string& out) {
  size_t fixed = 0;
  out.reserve(out.size() + in.size());
  size_t i = 0;
  while (i < in.size()) {
    if (in[i] != '\\' || i + 1 >= in.size()) {
      out.push_back(in[i++]);
      continue;
    }
    const long u = escape_unit(in, i);
    if (u < 0xD800 || u > 0xDFFF) {  // not a surrogate (or not \u at all): copy the escape pair
      out.append(in.data() + i, 2);
      i += 2;
      continue;
    }
    if (u <= 0xDBFF) {
      const long lo = escape_unit(in, i + 6);
      if (lo >= 0xDC00 && lo <= 0xDFFF) {  // a proper pair
        out.append(in.data() + i, 12);
        i += 12;
        continue;
      }
    }
    out.append("\\ufffd");
    ++fixed;
    i += 6;
  }
  return fixed;
}

void assign_capped(std::string& dst, std::string_view v, size_t max) {
  if (v.size() <= max) {
    dst.assign(v.data(), v.size());
    return;
  }
  size_t n = max;
  while (n > 0 && (static_cast<unsigned char>(v[n]) & 0xC0) == 0x80) --n;  // not inside a character
  dst.assign(v.data(), n);
  dst.append("\xE2\x80\xA6");
}

bool valid_utf8(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    const size_t n = seq_len(s, i);
    if (n == 0) return false;
    i += n;
  }
  return true;
}

}  // namespace outflow
