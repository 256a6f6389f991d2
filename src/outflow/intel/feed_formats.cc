#include "outflow/intel/feed_formats.h"

#include "outflow/intel/csv_header.h"
#include "outflow/intel/feed_lines.h"
#include "outflow/read/line_reader.h"

namespace outflow {

namespace {

std::string_view strip_bom(std::string_view s) { return s.starts_with("\xEF\xBB\xBF") ? s.substr(3) : s; }

}  // namespace

bool parse_feed_date(std::string_view s, TimeNs& out) {
  s = trim_blanks(s);
  while (!s.empty() && s.front() == '"') s.remove_prefix(1);
  while (!s.empty() && s.back() == '"') s.remove_suffix(1);
  if (s.empty()) return false;
  if (s.find_first_not_of("0123456789.") == std::string_view::npos) return parse_epoch_seconds(s, out);
  if (s.size() == 10) return parse_datetime(std::string(s) + " 00:00:00", out);
  return parse_datetime(s, out);
}

FeedFormat detect_feed_format(std::string_view head) {
  head = strip_bom(head);
  size_t i = head.find_first_not_of(" \t\r\n");
  if (i == std::string_view::npos) return FeedFormat::plain;  // empty: nothing to read either way
  if (head[i] == '{' || head[i] == '[') return FeedFormat::json;
  // Text: a CSV when its header (the first line that is not a comment, or the last comment line
  // before it) names an indicator column.
  std::string_view last_comment;
  while (i < head.size()) {
    size_t end = head.find('\n', i);
    const bool complete = end != std::string_view::npos;
    if (!complete) end = head.size();
    const std::string_view line = trim_blanks(head.substr(i, end - i));
    i = end + 1;
    if (line.empty()) continue;
    if (line.front() == '#') {
      last_comment = line;
      continue;
    }
    if (find_csv_header(line).indicator >= 0) return FeedFormat::csv;
    if (!last_comment.empty() && find_csv_header(last_comment).indicator >= 0) return FeedFormat::csv;
    return FeedFormat::plain;
  }
  return FeedFormat::plain;
}

void read_plain_feed(LineReader& lines, const std::string& where, const IndicatorMeta& base, IntelSet& set) {
  FeedStats& st = set.stats(base.feed);
  st.format = "plain";
  std::string_view line;
  std::string reason;
  while (next_feed_line(lines, where, st, line)) {
    line = trim_blanks(line);
    if (line.empty() || line.front() == '#' || line.front() == ';' || line.starts_with("//")) continue;
    if (const size_t c = line.find(" #"); c != std::string_view::npos) line = trim_blanks(line.substr(0, c));
    if (const size_t c = line.find("\t#"); c != std::string_view::npos) line = trim_blanks(line.substr(0, c));
    // The first token; a hosts-file line ("0.0.0.0 evil.com") gives its second.
    std::string_view tok = line.substr(0, line.find_first_of(" \t"));
    if ((tok == "0.0.0.0" || tok == "127.0.0.1") && tok.size() < line.size()) {
      std::string_view rest = trim_blanks(line.substr(tok.size()));
      tok = rest.substr(0, rest.find_first_of(" \t"));
    }
    if (!set.add_text(tok, base, reason)) {
      ++st.bad;
      st.sample(where, lines.line_number(), reason);
    }
  }
}

void read_feed(ByteSource& src, const std::string& where, uint16_t feed, IntelSet& set) {
  FeedStats& st = set.stats(feed);
  IndicatorMeta base;
  base.feed = feed;
  std::string head;
  if (!read_up_to(src, 1 << 16, head)) {
    st.error = src.error();
    return;
  }
  const FeedFormat f = detect_feed_format(head);
  PeekedSource all(src, std::move(head));
  if (f != FeedFormat::json) {
    LineReader lines(all, kMaxFeedLine, 1 << 16);
    return f == FeedFormat::csv ? read_csv_feed(lines, where, base, set) : read_plain_feed(lines, where, base, set);
  }
  read_json_feed(all, where, base, set);
}

}  // namespace outflow
