// Zeek TSV logs (the ASCII writer's default): a header block of "#" lines, then one record per
// line with fields split by the #separator. Headers may repeat mid-file (concatenated or
// rotated logs), each block replacing the last.
#include <array>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "outflow/read/flow_checks.h"
#include "outflow/read/input.h"
#include "outflow/read/zeek/zeek_aux.h"
#include "outflow/read/zeek/zeek_fields.h"

namespace outflow {

namespace {

using flowread::ZeekLog;
using flowread::ZField;

// "\x09" -> tab; also "\t" (some writers, e.g. RITA's dnscat2 sample, put that); other text as is.
std::string unescape_header_value(std::string_view v) {
  std::string out;
  for (size_t i = 0; i < v.size(); ++i) {
    if (v[i] == '\\' && i + 1 < v.size() && (v[i + 1] == 't' || v[i + 1] == '\\')) {
      out.push_back(v[i + 1] == 't' ? '\t' : '\\');
      ++i;
      continue;
    }
    if (v[i] == '\\' && i + 3 < v.size() && v[i + 1] == 'x') {
      unsigned x = 0;
      const auto [p, ec] = std::from_chars(v.data() + i + 2, v.data() + i + 4, x, 16);
      if (ec == std::errc() && p == v.data() + i + 4) {
        out.push_back(static_cast<char>(x));
        i += 3;
        continue;
      }
    }
    out.push_back(v[i]);
  }
  return out;
}

class ZeekTsvReader {
 public:
  ZeekTsvReader(LineReader& lines, ReadContext& ctx) : lines_(lines), ctx_(ctx) {
    reset_header();
    fields_.reserve(64);
  }

  bool run() {
    std::string_view line;
    for (;;) {
      const LineReader::Status st = lines_.next(line);
      if (st == LineReader::Status::end) break;
      if (st == LineReader::Status::error) {
        flush_skips();
        finish_file();
        return false;
      }
      if (st == LineReader::Status::too_long) {
        bad("zeek: line too long");
        continue;
      }
      if (line.empty()) continue;
      if (line[0] == '#') {
        header_line(line);
        continue;
      }
      data_line(line);
    }
    flush_skips();
    finish_file();
    return true;
  }

 private:
  void finish_file() {
    skips_.flush(ctx_.diag);
    unused_.flush(ctx_);
  }

  void bad(const char* reason) { flowread::report_bad(lines_, ctx_, reason); }

  void reset_header() {
    sep_ = '\t';
    set_sep_ = ',';
    empty_field_ = "(empty)";
    unset_field_ = "-";
    path_.clear();
    have_fields_ = false;
    ncols_ = 0;
    col_.fill(-1);
    log_ = ZeekLog::none;
  }

  void flush_skips() {
    // A log Outflow does not use (x509, weird...): its lines are counted, not parsed.
    if (skipped_) unused_.add(unused_name_, skipped_);
    skipped_ = 0;
    if (dns_no_ip_) ctx_.diag.skipped("zeek dns (no query, no address answer)", dns_no_ip_);
    dns_no_ip_ = 0;
  }

