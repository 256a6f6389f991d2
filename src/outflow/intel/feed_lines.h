// What the line-based feed readers (plain, CSV) share: the next usable line of a feed, with
// over-long lines counted as bad and a byte-order mark dropped, and whitespace trimming.
#pragma once
#include <string>
#include <string_view>

#include "outflow/intel/indicator.h"
#include "outflow/read/line_reader.h"

namespace outflow {

inline std::string_view trim_blanks(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

// False at the end of the feed, or on a read error (then st.error says why).
inline bool next_feed_line(LineReader& lines, const std::string& where, FeedStats& st, std::string_view& line) {
  for (;;) {
    const auto s = lines.next(line);
    if (s == LineReader::Status::end) return false;
    if (s == LineReader::Status::error) {
      st.error = lines.error();
      return false;
    }
    if (s == LineReader::Status::too_long) {
      ++st.bad;
      st.sample(where, lines.line_number(), "line longer than 64 KB");
      continue;
    }
    if (lines.line_number() == 1 && line.starts_with("\xEF\xBB\xBF")) line.remove_prefix(3);
    return true;
  }
}

}  // namespace outflow
