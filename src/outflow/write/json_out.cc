#include "outflow/write/json_out.h"

#include <charconv>
#include <cmath>
#include <cstdio>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "outflow/core/utf8.h"

namespace outflow {

namespace {

// Bytes escape_into must look at: controls, '"', '\\', DEL and every non-ASCII byte.
constexpr bool needs_attention(unsigned char b) { return b < 0x20 || b >= 0x7f || b == '"' || b == '\\'; }

// The end of the run of bytes from `i` that are copied as they are (printable ASCII but '"' and
// '\\': nearly all of a path or command line): the first byte needing attention, or n.
size_t clean_run_end(const char* s, size_t i, size_t n) {
#ifdef __SSE2__
  // 16 bytes at a time (x86-64 baseline): escape_into was 11% of `outflow sessions`.
  const __m128i space = _mm_set1_epi8(0x20), del = _mm_set1_epi8(0x7f);
  const __m128i quote = _mm_set1_epi8('"'), backslash = _mm_set1_epi8('\\');
  for (; i + 16 <= n; i += 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s + i));
    // Signed compare: bytes 0x80..0xff are negative, so "< 0x20" catches them with the controls.
    const __m128i bad = _mm_or_si128(_mm_or_si128(_mm_cmplt_epi8(v, space), _mm_cmpeq_epi8(v, del)),
                                     _mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, backslash)));
    const unsigned mask = static_cast<unsigned>(_mm_movemask_epi8(bad));
    if (mask) return i + static_cast<unsigned>(__builtin_ctz(mask));
  }
#endif
  while (i < n && !needs_attention(static_cast<unsigned char>(s[i]))) ++i;
  return i;
}

}  // namespace

size_t JsonOut::escape_into(std::string& out, std::string_view s) {
  static const char* hex = "0123456789abcdef";
  size_t replaced = 0;
  out.push_back('"');
  size_t i = 0;
  while (i < s.size()) {
    // Runs of printable ASCII (nearly all of a path or command line) are appended at once.
    const size_t j = clean_run_end(s.data(), i, s.size());
    if (j > i) {
      out.append(s.data() + i, j - i);
      i = j;
      if (i == s.size()) break;
    }
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      switch (c) {
        case '"': out.append("\\\""); break;
        case '\\': out.append("\\\\"); break;
        case '\n': out.append("\\n"); break;
        case '\r': out.append("\\r"); break;
        case '\t': out.append("\\t"); break;
        default:  // other control characters, DEL included (ESC must never reach a terminal raw)
          out.append("\\u00");
          out.push_back(hex[c >> 4]);
          out.push_back(hex[c & 15]);
      }
      ++i;
      continue;
    }
    // Multi-byte: copy a valid sequence, replace an invalid byte.
    size_t n = 0;
    if (c >= 0xC2 && c <= 0xDF) n = 2;
    else if (c >= 0xE0 && c <= 0xEF) n = 3;
    else if (c >= 0xF0 && c <= 0xF4) n = 4;
    if (n && i + n <= s.size() && valid_utf8(s.substr(i, n))) {
      const auto c1 = static_cast<unsigned char>(s[i + 1]);
      if (c == 0xC2 && c1 < 0xA0) {
        // C1 controls (U+0080..U+009F, CSI among them) escaped too: JSON lines are often
        // read on a terminal.
        out.append("\\u00");
        out.push_back(hex[c1 >> 4]);
        out.push_back(hex[c1 & 15]);
      } else {
        out.append(s.data() + i, n);
      }
      i += n;
    } else {
      out.append("\xEF\xBF\xBD");
      ++replaced;
      ++i;
    }
  }
  out.push_back('"');
  return replaced;
}

void JsonOut::deep_sep() {
  if (!deep_[depth_ - kBits]) buf_.push_back(',');
  deep_[depth_ - kBits] = false;
}

JsonOut& JsonOut::begin_object(std::string_view k) {
  if (depth_ > 0 || !k.empty()) key(k);
  buf_.push_back('{');
  push();
  return *this;
}
JsonOut& JsonOut::begin_array(std::string_view k) {
  key(k);
  buf_.push_back('[');
  push();
  return *this;
}
// Digits on the stack, not a std::to_string per number (nine numbers a session line).
JsonOut& JsonOut::num(std::string_view k, int64_t v) {
  key(k);
  char tmp[24];
  buf_.append(tmp, static_cast<size_t>(std::to_chars(tmp, tmp + sizeof tmp, v).ptr - tmp));
  return *this;
}
JsonOut& JsonOut::unum(std::string_view k, uint64_t v) {
  key(k);
  char tmp[24];
  buf_.append(tmp, static_cast<size_t>(std::to_chars(tmp, tmp + sizeof tmp, v).ptr - tmp));
  return *this;
}
JsonOut& JsonOut::time(std::string_view k, TimeNs t) {
  key(k);
  // The text is digits and "-T:.Z": nothing to escape.
  char tmp[2 + kTimeTextSize];
  tmp[0] = '"';
  const size_t n = format_time_to(t, tmp + 1);
  tmp[n + 1] = '"';
  buf_.append(tmp, n + 2);
  return *this;
}
JsonOut& JsonOut::key_null(std::string_view k) {
  key(k);
  buf_.append("null");
  return *this;
}

JsonOut& JsonOut::dbl(std::string_view k, double v) {
  key(k);
  if (!std::isfinite(v)) {
    buf_.append("null");
    return *this;
  }
  char tmp[64];
  std::snprintf(tmp, sizeof tmp, "%.6g", v);
  buf_.append(tmp);
  return *this;
}

}  // namespace outflow
