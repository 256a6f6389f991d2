// Zeek JSON logs (LogAscii::use_json): one object per line, parsed in place with simdjson
// On-Demand in a single pass over the keys. Which log a record belongs to comes from "_path"
// when the writer added it, else from the keys present.
#include <simdjson.h>

#include <array>
#include <cmath>
#include <cstring>
#include <string>
#include <string_view>

#include "outflow/read/flow_checks.h"
#include "outflow/read/input.h"
#include "outflow/read/zeek/zeek_aux.h"
#include "outflow/read/zeek/zeek_fields.h"

namespace outflow {

namespace {

namespace od = simdjson::ondemand;
using flowread::ZeekLog;
using flowread::ZField;

const char* error_name(simdjson::error_code e) {
  switch (e) {
    case simdjson::CAPACITY: return "CAPACITY";
    case simdjson::TAPE_ERROR: return "TAPE_ERROR";
    case simdjson::DEPTH_ERROR: return "DEPTH_ERROR";
    case simdjson::STRING_ERROR: return "STRING_ERROR";
    case simdjson::T_ATOM_ERROR: return "T_ATOM_ERROR";
    case simdjson::F_ATOM_ERROR: return "F_ATOM_ERROR";
    case simdjson::N_ATOM_ERROR: return "N_ATOM_ERROR";
    case simdjson::NUMBER_ERROR: return "NUMBER_ERROR";
    case simdjson::UTF8_ERROR: return "UTF8_ERROR";
    case simdjson::EMPTY: return "EMPTY";
    case simdjson::UNESCAPED_CHARS: return "UNESCAPED_CHARS";
    case simdjson::UNCLOSED_STRING: return "UNCLOSED_STRING";
    case simdjson::INCORRECT_TYPE: return "INCORRECT_TYPE";
    case simdjson::NUMBER_OUT_OF_RANGE: return "NUMBER_OUT_OF_RANGE";
    case simdjson::INCOMPLETE_ARRAY_OR_OBJECT: return "INCOMPLETE_ARRAY_OR_OBJECT";
    case simdjson::TRAILING_CONTENT: return "TRAILING_CONTENT";
    default: return "ERROR";
  }
}

// What one pass over a record's keys collects. String views point into the line or the
// parser's string buffer, valid until the next line.
struct JsonRecord {
  TimeNs ts = kNoTime;
  bool have_orig_h = false, have_resp_h = false;
  IpAddr orig_h, resp_h;
  uint16_t orig_p = 0, resp_p = 0;
  std::string_view proto, uid, service, conn_state, history, community_id, node_name, query, path;
  bool have_path = false, have_query = false, have_answers = false, conn_keys = false;
  // Keys that tell the other logs apart when there is no "_path".
  bool ssl_keys = false, http_keys = false, sip_keys = false, dhcp_keys = false, loss_keys = false, files_keys = false;
  std::array<std::string_view, flowread::kZFieldCount> text{};  // ssl/http/dhcp/capture_loss fields
  TimeNs duration = 0;
  uint64_t orig_bytes = 0, resp_bytes = 0, orig_pkts = 0, resp_pkts = 0, orig_ip_bytes = 0,
           resp_ip_bytes = 0, missed_bytes = 0;
  bool have_orig_pkts = false, have_resp_pkts = false;  // not null (flow_checks.h bounds bytes by them)
};

class ZeekJsonReader {
 public:
  ZeekJsonReader(LineReader& lines, ReadContext& ctx)
      : lines_(lines), ctx_(ctx), file_log_(flowread::zeek_log_from_file_name(ctx.file)) {}

