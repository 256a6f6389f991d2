// Data tests against ../shared/datasets/parser-oracles: another parser's values (Elastic's
// ingest pipelines, DataDog's, plaso's) for every traffic record of public sample logs, keyed by
// file and line. Each oracle line is read through read_input (format detected from content),
// alone or after the file's header lines, and what Outflow read is compared key by key; every
// disagreement is listed as "file:line key: ours vs oracle" for the test to check against the
// ones it explains.
#pragma once
#include <simdjson.h>

#include <fstream>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "outflow/testing/collect_sink.h"

namespace outflow::testing {

inline std::string oracle_dir(const std::string& format) { return dataset("parser-oracles/" + format); }

// One oracle record: the keys it sets (strings and numbers as text), and its raw line.
struct OracleRecord {
  std::string file;
  uint64_t line_no = 0;
  std::string line;
  std::map<std::string, std::string> v;  // source_ip, bytes_sent, duration_s, start...
  bool has(const std::string& k) const { return v.count(k) > 0; }
  const std::string& at(const std::string& k) const { return v.at(k); }
};

inline std::vector<OracleRecord> load_oracle(const std::string& format) {
  std::vector<OracleRecord> out;
  std::ifstream in(oracle_dir(format) + "/expected.jsonl");
  std::string text;
  simdjson::dom::parser p;
  while (std::getline(in, text)) {
    simdjson::dom::element doc;
    if (p.parse(text).get(doc)) continue;
    OracleRecord r;
    simdjson::dom::object obj;
    if (doc.get(obj)) continue;
    const auto put = [&](const std::string& k, simdjson::dom::element val) {
      if (val.is_string()) r.v[k] = std::string(std::string_view(val));
      else if (val.is_int64()) r.v[k] = std::to_string(int64_t(val));
      else if (val.is_uint64()) r.v[k] = std::to_string(uint64_t(val));
      else if (val.is_double()) r.v[k] = std::to_string(double(val));
    };
    for (auto [key, val] : obj) {
      put(std::string(key), val);
      simdjson::dom::array keys;
      if (std::string_view(key) == "not_read" && !val.get(keys))  // keys whose page was not transcribed
        for (auto k : keys)
          if (k.is_string()) r.v["not_read." + std::string(std::string_view(k))] = "1";
      simdjson::dom::object sub;
      if (std::string_view(key) == "extra" && !val.get(sub))
        for (auto [k2, v2] : sub) put("extra." + std::string(k2), v2);  // "extra.http.request.method"
    }
    r.file = r.v["file"];
    r.line_no = std::stoull(r.v["line_no"]);
    r.line = r.v["line"];
    out.push_back(std::move(r));
  }
  return out;
}

// The lines of a file (without their newline).
inline std::vector<std::string> file_lines(const std::string& path) {
  std::vector<std::string> lines;
  std::ifstream in(path, std::ios::binary);
  std::string l;
  while (std::getline(in, l)) lines.push_back(l);
  return lines;
}

// Reads `text` as the CLI would (format detected from content).
struct TextRun {
  CollectSink sink;
  Diagnostics diag;
  FileStats stats;
  std::string error;
  bool ok = false;
  explicit TextRun(const std::string& text, const std::string& name = "oracle-line") {
    auto src = memory_byte_source(text);
    ok = read_input(*src, name, sink, diag, stats, error);
  }
};

// Reads each oracle record's line of `format` (after `header` when given: pfirewall.log's
// #Fields) through read_input, expects the format detected as `expect`, and hands the record
// and the run to `check`.
template <typename Check>
void each_record(const std::string& format, InputFormat expect, const std::string& header, Check check) {
  for (const auto& o : load_oracle(format)) {
    const auto lines = file_lines(oracle_dir(format) + "/" + o.file);
    ASSERT_LE(o.line_no, lines.size()) << o.file;
    TextRun r(header + lines[o.line_no - 1] + "\n");
    ASSERT_TRUE(r.ok) << r.error;
    EXPECT_EQ(r.stats.format, expect) << o.file << ":" << o.line_no;
    check(o, r);
  }
}

// Collects disagreements and counts agreeing records.
struct OracleCompare {
  std::vector<std::string> diffs;
  size_t records = 0, agree = 0;
  const OracleRecord* cur = nullptr;
  size_t diffs_before = 0;

