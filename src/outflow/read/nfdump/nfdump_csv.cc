// nfdump "-o csv" exports: a "ts,te,td,sa,da,sp,dp,pr,..." header, one unidirectional flow per
// line, and a summary block at the end ("Summary", "flows,bytes,packets,...", one line of
// totals). Columns are mapped by name, so reordered or extended exports still read.
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "outflow/read/flow_checks.h"
#include "outflow/read/input.h"
#include "outflow/read/zeek/zeek_fields.h"

namespace outflow {

namespace {

enum Col : size_t { c_ts, c_te, c_td, c_sa, c_da, c_sp, c_dp, c_pr, c_ipkt, c_ibyt, c_opkt, c_obyt, c_count };

constexpr std::string_view kColNames[c_count] = {"ts", "te", "td", "sa", "da", "sp",
                                                 "dp", "pr", "ipkt", "ibyt", "opkt", "obyt"};

// Protocol names nfdump prints that parse_proto does not know.
uint8_t nfdump_proto(std::string_view s) {
  if (const uint8_t p = parse_proto(s)) return p;
  auto eq = [&](std::string_view w) {
    if (s.size() != w.size()) return false;
    for (size_t i = 0; i < s.size(); ++i)
      if ((s[i] | 0x20) != w[i]) return false;
    return true;
  };
  if (eq("igmp")) return 2;
  if (eq("gre")) return 47;
  if (eq("esp")) return 50;
  if (eq("ah")) return 51;
  if (eq("sctp")) return 132;
  return 0;
}

// Ports; ICMP "type.code" as type*256+code, as nfdump stores it.
bool parse_nf_port(std::string_view s, uint16_t& out) {
  if (flowread::parse_port(s, out)) return true;
  const size_t dot = s.find('.');
  uint16_t type, code;
  if (dot == std::string_view::npos || !flowread::parse_port(s.substr(0, dot), type) ||
      !flowread::parse_port(s.substr(dot + 1), code) || type > 255 || code > 255)
    return false;
  out = static_cast<uint16_t>(type * 256 + code);
  return true;
}

class NfdumpCsvReader {
 public:
  NfdumpCsvReader(LineReader& lines, ReadContext& ctx) : lines_(lines), ctx_(ctx) {
    const size_t slash = ctx.file.find_last_of('/');
    sensor_ = slash == std::string::npos ? ctx.file : ctx.file.substr(slash + 1);
    fields_.reserve(64);
  }

  bool run() {
    std::string_view line;
    bool ok = true;
    for (;;) {
      const LineReader::Status st = lines_.next(line);
      if (st == LineReader::Status::end) break;
      if (st == LineReader::Status::error) {
        ok = false;
        break;
      }
      if (st == LineReader::Status::too_long) {
        bad("nfdump: line too long");
        continue;
      }
      handle(line);
    }
    if (summary_lines_) ctx_.diag.skipped("nfdump summary", summary_lines_);
    return ok;
  }

 private:
  void bad(const char* reason) { flowread::report_bad(lines_, ctx_, reason); }

  void split(std::string_view line) {
    fields_.clear();
    const char* p = line.data();
    const char* const e = p + line.size();
    for (;;) {
      const char* t = static_cast<const char*>(std::memchr(p, ',', static_cast<size_t>(e - p)));
      if (!t) {
        fields_.emplace_back(p, static_cast<size_t>(e - p));
        return;
      }
      fields_.emplace_back(p, static_cast<size_t>(t - p));
      p = t + 1;
    }
  }

  void header(std::string_view line) {
    split(line);
    ncols_ = fields_.size();
    for (auto& c : col_) c = -1;
    for (size_t i = 0; i < fields_.size(); ++i) {
      const std::string_view name = flowread::trim_spaces(fields_[i]);
      for (size_t k = 0; k < c_count; ++k)
        if (name == kColNames[k] && col_[k] < 0) col_[k] = static_cast<int>(i);
    }
    have_header_ = col_[c_ts] >= 0 && col_[c_sa] >= 0 && col_[c_da] >= 0;
    if (!have_header_) bad("nfdump: header without ts, sa and da columns");
  }

