#include <algorithm>

#include "outflow/features/classify.h"
#include "outflow/intel/csv_header.h"
#include "outflow/intel/feed_lines.h"
#include "outflow/intel/feed_formats.h"
#include "outflow/read/line_reader.h"

namespace outflow {

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r' || s.front() == '"')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '"')) s.remove_suffix(1);
  return s;
}

int rank_of(std::string_view col, std::initializer_list<std::string_view> names) {
  int r = 0;
  for (auto n : names) {
    if (col == n) return r;
    ++r;
  }
  return -1;
}

}  // namespace

void split_csv(std::string_view line, char delim, std::vector<std::string_view>& out, std::string& scratch) {
  out.clear();
  scratch.clear();
  scratch.reserve(line.size());  // views into scratch stay valid: it never grows past this
  size_t i = 0;
  while (i <= line.size() && out.size() < 256) {
    const size_t start = scratch.size();
    if (i < line.size() && line[i] == '"') {
      ++i;
      while (i < line.size()) {
        if (line[i] == '"') {
          if (i + 1 < line.size() && line[i + 1] == '"') scratch.push_back('"'), i += 2;
          else { ++i; break; }
        } else {
          scratch.push_back(line[i++]);
        }
      }
      while (i < line.size() && line[i] != delim) scratch.push_back(line[i++]);
    } else {
      while (i < line.size() && line[i] != delim) scratch.push_back(line[i++]);
    }
    out.push_back(std::string_view(scratch).substr(start));
    ++i;  // the delimiter
  }
}

CsvHeader find_csv_header(std::string_view line) {
  CsvHeader h;
  while (!line.empty() && (line.front() == '#' || line.front() == ' ')) line.remove_prefix(1);
  const size_t commas = static_cast<size_t>(std::count(line.begin(), line.end(), ','));
  const size_t semis = static_cast<size_t>(std::count(line.begin(), line.end(), ';'));
  const size_t tabs = static_cast<size_t>(std::count(line.begin(), line.end(), '\t'));
  h.delim = commas >= semis && commas >= tabs ? ',' : semis >= tabs ? ';' : '\t';
  if (commas + semis + tabs == 0) return h;
  std::vector<std::string_view> f;
  std::string scratch;
  split_csv(line, h.delim, f, scratch);

  int best = 1 << 20;
  for (size_t i = 0; i < f.size(); ++i) {
    const std::string c = ascii_lower(trim(f[i]));
    if (const int r = rank_of(c, {"dst_ip", "ip", "ip_address", "ipaddress", "url", "domain", "hostname", "host", "indicator", "ioc",
                                   "ioc_value", "value", "dst_host"}); r >= 0 && r < best) best = r, h.indicator = static_cast<int>(i), h.url = c == "url";
    if (h.date < 0 && rank_of(c, {"first_seen_utc", "first_seen", "dateadded", "date_added", "date", "created"}) >= 0) h.date = static_cast<int>(i);
    if (h.label < 0 && rank_of(c, {"malware", "malware_printable", "threat", "threat_type", "tags"}) >= 0) h.label = static_cast<int>(i);
    if (h.confidence < 0 && rank_of(c, {"confidence", "confidence_level"}) >= 0) h.confidence = static_cast<int>(i);
  }
  return h;
}

void read_csv_feed(LineReader& lines, const std::string& where, const IndicatorMeta& base, IntelSet& set) {
  FeedStats& st = set.stats(base.feed);
  st.format = "csv";
  CsvHeader h;
  std::string last_comment;
  std::string_view line;
  std::vector<std::string_view> f;
  std::string scratch, reason;
  while (next_feed_line(lines, where, st, line)) {
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.remove_suffix(1);
    if (line.empty()) continue;
    if (line.front() == '#') {
      if (h.indicator < 0) last_comment.assign(line);
      continue;
    }
    if (h.indicator < 0) {
      h = find_csv_header(line);
      if (h.indicator >= 0) continue;  // this line was the header
      h = find_csv_header(last_comment);
      if (h.indicator < 0) {
        st.error = "CSV without a header naming the indicator column";
        return;
      }
    }
    split_csv(line, h.delim, f, scratch);
    if (h.indicator >= static_cast<int>(f.size())) {
      ++st.bad;
      st.sample(where, lines.line_number(), "fewer columns than the header");
      continue;
    }
    IndicatorMeta m = base;
    TimeNs t;
    if (h.date >= 0 && h.date < static_cast<int>(f.size()) && parse_feed_date(f[static_cast<size_t>(h.date)], t)) {
      m.created = t;
      st.see_date(t);
    }
    if (h.label >= 0 && h.label < static_cast<int>(f.size()) && !trim(f[static_cast<size_t>(h.label)]).empty())
      m.label = set.label(trim(f[static_cast<size_t>(h.label)]));
    if (h.confidence >= 0 && h.confidence < static_cast<int>(f.size())) {
      const std::string_view c = trim(f[static_cast<size_t>(h.confidence)]);
      // At most three digits: 0 to 100. The size is checked before any digit is summed.
      int v = 0;
      bool digits = !c.empty() && c.size() <= 3;
      for (size_t i = 0; digits && i < c.size(); ++i) {
        digits = c[i] >= '0' && c[i] <= '9';
        v = v * 10 + (c[i] - '0');
      }
      if (digits && v <= 100) m.confidence = static_cast<int8_t>(v);
    }
    const std::string_view v = trim(f[static_cast<size_t>(h.indicator)]);
    const bool ok = h.url ? set.add_typed(IndicatorType::url, v, m, reason) : set.add_text(v, m, reason);
    if (!ok) {
      ++st.bad;
      st.sample(where, lines.line_number(), reason);
    }
  }
}

}  // namespace outflow