  void begin(const OracleRecord& r) {
    cur = &r;
    ++records;
    diffs_before = diffs.size();
  }
  void end() {
    if (diffs.size() == diffs_before) ++agree;
  }
  void differ(const std::string& key, const std::string& ours, const std::string& theirs) {
    diffs.push_back(cur->file + ":" + std::to_string(cur->line_no) + " " + key + ": ours " + ours + " vs oracle " + theirs);
  }
  // Compares a key the oracle sets; when it does not set it, `ours_absent` says whether ours is
  // absent too (else a disagreement "ours X vs oracle (absent)").
  // A key the oracle did not transcribe for this record ("not_read") is not compared.
  bool not_read(const std::string& key) const {
    const std::string bare = key.starts_with("extra.") ? key.substr(6) : key;
    return cur->has("not_read." + bare);
  }
  void text(const std::string& key, const std::string& ours, bool ours_absent = false) {
    if (not_read(key)) return;
    if (!cur->has(key)) {
      if (!ours_absent) differ(key, ours, "(absent)");
      return;
    }
    if (ours_absent) differ(key, "(absent)", cur->at(key));
    else if (ours != cur->at(key)) differ(key, ours, cur->at(key));
  }
  void number(const std::string& key, double ours, bool ours_absent = false) {
    if (not_read(key)) return;
    if (!cur->has(key)) {
      if (!ours_absent) differ(key, fmt_num(ours), "(absent)");
      return;
    }
    const double theirs = std::stod(cur->at(key));
    if (ours_absent) differ(key, "(absent)", cur->at(key));
    else if (std::abs(ours - theirs) > 1e-6 * std::max(1.0, std::abs(theirs))) differ(key, fmt_num(ours), cur->at(key));
  }
  static std::string fmt_num(double d) {
    char b[64];
    std::snprintf(b, sizeof b, "%.6g", d);
    return b;
  }
};

// The flow keys every firewall oracle sets: addresses, ports, NAT, bytes each way, duration,
// user, application, transport, action. Ports and NAT ports are compared where the oracle has
// them; a NAT address the oracle leaves out must be absent from ours (has_nat false).
inline void compare_flow(OracleCompare& c, const FlowRecord& f) {
  c.text("source_ip", f.orig_h.to_string());
  c.text("destination_ip", f.resp_h.to_string());
  if (c.cur->has("source_port")) c.number("source_port", f.orig_p);
  if (c.cur->has("destination_port")) c.number("destination_port", f.resp_p);
  if (c.cur->has("source_nat_ip") || f.has_nat) c.text("source_nat_ip", f.nat_orig_h.to_string(), !f.has_nat);
  if (c.cur->has("destination_nat_ip")) c.text("destination_nat_ip", f.nat_resp_h.to_string(), !f.has_nat);
  if (c.cur->has("source_nat_port")) c.number("source_nat_port", f.nat_orig_p);
  if (c.cur->has("destination_nat_port")) c.number("destination_nat_port", f.nat_resp_p);
  c.number("bytes_sent", static_cast<double>(f.orig_bytes), f.bytes_unknown);
  c.number("bytes_received", static_cast<double>(f.resp_bytes), f.bytes_unknown);
  if (f.source != FlowSource::winfw)  // pfirewall.log has no duration (one row per connection)
    c.number("duration_s", static_cast<double>(f.end - f.start) / 1e9);
  c.text("user", f.user, f.user.empty());
  c.text("app", f.app, f.app.empty());
  c.text("transport", proto_name(f.proto));
  c.text("action", f.action, f.action.empty());
}

// "2018-11-30T16:08:51.000-05:00" -> the wall-clock part as UTC (what the log wrote, for
// logs without a zone), or the instant (with_zone).
inline TimeNs oracle_time(const std::string& s, bool with_zone) {
  std::string t = s;
  if (!with_zone) {
    if (t.size() > 19) t = t.substr(0, 19);
  }
  TimeNs out = kNoTime;
  parse_datetime(t, out);
  return out;
}

// Disagreements not in `explained` (each explained one must occur: a stale explanation fails).
inline std::vector<std::string> unexplained(const std::vector<std::string>& diffs, const std::vector<std::string>& explained) {
  std::vector<std::string> out;
  for (const auto& d : diffs)
    if (std::find(explained.begin(), explained.end(), d) == explained.end()) out.push_back("unexplained: " + d);
  for (const auto& e : explained)
    if (std::find(diffs.begin(), diffs.end(), e) == diffs.end()) out.push_back("explained but not seen: " + e);
  return out;
}

// One per line, for a failure message.
inline std::string joined(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& x : v) s += x + "\n";
  return s;
}

}  // namespace outflow::testing
