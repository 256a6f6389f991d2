#include "outflow/write/intel_out.h"

#include <fmt/format.h>

#include "outflow/write/terminal.h"

namespace outflow {

void intel_hits_json(JsonOut& j, const Finding& f) {
  if (f.intel.empty()) return;
  j.begin_array("intel");
  for (const auto& h : f.intel) {
    j.begin_object().str("feed", h.feed).str("kind", h.kind).str("type", h.type).str("indicator", h.indicator)
        .str("matched", h.matched).str("destination", h.destination).str_if("label", h.label);
    if (h.confidence >= 0) j.num("confidence", h.confidence);
    if (h.age_days >= 0) j.dbl("age_days", h.age_days);
    j.dbl("points", h.points).end_object();
  }
  j.end_array();
}

void append_session_intel(std::string& out, const IntelSet& set, const IpAddr& dst, std::string_view name, TimeNs start,
                          TimeNs end, std::vector<IntelMatch>& m) {
  m.clear();
  set.match_ip(dst, start, end, m);
  if (!name.empty()) set.match_name(name, start, end, m);
  if (m.empty() || !out.ends_with("}\n")) return;
  out.resize(out.size() - 2);
  out += ',';
  std::string body;
  JsonOut j(body);
  j.begin_object();
  j.begin_array("intel");
  for (const auto& x : m) {
    const FeedSpec& f = set.feeds()[x.meta->feed];
    j.begin_object().str("feed", f.name).str("kind", intel_kind_name(f.kind)).str("type", indicator_type_name(x.type))
        .str("indicator", x.indicator).str("matched", x.matched).str_if("label", set.label_text(x.meta->label));
    if (x.meta->confidence >= 0) j.num("confidence", x.meta->confidence);
    j.end_object();
  }
  j.end_array();
  j.end_object();
  out.append(body, 1, std::string::npos);  // without the opening brace: members of the line's object
  if (!out.ends_with("\n")) out += '\n';
}

namespace {

std::string by_type(const FeedStats& st) {
  std::string s;
  for (size_t t = 0; t < st.by_type.size(); ++t)
    if (st.by_type[t]) s += fmt::format("{}{} {}", s.empty() ? "" : ", ", st.by_type[t], indicator_type_name(static_cast<IndicatorType>(t)));
  return s.empty() ? "none" : s;
}

}  // namespace

std::string intel_feeds_text(const IntelSet& set) {
  std::string out = fmt::format("Intel feeds ({}, {} indicators, {:.1f} MB in memory{})\n", set.feeds().size(), set.size(),
                                static_cast<double>(set.memory_bytes()) / 1e6,
                                set.dropped() ? fmt::format(", {} dropped over the cap", set.dropped()) : "");
  for (size_t i = 0; i < set.feeds().size(); ++i) {
    const FeedSpec& f = set.feeds()[i];
    const FeedStats& st = set.stats()[i];
    out += fmt::format("  {} [{}] {}: {}\n", terminal_safe(f.name), intel_kind_name(f.kind), st.format.empty() ? "?" : st.format,
                       terminal_safe(f.path));
    if (!st.error.empty()) out += "    not read: " + terminal_safe(st.error) + "\n";
    out += fmt::format("    indicators: {}; bad: {}; unevaluable: {}; not for detection: {}; expired: {}; newest date: {}\n", by_type(st),
                       st.bad, st.unevaluable, st.skipped, st.expired, st.newest == kNoTime ? "unknown" : format_time(st.newest).substr(0, 10));
    for (const auto& s : st.samples) out += "      " + terminal_safe(s) + "\n";
  }
  return out;
}

void intel_feeds_json(JsonOut& j, const IntelSet& set) {
  j.begin_array("intel_feeds");
  for (size_t i = 0; i < set.feeds().size(); ++i) {
    const FeedSpec& f = set.feeds()[i];
    const FeedStats& st = set.stats()[i];
    j.begin_object().str("name", f.name).str("kind", intel_kind_name(f.kind)).str("path", f.path).str("format", st.format).str_if("error", st.error);
    j.begin_object("indicators");
    for (size_t t = 0; t < st.by_type.size(); ++t)
      if (st.by_type[t]) j.unum(indicator_type_name(static_cast<IndicatorType>(t)), st.by_type[t]);
    j.end_object();
    j.unum("bad", st.bad).unum("unevaluable", st.unevaluable).unum("not_for_detection", st.skipped).unum("expired", st.expired);
    if (st.newest != kNoTime) j.str("newest", format_time(st.newest));
    j.begin_array("samples");
    for (const auto& s : st.samples) j.str_elem(s);
    j.end_array().end_object();
  }
  j.end_array();
}

}  // namespace outflow
