#include "outflow/simulate/firewall_writer.h"

#include <fmt/format.h>

#include <algorithm>

namespace outflow::sim {

namespace {

constexpr const char* kSerial = "013201004715";
constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

// "2026/01/05 10:00:00" (PAN-OS), from format_time's "2026-01-05T10:00:00.000000Z".
void append_panos_time(std::string& out, TimeNs t) {
  const std::string s = format_time(t);
  for (size_t i = 0; i < 19 && i < s.size(); ++i) out.push_back(s[i] == '-' ? '/' : s[i] == 'T' ? ' ' : s[i]);
}

// "<14>Jan  5 10:00:02 PA-3220 ": the syslog header the firewall's forwarder puts in front.
void append_syslog_header(std::string& out, TimeNs t) {
  const std::string s = format_time(t);  // 2026-01-05T10:00:02...
  const int month = std::clamp((s[5] - '0') * 10 + (s[6] - '0'), 1, 12);
  const int day = (s[8] - '0') * 10 + (s[9] - '0');
  fmt::format_to(std::back_inserter(out), "<14>{} {:>2} {} PA-3220 ", kMonths[month - 1], day, s.substr(11, 8));
}

uint64_t ip_bytes(uint64_t payload, uint64_t pkts, uint8_t proto) { return payload + pkts * (proto == kProtoUdp ? 28 : 40); }

struct Sides {
  uint64_t opk, ipk, ob, ib;
};

// What the firewall counts: IP bytes and packets each way (a SYN unanswered: 2 packets out).
Sides sides(const SimConn& c) {
  if (c.outcome == SimConn::Outcome::rejected) return {1, 1, 60, 40};
  if (c.outcome == SimConn::Outcome::unanswered) {
    const uint64_t n = c.proto == kProtoUdp ? out_packets(c) : 2;
    return {n, 0, c.proto == kProtoUdp ? ip_bytes(c.out_bytes, n, c.proto) : 120, 0};
  }
  const uint64_t opk = out_packets(c), ipk = in_packets(c);
  return {opk, ipk, ip_bytes(c.out_bytes, opk, c.proto), ip_bytes(c.in_bytes, ipk, c.proto)};
}

const char* panos_app(const SimConn& c) {
  if (c.outcome == SimConn::Outcome::unanswered) return "incomplete";
  if (c.dport == 53) return "dns";
  if (c.dport == 123) return "ntp";
  if (c.dport == 443) return "ssl";
  if (c.dport == 80) return "web-browsing";
  return c.proto == kProtoUdp ? "unknown-udp" : "unknown-tcp";
}

const char* fortigate_app(const SimConn& c) {
  if (c.dport == 53) return "DNS";
  if (c.dport == 123) return "NTP";
  if (c.dport == 443) return "HTTPS.BROWSER";
  if (c.dport == 80) return "HTTP.BROWSER";
  return "";
}

}  // namespace

IpAddr firewall_public_ip() { return IpAddr::v4((198u << 24) | (18u << 16) | (7u << 8) | 1u); }  // 198.18.7.1 (RFC 2544)

FirewallWriter::FirewallWriter(FirewallFormat f, uint64_t seed) : format_(f), rng_(seed, stream_id("firewall")) {}

bool FirewallWriter::open(const std::string& dir, std::string& error) {
  name_ = format_ == FirewallFormat::panos ? "panos.log" : "fortigate.log";
  return file_.open(dir + "/" + name_, error);
}

void FirewallWriter::add(const SimConn& c, std::string user) {
  Entry e{c, std::move(user), ++session_, 0};
  nat_port_ = static_cast<uint16_t>(nat_port_ < 1024 || nat_port_ > 64000 ? 1024 + rng_.below(1000) : nat_port_ + 1 + rng_.below(7));
  e.nat_port = nat_port_;
  pending_.push(std::move(e));
}

void FirewallWriter::write_panos(const Entry& e) {
  const SimConn& c = e.c;
  const Sides s = sides(c);
  const TimeNs start = c.start - c.start % kNsPerSec;
  const int64_t elapsed = (c.end() - start) / kNsPerSec;
  const TimeNs logged = start + elapsed * kNsPerSec;  // PAN-OS logs at the end of the session
  const TimeNs received = logged + kNsPerSec;
  const char* reason = c.outcome == SimConn::Outcome::unanswered ? "aged-out"
                       : c.outcome == SimConn::Outcome::rejected ? "tcp-rst-from-server"
                       : c.proto == kProtoUdp                    ? "aged-out"
                                                                 : "tcp-fin";
  const size_t at = buf_.size();
  append_syslog_header(buf_, received);
  buf_ += "1,";
  append_panos_time(buf_, received);
  fmt::format_to(std::back_inserter(buf_), ",{},TRAFFIC,end,2561,", kSerial);
  append_panos_time(buf_, logged);
  fmt::format_to(std::back_inserter(buf_), ",{},{},{},{},Outbound-Web,{},,{},vsys1,trust,untrust,ethernet1/2,ethernet1/1,LOG-FP,",
                 c.src.to_string(), c.dst.to_string(), firewall_public_ip().to_string(), c.dst.to_string(), e.user,
                 panos_app(c));
  append_panos_time(buf_, logged);
  fmt::format_to(std::back_inserter(buf_), ",{},1,{},{},{},{},0x400053,{},allow,{},{},{},{},", e.session, c.sport, c.dport,
                 e.nat_port, c.dport, proto_name(c.proto), s.ob + s.ib, s.ob, s.ib, s.opk + s.ipk);
  append_panos_time(buf_, start);
  fmt::format_to(std::back_inserter(buf_), ",{},any,,{},0x8000000000000000,10.0.0.0-10.255.255.255,United States,,{},{},{}",
                 elapsed, 7000000000000000000ULL + records_, s.opk, s.ipk, reason);
  size_t fields = 1;
  for (size_t i = buf_.find(" 1,", at) + 1; i < buf_.size(); ++i) fields += buf_[i] == ',';
  buf_.append(115 - std::min<size_t>(fields, 115), ',');  // the 10.x/11.x fields past 46, empty
  buf_.push_back('\n');
}

void FirewallWriter::write_fortigate(const Entry& e) {
  const SimConn& c = e.c;
  const Sides s = sides(c);
  const TimeNs end = c.end();
  const std::string t = format_time(end);
  const char* action = c.outcome == SimConn::Outcome::unanswered ? "timeout"
                       : c.outcome == SimConn::Outcome::rejected ? "server-rst"
                                                                 : "close";
  fmt::format_to(std::back_inserter(buf_),
                 "<189>date={} time={} devname=\"FGT-EDGE\" devid=\"FG200FT921900041\" logid=\"0000000013\" type=\"traffic\" "
                 "subtype=\"forward\" level=\"notice\" vd=\"root\" eventtime={} tz=\"+0000\" srcip={} srcport={} "
                 "srcintf=\"internal\" dstip={} dstport={} dstintf=\"wan1\" sessionid={} proto={} action=\"{}\" policyid=1 "
                 "trandisp=\"snat\" transip={} transport={} ",
                 t.substr(0, 10), t.substr(11, 8), end, c.src.to_string(), c.sport, c.dst.to_string(), c.dport, e.session,
                 static_cast<int>(c.proto), action, firewall_public_ip().to_string(), e.nat_port);
  if (const char* app = fortigate_app(c); *app) fmt::format_to(std::back_inserter(buf_), "app=\"{}\" ", app);
  if (!e.user.empty()) fmt::format_to(std::back_inserter(buf_), "user=\"{}\" ", e.user);
  fmt::format_to(std::back_inserter(buf_), "duration={} sentbyte={} rcvdbyte={} sentpkt={} rcvdpkt={}\n", c.duration / kNsPerSec,
                 s.ob, s.ib, s.opk, s.ipk);
}

bool FirewallWriter::flush_before(TimeNs t) {
  while (!pending_.empty() && pending_.top().c.end() < t) {
    if (format_ == FirewallFormat::panos) write_panos(pending_.top());
    else write_fortigate(pending_.top());
    ++records_;
    pending_.pop();
  }
  return file_.write(buf_, 1 << 20);
}

bool FirewallWriter::close(std::string& error) {
  const bool ok = flush_before(std::numeric_limits<TimeNs>::max()) && file_.write(buf_);
  if (!ok) error = name_ + ": write error";
  return file_.close(error) && ok;
}

}  // namespace outflow::sim
