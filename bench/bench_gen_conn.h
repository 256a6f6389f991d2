// Zeek conn.log records for outflow_bench_gen: statistics, background traffic, TSV formatting.
#pragma once

#include <cmath>
#include <cstdint>
#include <string_view>
#include <vector>

#include "bench_gen_io.h"

namespace bench {

struct Conn {  // one conn.log record, written when the connection ends
  std::int64_t ts_us = 0, dur_us = 0;
  std::uint32_t orig_h = 0, resp_h = 0;
  std::uint16_t orig_p = 0, resp_p = 0;
  std::uint8_t proto = 6;  // 6 tcp, 17 udp, 1 icmp
  bool answered = true;
  const char* service = "-";
  std::int64_t orig_bytes = 0, resp_bytes = 0;
  std::int64_t end() const { return ts_us + dur_us; }
  bool operator>(const Conn& o) const { return end() > o.end(); }
};

inline std::int64_t log_uniform(Rng& rng, double lo, double hi) {
  return static_cast<std::int64_t>(std::exp(lo + rng.unit() * (hi - lo)));
}

// Duration and byte counts: mostly short, a long tail up to ~20 minutes and ~25 MB; 5% of TCP unanswered.
inline void fill_stats(Rng& rng, Conn& c) {
  if (c.proto != 6) {
    c.dur_us = rng.range(5000, 120000);
    c.orig_bytes = rng.range(40, 200), c.resp_bytes = rng.range(40, 500), c.answered = true;
    return;
  }
  const double x = rng.unit();
  if (x < 0.05) {
    c.answered = false, c.orig_bytes = 0, c.resp_bytes = 0;
    c.dur_us = rng.chance(0.5) ? 0 : rng.range(1000000, 3000000);
    return;
  }
  c.answered = true;
  c.dur_us = x < 0.75 ? log_uniform(rng, std::log(50000.0), std::log(60e6)) : log_uniform(rng, std::log(60e6), std::log(1200e6));
  c.orig_bytes = log_uniform(rng, 5, 11), c.resp_bytes = log_uniform(rng, 6, 17);
}

// Traffic of devices without Sysmon: SSDP, DNS, web, ping. Nothing in the Sysmon file matches these.
inline Conn background_conn(Rng& rng, std::int64_t now_us, const std::vector<std::uint32_t>& dest_ips) {
  Conn c;
  c.orig_h = (10u << 24) | (200u << 8) | static_cast<std::uint32_t>(rng.range(1, 200));
  c.orig_p = static_cast<std::uint16_t>(rng.range(49152, 65535));
  c.ts_us = now_us - rng.range(0, 1000000);
  switch (rng.below(4)) {
    case 0:
      c.resp_h = (239u << 24) | (255u << 16) | (255u << 8) | 250u, c.resp_p = 1900, c.proto = 17;
      c.answered = false, c.dur_us = rng.range(3000000, 3040000), c.orig_bytes = 700;
      return c;
    case 1:
      c.resp_h = dest_ips[0], c.resp_p = 53, c.proto = 17, c.service = "dns";
      break;
    case 2: {
      const std::size_t d = 6 + rng.below(dest_ips.size() - 6);  // the external ones
      c.resp_h = dest_ips[d], c.resp_p = 443, c.service = "ssl";
      break;
    }
    default:
      c.resp_h = (10u << 24) | 1u, c.orig_p = 8, c.resp_p = 0, c.proto = 1;
      c.dur_us = rng.range(1000, 3000000), c.orig_bytes = 64 * rng.range(1, 4), c.resp_bytes = c.orig_bytes;
      return c;
  }
  fill_stats(rng, c);
  return c;
}

inline void write_conn_header(Sink& o, std::string_view open_time) {
  o.put("#separator \\x09\n#set_separator\t,\n#empty_field\t(empty)\n#unset_field\t-\n#path\tconn\n#open\t");
  o.put(open_time);
  o.put("\n#fields\t_node_name\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\tservice\tduration\t"
        "orig_bytes\tresp_bytes\tconn_state\tlocal_orig\tlocal_resp\tmissed_bytes\thistory\torig_pkts\t"
        "orig_ip_bytes\tresp_pkts\tresp_ip_bytes\ttunnel_parents\n"
        "#types\tstring\ttime\tstring\taddr\tport\taddr\tport\tenum\tstring\tinterval\tcount\tcount\tstring\tbool\t"
        "bool\tcount\tstring\tcount\tcount\tcount\tcount\tset[string]\n");
}

inline void write_conn(Sink& o, Rng& rng, const Conn& c) {
  static constexpr char kB62[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  char uid[18];
  uid[0] = 'C';
  for (int i = 1; i < 18; ++i) uid[i] = kB62[rng.below(62)];
  const bool tcp = c.proto == 6, unset = c.dur_us == 0;
  o.put("worker-eth0-1\t"), o.micros(c.ts_us), o.put('\t'), o.put(std::string_view(uid, 18)), o.put('\t');
  o.ip(c.orig_h), o.put('\t'), o.num(c.orig_p), o.put('\t'), o.ip(c.resp_h), o.put('\t'), o.num(c.resp_p);
  o.put(tcp ? "\ttcp\t" : c.proto == 17 ? "\tudp\t" : "\ticmp\t"), o.put(c.service), o.put('\t');
  if (unset) {
    o.put("-\t-\t-\t");
  } else {
    o.micros(c.dur_us), o.put('\t'), o.num(c.orig_bytes), o.put('\t'), o.num(c.resp_bytes), o.put('\t');
  }
  o.put(c.answered ? (tcp ? "SF" : c.proto == 17 ? "SF" : "OTH") : "S0");
  const bool lo = (c.orig_h >> 24) == 10, lr = (c.resp_h >> 24) == 10;
  o.put(lo ? "\tT\t" : "\tF\t"), o.put(lr ? "T\t0\t" : "F\t0\t");
  o.put(tcp ? (c.answered ? "ShADadFf" : "S") : c.proto == 17 ? (c.answered ? "Dd" : "D") : "-");
  const std::int64_t hdr = tcp ? 52 : 28;
  const std::int64_t op = 1 + c.orig_bytes / 1200 + (tcp ? 3 : 0);
  const std::int64_t rp = c.answered ? 1 + c.resp_bytes / 1400 + (tcp ? 2 : 0) : 0;
  o.put('\t'), o.num(op), o.put('\t'), o.num(c.orig_bytes + op * hdr), o.put('\t'), o.num(rp), o.put('\t');
  o.num(rp == 0 ? 0 : c.resp_bytes + rp * hdr), o.put("\t-\n");
}

}  // namespace bench