  bool run() {
    std::string_view line;
    for (;;) {
      const LineReader::Status st = lines_.next(line);
      if (st == LineReader::Status::end) break;
      if (st == LineReader::Status::error) {
        finish_file();
        return false;
      }
      if (st == LineReader::Status::too_long) {
        bad("zeek json: line too long");
        continue;
      }
      size_t i = 0;
      while (i < line.size() && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r')) ++i;
      if (i == line.size()) continue;  // blank line
      // A file named like a log Outflow does not use, whose records have no "_path" (Zeek's
      // JSON writer adds none): once its first record has confirmed it, lines are counted, not
      // parsed.
      if (skip_unpathed_ && line.find("\"_path\"") == std::string_view::npos) {
        ++unpathed_lines_;
        continue;
      }
      record(line);
    }
    finish_file();
    return true;
  }

 private:
  void finish_file() {
    if (unpathed_lines_) unused_.add(file_log_, unpathed_lines_);
    unpathed_lines_ = 0;
    skips_.flush(ctx_.diag);
    unused_.flush(ctx_);
  }

  void bad(const std::string& reason) { flowread::report_bad(lines_, ctx_, reason); }
  void bad_json(simdjson::error_code e) {
    bad(std::string("json: ") + error_name(e) + " (" + simdjson::error_message(e) + ")");
  }

  // A number (kept exact through its text) or, for "ts", an ISO 8601 string.
  static bool time_value(od::value& v, TimeNs& out, bool allow_string) {
    od::json_type t;
    if (v.type().get(t)) return false;
    if (t == od::json_type::number) {
      std::string_view tok = v.raw_json_token();
      while (!tok.empty() && (tok.back() == ' ' || tok.back() == '\t' || tok.back() == '\r' ||
                              tok.back() == '\n'))
        tok.remove_suffix(1);
      if (flowread::parse_epoch(tok, out)) return true;
      double d;
      if (v.get_double().get(d) || !std::isfinite(d) || std::fabs(d) > 9e9) return false;
      out = static_cast<TimeNs>(std::llround(d * 1e9));
      return true;
    }
    if (t == od::json_type::string && allow_string) {
      std::string_view s;
      if (v.get_string().get(s)) return false;
      return parse_datetime(s, out) || flowread::parse_epoch(s, out);
    }
    return false;
  }

  static bool is_null(od::value& v) {
    bool n = false;
    return !v.is_null().get(n) && n;
  }

  // Strings; null reads as empty.
  static bool string_value(od::value& v, std::string_view& out) {
    if (is_null(v)) {
      out = {};
      return true;
    }
    return !v.get_string().get(out);
  }

  // Counts as numbers, digit strings or null (0).
  static bool count_value(od::value& v, uint64_t& out) {
    od::json_type t;
    if (v.type().get(t)) return false;
    if (t == od::json_type::number) return !v.get_uint64().get(out);
    if (t == od::json_type::null) {
      out = 0;
      return true;
    }
    if (t == od::json_type::string) {
      std::string_view s;
      return !v.get_string().get(s) && flowread::parse_u64(s, out);
    }
    return false;
  }

  static bool addr_value(od::value& v, IpAddr& out) {
    std::string_view s;
    return !v.get_string().get(s) && flowread::parse_ip(s, out);
  }

  static bool port_value(od::value& v, uint16_t& out) {
    uint64_t x;
    if (!count_value(v, x) || x > 65535) return false;
    out = static_cast<uint16_t>(x);
    return true;
  }

  // The text of a string or number (null and other types: empty). A number's raw token.
  static bool text_value(od::value& v, std::string_view& out) {
    od::json_type t;
    if (v.type().get(t)) return false;
    out = {};
    if (t == od::json_type::string) return !v.get_string().get(out);
    if (t == od::json_type::number) {
      out = v.raw_json_token();
      while (!out.empty() && (out.back() == ' ' || out.back() == '\t' || out.back() == '\r' || out.back() == '\n'))
        out.remove_suffix(1);
    }
    return true;
  }

  // Reads one field's value into the record. Returns a reason on failure, nullptr on success.
  const char* field(ZField id, od::value& v, JsonRecord& r) {
    if (id >= ZField::server_name) {
      switch (id) {
        case ZField::server_name:
        case ZField::ja3:
        case ZField::ja3s:
        case ZField::ssl_marker: r.ssl_keys = true; break;
        case ZField::method:
        case ZField::uri: r.http_keys = true; break;  // not trans_depth (smtp), status_code...
        case ZField::sip_marker: r.sip_keys = true; break;
        case ZField::assigned_addr:
        case ZField::client_addr:
        case ZField::host_name:
        case ZField::client_fqdn: r.dhcp_keys = true; break;
        case ZField::percent_lost: r.loss_keys = true; break;
        case ZField::seen_bytes: r.files_keys = true; break;
        default: break;
      }
      // files.log: sets are arrays (the first element names the connection or host), is_orig a bool.
      if (id == ZField::tx_hosts || id == ZField::conn_uids || id == ZField::is_orig) {
        od::json_type t;
        if (v.type().get(t)) return "zeek json: bad field value";
        if (t == od::json_type::array) {
          od::array arr;
          if (v.get_array().get(arr)) return "zeek json: bad field value";
          for (auto elem : arr) {
            std::string_view s;
            if (elem.get_string().get(s)) return "zeek json: bad field value";
            r.text[static_cast<size_t>(id)] = s;
            break;
          }
          return nullptr;
        }
        if (t == od::json_type::boolean) {
          bool b = false;
          if (v.get_bool().get(b)) return "zeek json: bad field value";
          r.text[static_cast<size_t>(id)] = b ? "T" : "F";
          return nullptr;
        }
      }
      if (id == ZField::ssl_marker || id == ZField::sip_marker) return nullptr;
      return text_value(v, r.text[static_cast<size_t>(id)]) ? nullptr : "zeek json: bad field value";
    }
    switch (id) {
      case ZField::ts: return time_value(v, r.ts, true) ? nullptr : "zeek json: bad ts";
      case ZField::orig_h:
        r.have_orig_h = true;
        return addr_value(v, r.orig_h) ? nullptr : "zeek json: bad id.orig_h";
      case ZField::resp_h:
        r.have_resp_h = true;
        return addr_value(v, r.resp_h) ? nullptr : "zeek json: bad id.resp_h";
      case ZField::orig_p: return port_value(v, r.orig_p) ? nullptr : "zeek json: bad id.orig_p";
      case ZField::resp_p: return port_value(v, r.resp_p) ? nullptr : "zeek json: bad id.resp_p";
      case ZField::proto: return string_value(v, r.proto) ? nullptr : "zeek json: bad proto";
      case ZField::uid: return string_value(v, r.uid) ? nullptr : "zeek json: bad uid";
      case ZField::service: return string_value(v, r.service) ? nullptr : "zeek json: bad service";
      case ZField::conn_state:
        r.conn_keys = true;
        return string_value(v, r.conn_state) ? nullptr : "zeek json: bad conn_state";
      case ZField::history: return string_value(v, r.history) ? nullptr : "zeek json: bad history";
      case ZField::community_id:
        return string_value(v, r.community_id) ? nullptr : "zeek json: bad community_id";
      case ZField::node_name:
        return string_value(v, r.node_name) ? nullptr : "zeek json: bad _node_name";
      case ZField::path:
        r.have_path = true;
        return string_value(v, r.path) ? nullptr : "zeek json: bad _path";
      case ZField::query:
        r.have_query = true;
        return string_value(v, r.query) ? nullptr : "zeek json: bad query";
      case ZField::duration:  // not a conn marker by itself: files.log has one too
        if (is_null(v)) return nullptr;
        return time_value(v, r.duration, false) && r.duration >= 0 ? nullptr : "zeek json: bad duration";
      case ZField::orig_bytes:
        r.conn_keys = true;
        return count_value(v, r.orig_bytes) ? nullptr : "zeek json: bad orig_bytes";
      case ZField::resp_bytes: return count_value(v, r.resp_bytes) ? nullptr : "zeek json: bad resp_bytes";
      case ZField::orig_pkts:
        r.conn_keys = true;
        r.have_orig_pkts = !is_null(v);
        return count_value(v, r.orig_pkts) ? nullptr : "zeek json: bad orig_pkts";
      case ZField::resp_pkts:
        r.have_resp_pkts = !is_null(v);
        return count_value(v, r.resp_pkts) ? nullptr : "zeek json: bad resp_pkts";
      case ZField::missed_bytes: return count_value(v, r.missed_bytes) ? nullptr : "zeek json: bad missed_bytes";
      case ZField::orig_ip_bytes:
        return count_value(v, r.orig_ip_bytes) ? nullptr : "zeek json: bad orig_ip_bytes";
      case ZField::resp_ip_bytes:
        return count_value(v, r.resp_ip_bytes) ? nullptr : "zeek json: bad resp_ip_bytes";
      case ZField::answers: {
        r.have_answers = true;
        if (is_null(v)) return nullptr;
        od::array arr;
        if (v.get_array().get(arr)) return "zeek json: bad answers";
        for (auto elem : arr) {
          std::string_view s;
          if (elem.get_string().get(s)) return "zeek json: bad answers";
          IpAddr ip;
          if (flowread::parse_ip(s, ip)) dns_.answers.push_back(ip);
          else if (dns_.ptr_name.empty() && !s.empty() && s.size() <= 253) dns_.ptr_name.assign(s);
        }
        return nullptr;
      }
      default: return nullptr;
    }
  }

  void record(std::string_view line) {
    const simdjson::padded_string_view psv(line.data(), line.size(), line.size() + LineReader::kPadding);
    od::document doc;
    if (auto e = parser_.iterate(psv).get(doc)) return bad_json(e);
    od::object obj;
    if (auto e = doc.get_object().get(obj)) {
      if (e == simdjson::INCORRECT_TYPE) return bad("json: not an object");
      return bad_json(e);
    }
    JsonRecord r;
    dns_.answers.clear();
    dns_.ptr_name.clear();
    for (auto fr : obj) {
      od::field f;
      if (auto e = std::move(fr).get(f)) return bad_json(e);
      // Keys are plain ASCII; a key with an escape just doesn't match any name.
      const char* k = f.key().raw();
      const char* q = static_cast<const char*>(std::memchr(k, '"', static_cast<size_t>(line.data() + line.size() - k)));
      if (!q) return bad_json(simdjson::TAPE_ERROR);
      const ZField id = flowread::zeek_field(std::string_view(k, static_cast<size_t>(q - k)));
      if (id == ZField::none) continue;
      if (const char* why = field(id, f.value(), r)) return bad(why);
    }
    ZeekLog log;
    std::string_view name = r.path;
    if (r.have_path && !r.path.empty()) {
      log = flowread::zeek_log_from_path(r.path);
    } else if (!file_log_.empty()) {
      // No "_path" (Zeek's JSON writer adds none): the file's name says which log it is.
      log = flowread::zeek_log_from_path(file_log_);
      name = file_log_;
      if (log == ZeekLog::other) skip_unpathed_ = true;
    } else if (r.have_query || r.have_answers) {
      log = ZeekLog::dns;
    } else if (r.conn_keys) {
      log = ZeekLog::conn;
    } else if (r.ssl_keys) {
      log = ZeekLog::ssl;
    } else if (r.http_keys && !r.sip_keys) {
      log = ZeekLog::http;
    } else if (r.loss_keys) {
      log = ZeekLog::capture_loss;
    } else if (r.files_keys) {
      log = ZeekLog::files;
    } else if (r.dhcp_keys && (!r.text[static_cast<size_t>(ZField::assigned_addr)].empty() ||
                               !r.text[static_cast<size_t>(ZField::client_addr)].empty())) {
      log = ZeekLog::dhcp;
    } else {
      log = ZeekLog::other;
      name = "(no _path)";
    }
    if (log == ZeekLog::conn || log == ZeekLog::open_conn) {
      conn(r, log);
    } else if (log == ZeekLog::dns) {
      dns(r);
    } else if (log == ZeekLog::other) {
      unused_.add(name, 1);
    } else {
      flowread::AuxInput in;
      if (r.ts != kNoTime && !in_record_range(r.ts)) return bad("zeek json: ts out of range (before 1970 or after 2099)");
      in.ts = r.ts;
      in.have_orig_h = r.have_orig_h;
      in.have_resp_h = r.have_resp_h;
      in.orig_h = r.orig_h;
      in.resp_h = r.resp_h;
      in.orig_p = r.orig_p;
      in.resp_p = r.resp_p;
      in.uid = r.uid;
      in.text = r.text;
      if (const char* why = flowread::deliver_aux(log, in, aux_, ctx_, skips_)) bad(why);
    }
  }

  void conn(const JsonRecord& r, ZeekLog log) {
    if (r.ts == kNoTime) return bad("zeek json: conn record without ts");
    if (!in_record_range(r.ts)) return bad("zeek json: ts out of range (before 1970 or after 2099)");
    if (!r.have_orig_h) return bad("zeek json: conn record without id.orig_h");
    if (!r.have_resp_h) return bad("zeek json: conn record without id.resp_h");
    FlowRecord& f = ctx_.sink.flow_slot(flow_);  // filled in place (RecordSink::flow_slot)
    flowread::reset_flow(f);
    f.source = log == ZeekLog::open_conn ? FlowSource::zeek_open_conn : FlowSource::zeek_conn;
    f.bidirectional = true;
    f.start = r.ts;
    if (!flowread::add_duration(r.ts, r.duration, f.end)) return bad("zeek json: bad duration");
    f.orig_h = r.orig_h;
    f.resp_h = r.resp_h;
    f.orig_p = r.orig_p;
    f.resp_p = r.resp_p;
    f.proto = r.proto.empty() ? 0 : parse_proto(r.proto);
    f.orig_bytes = r.orig_bytes;
    f.resp_bytes = r.resp_bytes;
    f.orig_pkts = r.orig_pkts;
    f.resp_pkts = r.resp_pkts;
    f.orig_ip_bytes = r.orig_ip_bytes;
    f.resp_ip_bytes = r.resp_ip_bytes;
    checks_.check(f, r.have_orig_pkts, r.have_resp_pkts, r.missed_bytes, kCheckNames, lines_, ctx_);
    assign_capped(f.uid, r.uid, flowread::kMaxFlowText);
    assign_capped(f.conn_state, r.conn_state, flowread::kMaxFlowText);
    assign_capped(f.history, r.history, flowread::kMaxFlowText);
    assign_capped(f.service, r.service, flowread::kMaxFlowText);
    assign_capped(f.community_id, r.community_id, flowread::kMaxFlowText);
    assign_capped(f.sensor, r.node_name, flowread::kMaxFlowText);
    ctx_.sink.commit_flow(f);
    ++ctx_.stats.flows;
  }

  void dns(const JsonRecord& r) {
    if (r.ts == kNoTime) return bad("zeek json: dns record without ts");
    if (!in_record_range(r.ts)) return bad("zeek json: ts out of range (before 1970 or after 2099)");
    // Every query counts (DNS tunnelling view); those without an address answer name nothing.
    if (r.query.empty() && dns_.answers.empty()) return skips_.add("zeek dns (no query, no address answer)");
    dns_.time = r.ts;
    dns_.client = r.have_orig_h ? r.orig_h : IpAddr{};
    dns_.server = r.have_resp_h ? r.resp_h : IpAddr{};
    dns_.qtype = 0;
    if (uint64_t qt = 0; flowread::parse_u64(r.text[static_cast<size_t>(ZField::qtype)], qt) && qt <= 65535)
      dns_.qtype = static_cast<uint16_t>(qt);
    assign_capped(dns_.query, r.query, flowread::kMaxFlowText);
    ctx_.sink.on_dns(dns_);
    ++ctx_.stats.dns;
  }

  LineReader& lines_;
  ReadContext& ctx_;
  od::parser parser_;
  flowread::SkipCounter skips_;
  flowread::UnusedLogs unused_;
  std::string_view file_log_;  // the Zeek log the file's name says (zeek_log_from_file_name), or empty
  bool skip_unpathed_ = false;
  uint64_t unpathed_lines_ = 0;
  FlowRecord flow_;
  DnsAnswer dns_;
  flowread::AuxRecords aux_;
  flowread::FlowChecks checks_;
  static constexpr flowread::FlowChecks::Fields kCheckNames{"zeek json", "orig_bytes", "orig_pkts", "resp_bytes", "resp_pkts"};
};

}  // namespace

bool read_zeek_json(LineReader& lines, ReadContext& ctx) {
  ZeekJsonReader r(lines, ctx);
  return r.run();
}

}  // namespace outflow
