#include "outflow/write/terminal.h"

#include "outflow/core/utf8.h"

namespace outflow {

std::string terminal_safe(std::string_view s) { return terminal_safe(s, std::string::npos); }

std::string terminal_safe(std::string_view s, size_t max_bytes) {
  std::string valid;
  repair_utf8(s, valid);
  std::string out;
  out.reserve(valid.size());
  static const char* hex = "0123456789abcdef";
  for (size_t i = 0; i < valid.size(); ++i) {
    const size_t before = out.size();
    const auto c = static_cast<unsigned char>(valid[i]);
    if (c < 0x20 || c == 0x7f) {
      out += "\\x";
      out.push_back(hex[c >> 4]);
      out.push_back(hex[c & 15]);
    } else if (c == 0xC2 && i + 1 < valid.size() && static_cast<unsigned char>(valid[i + 1]) >= 0x80 &&
               static_cast<unsigned char>(valid[i + 1]) <= 0x9F) {
      // C1 controls (U+0080..U+009F) include CSI, which some terminals honour.
      out += "\\u00";
      const auto c1 = static_cast<unsigned char>(valid[i + 1]);
      out.push_back(hex[c1 >> 4]);
      out.push_back(hex[c1 & 15]);
      ++i;
    } else {
      // A whole UTF-8 sequence at once (valid is valid UTF-8), so a cut never splits one.
      size_t n = 1;
      while (i + n < valid.size() && (static_cast<unsigned char>(valid[i + n]) & 0xC0) == 0x80) ++n;
      out.append(valid, i, n);
      i += n - 1;
    }
    if (out.size() > max_bytes) {
      out.resize(before);
      break;
    }
  }
  return out;
}

}  // namespace outflow
