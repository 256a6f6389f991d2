// The shapes of a Squid access.log line, told apart from one line (for detection and per line).
#pragma once
#include <cstddef>
#include <string_view>
#include <vector>

namespace outflow::squid {

enum class Shape {
  none,
  // "time.ms elapsed client result/status bytes method URL user hierarchy/peer type" (Squid's
  // default `squid` logformat; extra fields after type, such as log_mime_hdrs' headers, kept out)
  native,
  // the native start with the client port and request sizes: "time.ms elapsed client port
  // result/status reply_size request_size reply_hdr request_hdr body method URL version user
  // hierarchy/peer peer_port type ..." (Elastic's squid integration's logformat)
  extended,
  // "client ident user [dd/Mon/yyyy:hh:mm:ss zone] "METHOD URL HTTP/v" status bytes
  // ["referer" "agent"] result:hierarchy" (Squid's `common` and `combined` logformats)
  common,
};

// Splits on runs of spaces and tabs, at most `max` tokens (the last holds the rest when there
// are more).
inline void split_spaces(std::string_view s, std::vector<std::string_view>& out, size_t max = 64) {
  out.clear();
  size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
    if (i >= s.size()) break;
    if (out.size() + 1 == max) {
      out.push_back(s.substr(i));
      return;
    }
    size_t e = i;
    while (e < s.size() && s[e] != ' ' && s[e] != '\t') ++e;
    out.push_back(s.substr(i, e - i));
    i = e;
  }
}

inline bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

// "TCP_MISS/200", "NONE_NONE/000": an upper-case code, a slash, three digits.
inline bool result_status(std::string_view s) {
  const size_t slash = s.find('/');
  if (slash == 0 || slash == std::string_view::npos || s.size() - slash != 4 || !all_digits(s.substr(slash + 1)))
    return false;
  for (size_t i = 0; i < slash; ++i)
    if (!((s[i] >= 'A' && s[i] <= 'Z') || s[i] == '_')) return false;
  return true;
}

// "1157689312.049": seconds, a dot, milliseconds.
inline bool squid_time(std::string_view s) {
  const size_t dot = s.find('.');
  return dot != std::string_view::npos && dot > 0 && all_digits(s.substr(0, dot)) && all_digits(s.substr(dot + 1));
}

// "TCP_MISS:HIER_DIRECT" at the end of a common/combined line.
inline bool result_hierarchy(std::string_view s) {
  const size_t colon = s.find(':');
  if (colon == 0 || colon == std::string_view::npos || colon + 1 == s.size()) return false;
  for (size_t i = 0; i < s.size(); ++i)
    if (i != colon && !((s[i] >= 'A' && s[i] <= 'Z') || s[i] == '_')) return false;
  return true;
}

// `t` receives the line's tokens (split_spaces, at most 64): the reader goes on from them.
inline Shape line_shape(std::string_view line, std::vector<std::string_view>& t) {
  split_spaces(line, t);
  if (t.size() >= 7 && squid_time(t[0]) && all_digits(t[1])) {
    if (result_status(t[3])) return Shape::native;
    if (all_digits(t[3]) && result_status(t[4])) return Shape::extended;
    return Shape::none;
  }
  if (t.size() >= 7 && t[3].size() > 1 && t[3].front() == '[') {
    size_t e = line.size();
    while (e > 0 && (line[e - 1] == ' ' || line[e - 1] == '\r')) --e;
    const size_t sp = line.find_last_of(' ', e == 0 ? 0 : e - 1);
    if (sp != std::string_view::npos && result_hierarchy(line.substr(sp + 1, e - sp - 1)) &&
        line.find('"') != std::string_view::npos)
      return Shape::common;
  }
  return Shape::none;
}

inline Shape line_shape(std::string_view line) {
  std::vector<std::string_view> t;
  return line_shape(line, t);
}

}  // namespace outflow::squid
