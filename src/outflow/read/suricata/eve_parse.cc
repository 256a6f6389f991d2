#include "outflow/read/suricata/eve_parse.h"

#include <cstring>

#include "outflow/read/line_reader.h"
#include "outflow/read/zeek/zeek_fields.h"

namespace outflow::suricata {

namespace {

namespace od = simdjson::ondemand;

// An object key, compared in place with the literals it may be: the bytes after the opening
// quote are the literal's, then the closing quote. No length is scanned for (a library call per
// key was a tenth of the reader's time). Reading a literal's length past a short key stays in
// the line or its padding (LineReader::kPadding readable bytes after every line; literals are
// shorter). Keys are plain ASCII in EVE: a key with an escape matches nothing.
class Key {
 public:
  explicit Key(const char* p) : p_(p) {}
  template <size_t N>
  bool operator==(const char (&lit)[N]) const {
    static_assert(N < LineReader::kPadding);
    return std::memcmp(p_, lit, N - 1) == 0 && p_[N - 1] == '"';
  }
  // The first byte ('"' for an empty key).
  char front() const { return *p_; }

 private:
  const char* p_;
};

bool is_null(od::value& v) {
  bool n = false;
  return !v.is_null().get(n) && n;
}

// True when `s` holds no backslash: eight bytes at a time (the classic has-zero-byte test on
// the bytes XOR '\\'), inline; EVE's strings are short and a memchr call each cost more.
bool no_backslash(std::string_view s) {
  size_t i = 0;
  for (; i + 8 <= s.size(); i += 8) {
    uint64_t x;
    std::memcpy(&x, s.data() + i, 8);
    x ^= 0x5C5C5C5C5C5C5C5CULL;
    if ((x - 0x0101010101010101ULL) & ~x & 0x8080808080808080ULL) return false;
  }
  for (; i < s.size(); ++i)
    if (s[i] == '\\') return false;
  return true;
}

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

// A string; null reads as empty. Fast path: a string without escapes is its raw token (stage 1
// has matched its quotes and checked its UTF-8), a view into the line with no copy into
// simdjson's string buffer; escapes, nulls and wrong types go through get_string(). Measured
// on the bench's eve.json: get_string() and its unescaping were a seventh of the reader's time.
bool str(od::value& v, std::string_view& out) {
  const std::string_view tok = v.raw_json_token();
  if (!tok.empty() && tok.front() == '"') {
    size_t n = tok.size();
    while (n > 1 && is_space(tok[n - 1])) --n;
    if (n >= 2 && tok[n - 1] == '"') {
      const std::string_view body = tok.substr(1, n - 2);
      if (no_backslash(body)) {
        out = body;
        return true;
      }
    }
  }
  if (is_null(v)) {
    out = {};
    return true;
  }
  return !v.get_string().get(out);
}

// A non-negative integer (a negative or fractional count is malformed); null reads as 0.
// Fast path: up to 19 plain digits read from the raw token; anything else (a sign, a fraction,
// an exponent, 20 digits) goes through get_uint64(), which says what is wrong.
bool count(od::value& v, uint64_t& out) {
  const std::string_view tok = v.raw_json_token();
  size_t i = 0;
  uint64_t x = 0;
  while (i < tok.size() && i < 19 && tok[i] >= '0' && tok[i] <= '9') x = x * 10 + static_cast<uint64_t>(tok[i++] - '0');
  if (i > 0 && (i == tok.size() || tok[i] == ',' || tok[i] == '}' || tok[i] == ']' || is_space(tok[i])) &&
      (i == 1 || tok[0] != '0')) {
    out = x;
    return true;
  }
  if (is_null(v)) {
    out = 0;
    return true;
  }
  return !v.get_uint64().get(out);
}

bool port(od::value& v, uint16_t& out) {
  uint64_t x = 0;
  if (!count(v, x) || x > 65535) return false;
  out = static_cast<uint16_t>(x);
  return true;
}

// A number's digits as written (flow_id: up to 2^64, kept as text, the uid of the flow).
bool digits(od::value& v, std::string_view& out) {
  od::json_type t;
  if (v.type().get(t) || t != od::json_type::number) return false;
  out = v.raw_json_token();
  while (!out.empty() && (out.back() == ' ' || out.back() == '\t' || out.back() == '\r' || out.back() == '\n'))
    out.remove_suffix(1);
  if (out.empty() || out.size() > 20) return false;
  for (const char c : out)
    if (c < '0' || c > '9') return false;
  return true;
}

// An object's fields, each handed to `f(key, value)`; false on malformed JSON or when `f` says so.
template <class F>
bool each(od::value& v, F&& f) {
  od::object obj;
  if (v.get_object().get(obj)) return false;
  for (auto fr : obj) {
    od::field fl;
    if (std::move(fr).get(fl)) return false;
    const Key k(fl.key().raw());
    od::value val = fl.value();
    if (!f(k, val)) return false;
  }
  return true;
}

// One DNS answer: an address goes to answers, the first name to ptr_name (a CNAME's target,
// a PTR's host name).
void dns_rdata(std::string_view rdata, DnsAnswer& dns) {
  IpAddr ip;
  if (flowread::parse_ip(rdata, ip)) {
    if (dns.answers.size() < 256) dns.answers.push_back(ip);
  } else if (dns.ptr_name.empty() && !rdata.empty() && rdata.size() <= 253) {
    dns.ptr_name.assign(rdata);
  }
}

bool dns_answers(od::value& v, DnsAnswer& dns) {
  od::array arr;
  if (v.get_array().get(arr)) return false;
  for (auto e : arr) {
    od::value item;
    if (e.get(item)) return false;
    const bool ok = each(item, [&](Key k, od::value& x) {
      if (k != "rdata") return true;
      std::string_view s;
      if (is_null(x)) return true;
      od::json_type t;
      if (x.type().get(t)) return false;
      if (t != od::json_type::string) return true;  // SOA, SRV...: objects, no address
      if (x.get_string().get(s)) return false;
      dns_rdata(s, dns);
      return true;
    });
    if (!ok) return false;
  }
  return true;
}

bool dns_object(od::value& v, EveDns& d, DnsAnswer& dns) {
  d.present = true;
  return each(v, [&](Key k, od::value& x) {
    if (k == "type") return str(x, d.type);
    if (k == "rrname") return str(x, d.rrname);
    if (k == "rrtype") return str(x, d.rrtype);
    if (k == "id") return count(x, d.id);
    if (k == "version") {
      uint64_t n = 0;
      if (!count(x, n)) return false;
      d.version = static_cast<int>(std::min<uint64_t>(n, 99));
      return true;
    }
    if (k == "rdata") {  // v1: one answer per event
      std::string_view s;
      if (!str(x, s)) return true;  // not a string: no address
      dns_rdata(s, dns);
      return true;
    }
    if (k == "answers") return dns_answers(x, dns);
    if (k == "queries") {  // v3: [{"rrname":..., "rrtype":...}]
      od::array arr;
      if (x.get_array().get(arr)) return false;
      for (auto e : arr) {
        od::value q;
        if (e.get(q)) return false;
        if (!each(q, [&](Key qk, od::value& qv) {
              if (qk == "rrname") return str(qv, d.rrname);
              if (qk == "rrtype") return str(qv, d.rrtype);
              return true;
            }))
          return false;
        break;  // the first query (DNS servers answer one)
      }
      return true;
    }
    return true;
  });
}

bool flow_object(od::value& v, EveFlow& fl, bool netflow) {
  fl.present = true;
  return each(v, [&](Key k, od::value& x) {
    if (netflow) {
      if (k == "pkts") return fl.have_pkts_toserver = true, count(x, fl.pkts_toserver);
      if (k == "bytes") return fl.have_bytes = true, count(x, fl.bytes_toserver);
    } else {
      if (k == "pkts_toserver") return fl.have_pkts_toserver = true, count(x, fl.pkts_toserver);
      if (k == "pkts_toclient") return fl.have_pkts_toclient = true, count(x, fl.pkts_toclient);
      if (k == "bytes_toserver") return fl.have_bytes = true, count(x, fl.bytes_toserver);
      if (k == "bytes_toclient") return fl.have_bytes = true, count(x, fl.bytes_toclient);
      if (k == "state") return str(x, fl.state);
      if (k == "reason") return str(x, fl.reason);
    }
    if (k == "start") return str(x, fl.start);
    if (k == "end") return str(x, fl.end);
    return true;
  });
}

// A "hash" inside an object ({"hash": ..., "string": ...}), or a plain string (ja4).
bool hash_of(od::value& x, std::string_view& out) {
  od::json_type t;
  if (x.type().get(t)) return false;
  if (t == od::json_type::string) return !x.get_string().get(out);
  if (t != od::json_type::object) return true;
  return each(x, [&](Key k, od::value& h) { return k != "hash" || str(h, out); });
}

bool hex_syn(std::string_view flags) {
  unsigned v = 0;
  for (const char c : flags) {
    const unsigned d = c >= '0' && c <= '9' ? unsigned(c - '0') : (c | 0x20) >= 'a' && (c | 0x20) <= 'f' ? unsigned((c | 0x20) - 'a' + 10) : 16u;
    if (d == 16 || v > 0xFFF) return false;
    v = v * 16 + d;
  }
  return (v & 0x02) != 0;
}

bool field(Key k, od::value& x, EveEvent& ev, DnsAnswer& dns) {
  switch (k.front()) {
    case 'a':
      if (k == "app_proto") return str(x, ev.app_proto);
      if (k == "alert") {
        ev.alert.present = true;
        return each(x, [&](Key ak, od::value& av) {
          if (ak == "signature") return str(av, ev.alert.signature);
          if (ak == "category") return str(av, ev.alert.category);
          if (ak == "action") return str(av, ev.alert.action);
          if (ak == "signature_id") return count(av, ev.alert.signature_id);
          if (ak == "severity") return count(av, ev.alert.severity);
          return true;
        });
      }
      return true;
    case 'c':
      if (k == "community_id") return str(x, ev.community_id);
      return true;
    case 'd':
      if (k == "dest_ip") return str(x, ev.dest_ip);
      if (k == "dest_port") return ev.have_dest_port = true, port(x, ev.dest_port);
      if (k == "dns") return dns_object(x, ev.dns, dns);
      if (k == "direction") return str(x, ev.direction);
      return true;
    case 'e':
      if (k == "event_type") return str(x, ev.event_type);
      return true;
    case 'f':
      if (k == "flow_id") return digits(x, ev.flow_id);
      if (k == "flow") return flow_object(x, ev.flow, false);
      if (k == "fileinfo") {
        ev.fileinfo.present = true;
        return each(x, [&](Key fk, od::value& fv) {
          if (fk == "size") return ev.fileinfo.have_size = true, count(fv, ev.fileinfo.size);
          if (fk == "filename") return str(fv, ev.fileinfo.filename);
          if (fk == "mimetype") return str(fv, ev.fileinfo.mimetype);
          return true;
        });
      }
      return true;
    case 'h':
      if (k == "host") return str(x, ev.sensor);
      if (k == "http") {
        ev.http.present = true;
        return each(x, [&](Key hk, od::value& hv) {
          if (hk == "hostname") return ev.http.have_hostname = true, str(hv, ev.http.hostname);
          if (hk == "url") return str(hv, ev.http.url);
          if (hk == "http_method") return str(hv, ev.http.method);
          if (hk == "http_user_agent") return str(hv, ev.http.user_agent);
          if (hk == "status") return count(hv, ev.http.status);
          if (hk == "length") return count(hv, ev.http.length);
          return true;
        });
      }
      return true;
    case 'i': {
      uint64_t n = 0;
      if (k == "icmp_type") return count(x, n) && n < 256 && (ev.icmp_type = static_cast<int>(n), true);
      if (k == "icmp_code") return count(x, n) && n < 256 && (ev.icmp_code = static_cast<int>(n), true);
      return true;
    }
    case 'n':
      if (k == "netflow") return flow_object(x, ev.netflow, true);
      return true;
    case 'p':
      if (k == "proto") {
        od::json_type t;
        if (x.type().get(t)) return false;
        if (t == od::json_type::number) return digits(x, ev.proto);  // older Suricata: "proto": 47
        return str(x, ev.proto);
      }
      return true;
    case 's':
      if (k == "src_ip") return str(x, ev.src_ip);
      if (k == "src_port") return ev.have_src_port = true, port(x, ev.src_port);
      if (k == "stats") {
        ev.stats.present = true;
        return each(x, [&](Key sk, od::value& sv) {
          if (sk == "uptime") return count(sv, ev.stats.uptime);
          if (sk != "capture") return true;
          ev.stats.have_capture = true;
          return each(sv, [&](Key ck, od::value& cv) {
            if (ck == "kernel_packets") return count(cv, ev.stats.kernel_packets);
            if (ck == "kernel_drops") return count(cv, ev.stats.kernel_drops);
            return true;
          });
        });
      }
      return true;
    case 't':
      if (k == "timestamp") return str(x, ev.timestamp);
      if (k == "tls") {
        ev.tls.present = true;
        return each(x, [&](Key tk, od::value& tv) {
          if (tk == "sni") return str(tv, ev.tls.sni);
          if (tk == "ja3") return hash_of(tv, ev.tls.ja3);
          if (tk == "ja3s") return hash_of(tv, ev.tls.ja3s);
          if (tk == "ja4") return hash_of(tv, ev.tls.ja4);
          return true;
        });
      }
      if (k == "tcp") {
        return each(x, [&](Key tk, od::value& tv) {
          if (tk != "tcp_flags_ts") return true;
          std::string_view f;
          if (!str(tv, f)) return false;
          ev.have_tcp_flags = !f.empty();
          ev.syn_toserver = hex_syn(f);
          return true;
        });
      }
      return true;
    default: return true;
  }
}

}  // namespace

const char* EveParser::parse(std::string_view line, EveEvent& ev, DnsAnswer& dns) {
  ev.clear();
  dns.answers.clear();
  dns.ptr_name.clear();
  const simdjson::padded_string_view psv(line.data(), line.size(), line.size() + LineReader::kPadding);
  od::document doc;
  if (parser_.iterate(psv).get(doc)) return "suricata eve: malformed JSON";
  od::object obj;
  if (auto e = doc.get_object().get(obj)) return e == simdjson::INCORRECT_TYPE ? "suricata eve: not an object" : "suricata eve: malformed JSON";
  for (auto fr : obj) {
    od::field f;
    if (std::move(fr).get(f)) return "suricata eve: malformed JSON";
    const Key k(f.key().raw());
    od::value v = f.value();
    if (!field(k, v, ev, dns)) return "suricata eve: bad field value (wrong type, negative or out of range)";
  }
  return nullptr;
}

EveTime parse_eve_time(std::string_view s, TimeNs& out) {
  // Suricata writes "+0200" (or "Z"): a time without one names no instant.
  if (s.size() < 19) return EveTime::bad;
  if (s.back() != 'Z' && s.back() != 'z' && s.find_first_of("+-", 19) == std::string_view::npos) {
    TimeNs ignored;
    return parse_datetime(s, ignored) ? EveTime::no_offset : EveTime::bad;
  }
  switch (parse_record_time(s, out)) {
    case TimeParse::ok: return EveTime::ok;
    case TimeParse::out_of_range: return EveTime::out_of_range;
    default: return EveTime::bad;
  }
}

namespace {

// "YYYY-MM-DDTHH:MM:SS.ffffff+hhmm": minutes, seconds and microseconds in nanoseconds from the
// hour, or -1 when the text has another shape (or a leap second). The offset's digits are not
// checked here: a remembered hour's were, and only an equal offset uses it. Straight-line code:
// a loop over the digits cost three times as much.
int64_t in_hour(std::string_view s) {
  if (s.size() != 31 || s[10] != 'T' || s[13] != ':' || s[16] != ':' || s[19] != '.' || (s[26] != '+' && s[26] != '-'))
    return -1;
  const auto d = [&](size_t i) { return static_cast<unsigned>(static_cast<unsigned char>(s[i])) - '0'; };
  const unsigned m1 = d(14), m0 = d(15), s1 = d(17), s0 = d(18);
  const unsigned f5 = d(20), f4 = d(21), f3 = d(22), f2 = d(23), f1 = d(24), f0 = d(25);
  if (m1 > 5 || m0 > 9 || s1 > 5 || s0 > 9 || f5 > 9 || f4 > 9 || f3 > 9 || f2 > 9 || f1 > 9 || f0 > 9) return -1;
  const int64_t secs = (m1 * 10 + m0) * 60 + s1 * 10 + s0;
  const int64_t us = ((((f5 * 10 + f4) * 10 + f3) * 10 + f2) * 10 + f1) * 10 + f0;
  return secs * kNsPerSec + us * 1000;
}

}  // namespace

EveTime EveClock::parse(std::string_view s, TimeNs& out) {
  const int64_t within = in_hour(s);
  if (within >= 0 && base_ != kNoTime && std::memcmp(s.data(), hour_, 13) == 0 &&
      std::memcmp(s.data() + 26, hour_ + 26, 5) == 0) {
    const TimeNs t = base_ + within;
    if (in_record_range(t)) {  // an offset of half an hour can put the range's end inside an hour
      out = t;
      return EveTime::ok;
    }
  }
  const EveTime r = parse_eve_time(s, out);
  if (r == EveTime::ok && within >= 0) {
    std::memcpy(hour_, s.data(), kLen);
    base_ = out - within;
  }
  return r;
}

}  // namespace outflow::suricata
