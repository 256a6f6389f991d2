#include "outflow/write/json_out.h"

#include <cmath>
#include <cstdio>

#include "outflow/core/utf8.h"

namespace outflow {

size_t JsonOut::escape_into(std::string& out, std::string_view s) {
  static const char* hex = "0123456789abcdef";
  size_t replaced = 0;
  out.push_back('"');
  size_t i = 0;
  while (i < s.size()) {
    // Runs of printable ASCII (nearly all of a path or command line) are appended at once.
    size_t j = i;
    while (j < s.size()) {
      const auto b = static_cast<unsigned char>(s[j]);
      if (b < 0x20 || b >= 0x7f || b == '"' || b == '\\') break;
      ++j;
    }
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

void JsonOut::sep() {
  if (!first_.back()) buf_.push_back(',');
  first_.back() = false;
}

void JsonOut::key(std::string_view k) {
  sep();
  if (!k.empty()) {
    // Keys are this program's own ASCII literals (names from input are values, never keys),
    // so they are written as they are, not escaped.
    buf_.push_back('"');
    buf_.append(k);
    buf_.append("\":");
  }
}

JsonOut& JsonOut::begin_object(std::string_view k) {
  if (first_.size() > 1 || !k.empty()) key(k);
  buf_.push_back('{');
  first_.push_back(true);
  return *this;
}
JsonOut& JsonOut::end_object() {
  buf_.push_back('}');
  first_.pop_back();
  return *this;
}
JsonOut& JsonOut::begin_array(std::string_view k) {
  key(k);
  buf_.push_back('[');
  first_.push_back(true);
  return *this;
}
JsonOut& JsonOut::end_array() {
  buf_.push_back(']');
  first_.pop_back();
  return *this;
}
JsonOut& JsonOut::str(std::string_view k, std::string_view v) {
  key(k);
  replaced_ += escape_into(buf_, v);
  return *this;
}
JsonOut& JsonOut::num(std::string_view k, int64_t v) {
  key(k);
  buf_.append(std::to_string(v));
  return *this;
}
JsonOut& JsonOut::unum(std::string_view k, uint64_t v) {
  key(k);
  buf_.append(std::to_string(v));
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
JsonOut& JsonOut::boolean(std::string_view k, bool v) {
  key(k);
  buf_.append(v ? "true" : "false");
  return *this;
}

}  // namespace outflow