  std::string_view get(Col c) const {
    const int i = col_[c];
    return i < 0 ? std::string_view{} : flowread::trim_spaces(fields_[static_cast<size_t>(i)]);
  }

  void handle(std::string_view line) {
    if (skip_totals_) {  // the line of totals after "flows,bytes,packets,..."
      skip_totals_ = false;
      ++summary_lines_;
      return;
    }
    if (line.empty()) return;
    if (line.starts_with("ts,")) return header(line);
    if (line == "Summary" || line.starts_with("No matching flows")) {
      ++summary_lines_;
      return;
    }
    if (line.starts_with("flows,bytes,packets")) {
      ++summary_lines_;
      skip_totals_ = true;
      return;
    }
    if (!have_header_) return bad("nfdump: data line before header");
    split(line);
    if (fields_.size() != ncols_)
      return bad(fields_.size() < ncols_ ? "nfdump: too few columns (truncated line?)"
                                         : "nfdump: too many columns");
    FlowRecord& f = flow_;
    flowread::reset_flow(f);
    f.source = FlowSource::nfdump;
    f.bidirectional = false;
    // nfdump prints the exporter's local time without a zone; these exports are UTC.
    switch (parse_record_time(get(c_ts), f.start)) {
      case TimeParse::ok: break;
      case TimeParse::bad: return bad("nfdump: bad ts");
      case TimeParse::out_of_range: return bad("nfdump: ts out of range (before 1970 or after 2099)");
    }
    f.end = f.start;
    if (col_[c_te] >= 0) {
      if (parse_record_time(get(c_te), f.end) != TimeParse::ok) return bad("nfdump: bad te");
      if (f.end < f.start) return bad("nfdump: te before ts (negative duration)");
    } else if (col_[c_td] >= 0) {
      TimeNs d = 0;
      if (!flowread::parse_seconds(get(c_td), d) || !flowread::add_duration(f.start, d, f.end))
        return bad("nfdump: bad td");
    }
    if (!flowread::parse_ip(get(c_sa), f.orig_h)) return bad("nfdump: bad sa");
    if (!flowread::parse_ip(get(c_da), f.resp_h)) return bad("nfdump: bad da");
    if (col_[c_sp] >= 0 && !parse_nf_port(get(c_sp), f.orig_p)) return bad("nfdump: bad sp");
    if (col_[c_dp] >= 0 && !parse_nf_port(get(c_dp), f.resp_p)) return bad("nfdump: bad dp");
    if (col_[c_pr] >= 0) f.proto = nfdump_proto(get(c_pr));
    struct CountCol {
      Col c;
      uint64_t FlowRecord::*member;
      const char* reason;
    };
    static constexpr CountCol kCounts[] = {
        {c_ipkt, &FlowRecord::orig_pkts, "nfdump: bad ipkt"},
        {c_ibyt, &FlowRecord::orig_bytes, "nfdump: bad ibyt"},
        {c_opkt, &FlowRecord::resp_pkts, "nfdump: bad opkt"},
        {c_obyt, &FlowRecord::resp_bytes, "nfdump: bad obyt"},
    };
    for (const CountCol& cc : kCounts) {
      if (col_[cc.c] < 0) continue;
      if (!flowread::parse_u64(get(cc.c), f.*cc.member)) return bad(cc.reason);
    }
    checks_.check(f, col_[c_ipkt] >= 0, col_[c_opkt] >= 0, 0, kCheckNames, lines_, ctx_);
    f.sensor.assign(sensor_);
    ctx_.sink.on_flow(f);
    ++ctx_.stats.flows;
  }

  LineReader& lines_;
  ReadContext& ctx_;
  std::string sensor_;
  std::vector<std::string_view> fields_;
  int col_[c_count] = {-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1};
  size_t ncols_ = 0;
  bool have_header_ = false, skip_totals_ = false;
  uint64_t summary_lines_ = 0;
  FlowRecord flow_;
  flowread::FlowChecks checks_;
  static constexpr flowread::FlowChecks::Fields kCheckNames{"nfdump", "ibyt", "ipkt", "obyt", "opkt"};
};

}  // namespace

bool read_nfdump_csv(LineReader& lines, ReadContext& ctx) {
  NfdumpCsvReader r(lines, ctx);
  return r.run();
}

}  // namespace outflow