  void header_line(std::string_view line) {
    if (line.starts_with("#separator")) {
      // A new header block (concatenated logs): back to the defaults.
      flush_skips();
      reset_header();
      std::string_view v = line.substr(10);
      if (v.size() > 1 && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
      const std::string s = unescape_header_value(v);
      if (s.size() == 1) {
        sep_ = s[0];
      } else {
        bad("zeek: unsupported #separator (not one character)");
      }
      return;
    }
    const size_t p = line.find(sep_);
    const std::string_view name = line.substr(1, p == std::string_view::npos ? line.size() - 1 : p - 1);
    const std::string_view value = p == std::string_view::npos ? std::string_view{} : line.substr(p + 1);
    if (name == "set_separator") {
      const std::string s = unescape_header_value(value);
      if (s.size() == 1) set_sep_ = s[0];
    } else if (name == "empty_field") {
      empty_field_ = unescape_header_value(value);
    } else if (name == "unset_field") {
      unset_field_ = unescape_header_value(value);
    } else if (name == "path") {
      flush_skips();
      path_.assign(value);
      classify();
    } else if (name == "fields") {
      flush_skips();
      col_.fill(-1);
      ncols_ = 0;
      size_t start = 0;
      for (;;) {
        const size_t e = value.find(sep_, start);
        const std::string_view f = value.substr(start, e == std::string_view::npos ? e : e - start);
        const ZField id = flowread::zeek_field(f);
        if (id != ZField::none && col_[static_cast<size_t>(id)] < 0)
          col_[static_cast<size_t>(id)] = static_cast<int>(ncols_);
        ++ncols_;
        if (e == std::string_view::npos) break;
        start = e + 1;
      }
      have_fields_ = true;
      classify();
    }
    // #types, #open, #close and unknown directives: nothing to do.
  }

  bool has(ZField f) const { return col_[static_cast<size_t>(f)] >= 0; }

  void classify() {
    log_ = flowread::zeek_log_from_path(path_);
    if (log_ == ZeekLog::none && have_fields_) {
      // No #path: recognise the log by its columns.
      if (has(ZField::query) && has(ZField::answers))
        log_ = ZeekLog::dns;
      else if (has(ZField::conn_state) || has(ZField::orig_bytes) || has(ZField::orig_pkts))  // not duration: files.log
        log_ = ZeekLog::conn;
      else if (has(ZField::server_name) || has(ZField::ja3))
        log_ = ZeekLog::ssl;
      else if (has(ZField::method) && has(ZField::uri) && !has(ZField::sip_marker))
        log_ = ZeekLog::http;
      else if (has(ZField::percent_lost))
        log_ = ZeekLog::capture_loss;
      else if (has(ZField::seen_bytes) && (has(ZField::conn_uids) || has(ZField::is_orig)))
        log_ = ZeekLog::files;
      else if (has(ZField::host_name) && (has(ZField::assigned_addr) || has(ZField::client_addr)))
        log_ = ZeekLog::dhcp;
      else
        log_ = ZeekLog::other;
    }
    unused_name_ = path_.empty() ? std::string("(no #path)") : path_;
    // A header block of a log not used counts its file even without data lines.
    if (log_ == ZeekLog::other && have_fields_) unused_.add(unused_name_, 0);
  }

  std::string_view get(ZField f) const {
    const int c = col_[static_cast<size_t>(f)];
    return c < 0 ? std::string_view{} : fields_[static_cast<size_t>(c)];
  }
  bool unset(std::string_view v) const { return v.empty() || v == unset_field_ || v == empty_field_; }

  void data_line(std::string_view line) {
    if (!have_fields_) {
      bad("zeek: data line before #fields header");
      return;
    }
    if (log_ == ZeekLog::other) {
      ++skipped_;
      return;
    }
    fields_.clear();
    const char* p = line.data();
    const char* const e = p + line.size();
    for (;;) {
      const char* t = static_cast<const char*>(std::memchr(p, sep_, static_cast<size_t>(e - p)));
      if (!t) {
        fields_.emplace_back(p, static_cast<size_t>(e - p));
        break;
      }
      fields_.emplace_back(p, static_cast<size_t>(t - p));
      p = t + 1;
    }
    // A separator at the end of the line (RITA's dnscat2 http.log has one on every line): one
    // empty column more than #fields, ignored.
    if (fields_.size() == ncols_ + 1 && fields_.back().empty()) fields_.pop_back();
    if (fields_.size() != ncols_) {
      bad(fields_.size() < ncols_ ? "zeek: too few columns (truncated line?)" : "zeek: too many columns");
      return;
    }
    if (log_ == ZeekLog::dns)
      dns_record();
    else if (log_ == ZeekLog::conn || log_ == ZeekLog::open_conn)
      conn_record();
    else
      aux_record();
  }

  // ssl, http, dhcp, capture_loss, files (zeek_aux.h).
  void aux_record() {
    flowread::AuxInput in;
    if (const std::string_view v = get(ZField::ts); !unset(v) && !time_field(in.ts)) return;
    if (const std::string_view v = get(ZField::orig_h); !unset(v)) {
      if (!addr_field(ZField::orig_h, in.orig_h, "zeek: bad id.orig_h")) return;
      in.have_orig_h = true;
    }
    if (const std::string_view v = get(ZField::resp_h); !unset(v)) {
      if (!addr_field(ZField::resp_h, in.resp_h, "zeek: bad id.resp_h")) return;
      in.have_resp_h = true;
    }
    if (!port_field(ZField::orig_p, in.orig_p, "zeek: bad id.orig_p")) return;
    if (!port_field(ZField::resp_p, in.resp_p, "zeek: bad id.resp_p")) return;
    if (const std::string_view v = get(ZField::uid); !unset(v)) in.uid = v;
    for (size_t i = static_cast<size_t>(ZField::server_name); i < flowread::kZFieldCount; ++i) {
      const std::string_view v = get(static_cast<ZField>(i));
      if (!unset(v)) in.text[i] = v;
    }
    if (const char* why = flowread::deliver_aux(log_, in, aux_, ctx_, skips_)) bad(why);
  }

  bool time_field(TimeNs& t) {
    const std::string_view v = get(ZField::ts);
    if (unset(v) || !flowread::parse_epoch(v, t)) {
      bad("zeek: bad ts");
      return false;
    }
    if (!in_record_range(t)) {
      bad("zeek: ts out of range (before 1970 or after 2099)");
      return false;
    }
    return true;
  }

  bool addr_field(ZField f, IpAddr& a, const char* reason) {
    const std::string_view v = get(f);
    if (unset(v) || !flowread::parse_ip(v, a)) {
      bad(reason);
      return false;
    }
    return true;
  }

  bool port_field(ZField f, uint16_t& port, const char* reason) {
    const std::string_view v = get(f);
    if (unset(v)) return true;
    if (!flowread::parse_port(v, port)) {
      bad(reason);
      return false;
    }
    return true;
  }

  void string_field(ZField f, std::string& out) const {
    const std::string_view v = get(f);
    if (!unset(v)) assign_capped(out, v, flowread::kMaxFlowText);
  }

  void conn_record() {
    FlowRecord& f = ctx_.sink.flow_slot(flow_);  // filled in place (RecordSink::flow_slot)
    flowread::reset_flow(f);
    f.source = log_ == ZeekLog::open_conn ? FlowSource::zeek_open_conn : FlowSource::zeek_conn;
    f.bidirectional = true;
    if (!time_field(f.start)) return;
    if (!addr_field(ZField::orig_h, f.orig_h, "zeek: bad id.orig_h")) return;
    if (!addr_field(ZField::resp_h, f.resp_h, "zeek: bad id.resp_h")) return;
    if (!port_field(ZField::orig_p, f.orig_p, "zeek: bad id.orig_p")) return;
    if (!port_field(ZField::resp_p, f.resp_p, "zeek: bad id.resp_p")) return;
    if (const std::string_view v = get(ZField::proto); !unset(v)) f.proto = parse_proto(v);
    TimeNs dur = 0;
    if (const std::string_view v = get(ZField::duration);
        (!unset(v) && !flowread::parse_seconds(v, dur)) || !flowread::add_duration(f.start, dur, f.end)) {
      bad("zeek: bad duration");
      return;
    }
    struct CountField {
      ZField id;
      uint64_t FlowRecord::*member;
      const char* reason;
    };
    static constexpr CountField kCounts[] = {
        {ZField::orig_bytes, &FlowRecord::orig_bytes, "zeek: bad orig_bytes"},
        {ZField::resp_bytes, &FlowRecord::resp_bytes, "zeek: bad resp_bytes"},
        {ZField::orig_pkts, &FlowRecord::orig_pkts, "zeek: bad orig_pkts"},
        {ZField::resp_pkts, &FlowRecord::resp_pkts, "zeek: bad resp_pkts"},
        {ZField::orig_ip_bytes, &FlowRecord::orig_ip_bytes, "zeek: bad orig_ip_bytes"},
        {ZField::resp_ip_bytes, &FlowRecord::resp_ip_bytes, "zeek: bad resp_ip_bytes"},
    };
    for (const CountField& c : kCounts) {
      const std::string_view v = get(c.id);
      if (unset(v)) continue;
      if (!flowread::parse_u64(v, f.*c.member)) {
        bad(c.reason);
        return;
      }
    }
    uint64_t missed = 0;
    if (const std::string_view v = get(ZField::missed_bytes); !unset(v) && !flowread::parse_u64(v, missed)) {
      bad("zeek: bad missed_bytes");
      return;
    }
    checks_.check(f, !unset(get(ZField::orig_pkts)), !unset(get(ZField::resp_pkts)), missed, kCheckNames, lines_, ctx_);
    string_field(ZField::uid, f.uid);
    string_field(ZField::conn_state, f.conn_state);
    string_field(ZField::history, f.history);
    string_field(ZField::service, f.service);
    string_field(ZField::community_id, f.community_id);
    string_field(ZField::node_name, f.sensor);
    ctx_.sink.commit_flow(f);
    ++ctx_.stats.flows;
  }

  void dns_record() {
    DnsAnswer& d = dns_;
    d.answers.clear();
    d.query.clear();
    d.ptr_name.clear();
    d.client = IpAddr{};
    d.time = kNoTime;
    if (!time_field(d.time)) return;
    if (const std::string_view v = get(ZField::orig_h); !unset(v) && !flowread::parse_ip(v, d.client)) {
      bad("zeek: bad id.orig_h");
      return;
    }
    const std::string_view ans = get(ZField::answers);
    if (!unset(ans)) {
      size_t start = 0;
      for (;;) {
        const size_t e = ans.find(set_sep_, start);
        const std::string_view a = ans.substr(start, e == std::string_view::npos ? e : e - start);
        IpAddr ip;
        if (flowread::parse_ip(a, ip)) d.answers.push_back(ip);
        else if (d.ptr_name.empty() && !a.empty() && a.size() <= 253) d.ptr_name.assign(a);
        if (e == std::string_view::npos) break;
        start = e + 1;
      }
    }
    string_field(ZField::query, d.query);  // cut like every flow text field (DNS allows 253)
    // Every query counts (DNS tunnelling view); those without an address answer name nothing.
    if (d.answers.empty() && d.query.empty()) {
      ++dns_no_ip_;
      return;
    }
    d.server = IpAddr{};
    if (const std::string_view v = get(ZField::resp_h); !unset(v)) flowread::parse_ip(v, d.server);
    d.qtype = 0;
    if (uint64_t qt = 0; flowread::parse_u64(get(ZField::qtype), qt) && qt <= 65535) d.qtype = static_cast<uint16_t>(qt);
    ctx_.sink.on_dns(d);
    ++ctx_.stats.dns;
  }

  LineReader& lines_;
  ReadContext& ctx_;
  char sep_ = '\t', set_sep_ = ',';
  std::string empty_field_, unset_field_, path_, unused_name_;
  bool have_fields_ = false;
  size_t ncols_ = 0;
  std::array<int, flowread::kZFieldCount> col_{};
  ZeekLog log_ = ZeekLog::none;
  std::vector<std::string_view> fields_;
  uint64_t skipped_ = 0, dns_no_ip_ = 0;
  FlowRecord flow_;
  DnsAnswer dns_;
  flowread::AuxRecords aux_;
  flowread::SkipCounter skips_;
  flowread::UnusedLogs unused_;
  flowread::FlowChecks checks_;
  static constexpr flowread::FlowChecks::Fields kCheckNames{"zeek", "orig_bytes", "orig_pkts", "resp_bytes", "resp_pkts"};
};

}  // namespace

bool read_zeek_tsv(LineReader& lines, ReadContext& ctx) {
  ZeekTsvReader r(lines, ctx);
  return r.run();
}

}  // namespace outflow
