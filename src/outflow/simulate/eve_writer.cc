#include "outflow/simulate/eve_writer.h"

#include <algorithm>
#include <fmt/format.h>
#include <limits>

#include "outflow/join/community_id.h"
#include "outflow/simulate/sysmon_format.h"

namespace outflow::sim {

namespace {

constexpr TimeNs kOffset = 3600 * kNsPerSec;  // +0100
constexpr TimeNs kStatsEvery = 60 * kNsPerSec;
constexpr size_t kMaxNames = 1 << 16;

// "2026-01-05T01:00:00.123456+0100": local time at +0100.
void append_eve_time(std::string& out, TimeNs t) {
  const size_t at = out.size();
  append_sysmon_time(out, t + kOffset);  // "2026-01-05 01:00:00.123"
  out.resize(at + 19);
  out[at + 10] = 'T';
  fmt::format_to(std::back_inserter(out), ".{:06}+0100", ((t % kNsPerSec) + kNsPerSec) % kNsPerSec / 1000);
}

uint64_t name_key(const IpAddr& client, const IpAddr& server) { return IpAddrHash()(client) * 31 + IpAddrHash()(server); }

const char* app_proto(const SimConn& c) {
  if (c.outcome != SimConn::Outcome::established) return "failed";
  if (c.dport == 53) return "dns";
  if (c.proto == kProtoTcp && c.dport == 443) return "tls";
  if (c.proto == kProtoTcp && c.dport == 80) return "http";
  if (c.dport == 445) return "smb";
  if (c.dport == 3389) return "rdp";
  if (c.dport == 123) return "ntp";
  return "failed";
}

}  // namespace

EveWriter::EveWriter(uint64_t seed, TimeNs open_time, double drop_rate)
    : rng_(seed, stream_id("suricata")), open_time_(open_time), next_stats_(open_time + kStatsEvery), drop_rate_(drop_rate) {}

bool EveWriter::open(const std::string& dir, std::string& error) { return file_.open(dir + "/eve.json", error); }

void EveWriter::head(TimeNs t, uint64_t flow_id, const char* type, const SimConn* c) {
  buf_ += "{\"timestamp\":\"";
  append_eve_time(buf_, t);
  buf_ += '"';
  if (flow_id) fmt::format_to(std::back_inserter(buf_), ",\"flow_id\":{}", flow_id & ((uint64_t{1} << 51) - 1));
  fmt::format_to(std::back_inserter(buf_), ",\"in_iface\":\"eth1\",\"event_type\":\"{}\"", type);
  if (c)
    fmt::format_to(std::back_inserter(buf_), ",\"src_ip\":\"{}\",\"src_port\":{},\"dest_ip\":\"{}\",\"dest_port\":{},\"proto\":\"{}\"",
                   c->src.to_string(), c->sport, c->dst.to_string(), c->dport, c->proto == kProtoUdp ? "UDP" : "TCP");
}

void EveWriter::add(const SimConn& c) {
  // The application event comes when the connection starts (its first transaction), before
  // the flow event (when it ends): the name the client's lookup gave, if any.
  if (c.outcome == SimConn::Outcome::established && c.proto == kProtoTcp && (c.dport == 443 || c.dport == 80) &&
      !c.orig_unseen) {
    auto it = names_.find(name_key(c.src, c.dst));
    if (it != names_.end()) {
      head(c.start + 50 * kNsPerSec / 1000, c.uid, c.dport == 443 ? "tls" : "http", &c);
      uint64_t h = c.src.b[15] * 0x9E3779B97F4A7C15ULL + c.dst.b[15];  // one fingerprint per client and server
      const uint64_t j1 = splitmix64(h), j2 = splitmix64(h);
      if (c.dport == 443)
        fmt::format_to(std::back_inserter(buf_), ",\"tls\":{{\"sni\":\"{}\",\"version\":\"TLS 1.3\",\"ja3\":{{\"hash\":\"{:016x}{:016x}\"}}}}}}\n",
                       it->second, j1, j2);
      else
        fmt::format_to(std::back_inserter(buf_),
                       ",\"tx_id\":0,\"http\":{{\"hostname\":\"{}\",\"url\":\"/\",\"http_user_agent\":\"Mozilla/5.0\",\"http_method\":\"{}\","
                       "\"protocol\":\"HTTP/1.1\",\"status\":200,\"length\":{}}}}}\n",
                       it->second, c.out_bytes > 4096 ? "POST" : "GET", c.in_bytes);
      ++records_;
    }
  }
  pending_.push(c);
}

void EveWriter::add_dns(const DnsRecord& d) {
  dns_.push_back(d);
  if (!d.answers.empty() && !d.txt) {
    std::string_view rest = d.answers;
    while (!rest.empty()) {
      const size_t comma = rest.find(',');
      IpAddr a;
      if (IpAddr::parse(rest.substr(0, comma), a)) {
        if (names_.size() >= kMaxNames) names_.clear();  // a bound: the oldest names go
        names_[name_key(d.client, a)] = d.query;
      }
      rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
    }
  }
}

void EveWriter::flow_event(const SimConn& c) {
  uint64_t opk = out_packets(c), ipk = in_packets(c), ob = c.out_bytes, ib = c.in_bytes;
  if (c.outcome == SimConn::Outcome::rejected) opk = ipk = 1, ob = ib = 0;
  if (c.outcome == SimConn::Outcome::unanswered) {
    if (c.proto != kProtoUdp) opk = 2, ob = 0;
    ipk = ib = 0;
  }
  if (c.orig_unseen) opk = ob = 0;
  if (c.resp_unseen) ipk = ib = 0;
  if (opk == 0 && ipk == 0) return;  // every packet lost to the sensor
  // Suricata counts whole packets: Ethernet, IP and transport headers included.
  const uint64_t hdr = c.proto == kProtoUdp ? 42 : 54;
  head(c.end() + 60 * kNsPerSec, c.uid, "flow", &c);
  const bool tcp = c.proto == kProtoTcp;
  const char* state = c.outcome == SimConn::Outcome::established ? (tcp ? "closed" : "established") : "new";
  fmt::format_to(std::back_inserter(buf_), ",\"app_proto\":\"{}\",\"community_id\":\"{}\",\"flow\":{{\"pkts_toserver\":{},\"pkts_toclient\":{},"
                 "\"bytes_toserver\":{},\"bytes_toclient\":{},\"start\":\"",
                 app_proto(c), community_id_v1(c.src, c.sport, c.dst, c.dport, c.proto), opk, ipk, ob + opk * hdr, ib + ipk * hdr);
  append_eve_time(buf_, c.start);
  buf_ += "\",\"end\":\"";
  append_eve_time(buf_, c.end());
  fmt::format_to(std::back_inserter(buf_), "\",\"age\":{},\"state\":\"{}\",\"reason\":\"timeout\",\"alerted\":false}}", c.duration / kNsPerSec, state);
  if (tcp) buf_ += c.orig_unseen ? ",\"tcp\":{\"tcp_flags\":\"12\",\"tcp_flags_ts\":\"00\",\"tcp_flags_tc\":\"12\"}" : ",\"tcp\":{\"tcp_flags\":\"1b\",\"tcp_flags_ts\":\"1b\",\"tcp_flags_tc\":\"1b\",\"syn\":true}";
  buf_ += "}\n";
  minute_packets_ += opk + ipk;
  ++records_;
}

void EveWriter::stats_until(TimeNs t) {
  while (next_stats_ < t) {
    const auto drops = static_cast<uint64_t>(static_cast<double>(minute_packets_) * drop_rate_);
    packets_ += minute_packets_ + drops;
    drops_ += drops;
    minute_packets_ = 0;
    head(next_stats_, 0, "stats", nullptr);
    fmt::format_to(std::back_inserter(buf_), ",\"stats\":{{\"uptime\":{},\"capture\":{{\"kernel_packets\":{},\"kernel_drops\":{},\"errors\":0}},"
                   "\"flow\":{{\"memuse\":7074304}}}}}}\n",
                   (next_stats_ - open_time_) / kNsPerSec, packets_, drops_);
    ++records_;
    next_stats_ += kStatsEvery;
  }
}

bool EveWriter::flush_before(TimeNs t) {
  // DNS first (queries precede the connections they name), in time order.
  std::stable_sort(dns_.begin(), dns_.end(), [](const DnsRecord& a, const DnsRecord& b) { return a.time < b.time; });
  size_t n = 0;
  for (; n < dns_.size() && dns_[n].time < t; ++n) {
    const DnsRecord& d = dns_[n];
    SimConn c;
    c.src = d.client, c.dst = d.server, c.sport = d.sport, c.dport = 53, c.proto = kProtoUdp;
    const uint64_t id = rng_.below(65536);
    head(d.time, d.uid, "dns", &c);
    fmt::format_to(std::back_inserter(buf_), ",\"dns\":{{\"type\":\"query\",\"id\":{},\"rrname\":\"{}\",\"rrtype\":\"{}\",\"tx_id\":0}}}}\n", id,
                   d.query, d.txt ? "TXT" : "A");
    head(d.time + (800 + rng_.below(40000)) * 1000, d.uid, "dns", &c);
    fmt::format_to(std::back_inserter(buf_), ",\"dns\":{{\"version\":2,\"type\":\"answer\",\"id\":{},\"flags\":\"8180\",\"qr\":true,\"rrname\":\"{}\",\"rrtype\":\"{}\",\"rcode\":\"NOERROR\"",
                   id, d.query, d.txt ? "TXT" : "A");
    if (!d.answers.empty()) {
      buf_ += ",\"answers\":[";
      std::string_view rest = d.answers;
      bool first = true;
      while (!rest.empty()) {
        const size_t comma = rest.find(',');
        fmt::format_to(std::back_inserter(buf_), "{}{{\"rrname\":\"{}\",\"rrtype\":\"A\",\"ttl\":300,\"rdata\":\"{}\"}}", first ? "" : ",", d.query,
                       rest.substr(0, comma));
        first = false;
        rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
      }
      buf_ += ']';
    }
    buf_ += "}}\n";
    records_ += 2;
  }
  dns_.erase(dns_.begin(), dns_.begin() + static_cast<std::ptrdiff_t>(n));
  while (!pending_.empty() && pending_.top().end() < t) {
    stats_until(pending_.top().end());
    flow_event(pending_.top());
    pending_.pop();
  }
  if (t != std::numeric_limits<TimeNs>::max()) stats_until(t);
  return file_.write(buf_, 1 << 20);
}

bool EveWriter::close(std::string& error) {
  bool ok = flush_before(std::numeric_limits<TimeNs>::max());
  ok = file_.write(buf_) && ok;
  if (!ok) error = "cannot write eve.json";
  return file_.close(error) && ok;
}

}  // namespace outflow::sim
