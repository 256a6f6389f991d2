#include "outflow/simulate/flow_writers.h"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "outflow/simulate/sysmon_format.h"

namespace outflow::sim {

uint64_t packets_for(uint64_t payload, uint8_t proto) {
  if (proto == kProtoUdp) return std::max<uint64_t>(1, (payload + 1199) / 1200);
  return 3 + (payload + 1447) / 1448;  // handshake/teardown share + full segments
}

// ---- OutputFile

OutputFile::~OutputFile() {
  if (f_) std::fclose(f_);
}

bool OutputFile::open(const std::string& path, std::string& error) {
  path_ = path;
  f_ = std::fopen(path.c_str(), "wb");
  if (!f_) error = path + ": " + std::strerror(errno);
  return f_ != nullptr;
}

bool OutputFile::write(std::string& buf, size_t threshold) {
  if (buf.size() <= threshold || buf.empty()) return true;
  const bool ok = f_ && std::fwrite(buf.data(), 1, buf.size(), f_) == buf.size();
  bytes_ += buf.size();
  buf.clear();
  return ok;
}

bool OutputFile::close(std::string& error) {
  if (!f_) return true;
  const bool ok = std::fclose(f_) == 0;
  f_ = nullptr;
  if (!ok) error = path_ + ": " + std::strerror(errno);
  return ok;
}

// ---- Zeek

namespace {

void append_epoch(std::string& out, TimeNs t) {
  fmt::format_to(std::back_inserter(out), "{}.{:06}", t / kNsPerSec, (t % kNsPerSec) / 1000);
}

void append_zeek_time(std::string& out, TimeNs t) {  // #open/#close: 2026-01-05-00-00-00
  std::string s;
  append_sysmon_time(s, t);
  s.resize(19);
  for (char& c : s)
    if (c == ' ' || c == ':') c = '-';
  out += s;
}

const char* zeek_service(const SimConn& c) {
  if (c.outcome != SimConn::Outcome::established) return "-";
  if (c.dport == 53) return "dns";
  if (c.proto == kProtoTcp && c.dport == 443) return "ssl";
  if (c.proto == kProtoTcp && c.dport == 80) return "http";
  if (c.dport == 445) return "smb,gssapi";
  if (c.dport == 3389) return "rdp";
  if (c.dport == 123) return "ntp";
  if (c.proto == kProtoTcp && (c.dport == 3128 || c.dport == 8080)) return "http";  // a proxy (simulate --proxy)
  return "-";
}

// What Zeek logs of a connection: state, history, packets and payload of each side.
struct ZeekSides {
  const char *state, *history;
  uint64_t opk, ob, rpk, rb;
  bool seen = true;
};

ZeekSides zeek_sides(const SimConn& c) {
  const bool udp = c.proto == kProtoUdp;
  ZeekSides z{"SF", udp ? "Dd" : "ShADadFf", out_packets(c), c.out_bytes, in_packets(c), c.in_bytes};
  if (c.outcome == SimConn::Outcome::rejected) {
    z = {"REJ", "Sr", 1, 0, 1, 0};
  } else if (c.outcome == SimConn::Outcome::unanswered) {
    z = {"S0", udp ? "D" : "S", udp ? z.opk : 2, udp ? z.ob : 0, 0, 0};
  }
  // A sensor that loses one side's packets (a fault, off by default) logs what Zeek makes of
  // the other side alone: the responder's packets only (conn_state SHR; the history flipped
  // back by Zeek's direction heuristic, '^', with no originator letters), or the originator's
  // only (SH / S0, no responder letters).
  if (c.orig_unseen && (c.resp_unseen || z.rpk == 0)) {
    z.seen = false;
  } else if (c.orig_unseen) {
    z.opk = z.ob = 0;
    if (c.outcome == SimConn::Outcome::rejected) z.state = "RSTRH", z.history = "^r";
    else z.state = "SHR", z.history = udp ? "^d" : "^hadf";
  } else if (c.resp_unseen && z.rpk > 0) {
    z.rpk = z.rb = 0;
    if (c.outcome == SimConn::Outcome::rejected || udp) z.state = "S0", z.history = udp ? "D" : "S";
    else z.state = "SH", z.history = "SADF";
  }
  return z;
}

}  // namespace

ZeekWriter::ZeekWriter(uint64_t seed, TimeNs open_time) : rng_(seed, stream_id("zeek")), open_time_(open_time) {}

void ZeekWriter::header(std::string& out, TimeNs open_time, const char* path, const char* fields, const char* types) {
  out += "#separator \\x09\n#set_separator\t,\n#empty_field\t(empty)\n#unset_field\t-\n#path\t";
  out += path;
  out += "\n#open\t";
  append_zeek_time(out, open_time);
  out += "\n#fields\t";
  out += fields;
  out += "\n#types\t";
  out += types;
  out += '\n';
}

bool ZeekWriter::open(const std::string& dir, std::string& error) {
  if (!conn_file_.open(dir + "/conn.log", error) || !dns_file_.open(dir + "/dns.log", error)) return false;
  header(buf_, open_time_, "conn",
         "ts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\tservice\tduration\torig_bytes\tresp_bytes\t"
         "conn_state\tlocal_orig\tlocal_resp\tmissed_bytes\thistory\torig_pkts\torig_ip_bytes\tresp_pkts\t"
         "resp_ip_bytes\ttunnel_parents",
         "time\tstring\taddr\tport\taddr\tport\tenum\tstring\tinterval\tcount\tcount\tstring\tbool\tbool\tcount\t"
         "string\tcount\tcount\tcount\tcount\tset[string]");
  header(dns_buf_, open_time_, "dns",
         "ts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\ttrans_id\trtt\tquery\tqclass\tqclass_name\t"
         "qtype\tqtype_name\trcode\trcode_name\tAA\tTC\tRD\tRA\tZ\tanswers\tTTLs\trejected",
         "time\tstring\taddr\tport\taddr\tport\tenum\tcount\tinterval\tstring\tcount\tstring\tcount\tstring\tcount\t"
         "string\tbool\tbool\tbool\tbool\tcount\tvector[string]\tvector[interval]\tbool");
  return true;
}

void ZeekWriter::append_uid(std::string& out, uint64_t uid) {
  static constexpr char kAlnum[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  out.push_back('C');
  uint64_t a = uid, b = splitmix64(uid);
  for (int i = 0; i < 17; ++i) {
    uint64_t& x = i < 9 ? a : b;
    out.push_back(kAlnum[x % 62]);
    x /= 62;
  }
}

void ZeekWriter::add(const SimConn& c) { pending_.push(c); }
void ZeekWriter::add_dns(const DnsRecord& d) { dns_.push_back(d); }

bool ZeekWriter::flush_before(TimeNs t) {
  while (!pending_.empty() && pending_.top().end() < t) {
    const SimConn& c = pending_.top();
    const ZeekSides z = zeek_sides(c);
    if (!z.seen) {  // every packet of it lost to the sensor
      pending_.pop();
      continue;
    }
    append_epoch(buf_, c.start);
    buf_.push_back('\t');
    append_uid(buf_, c.uid);
    const uint8_t hdr = c.proto == kProtoUdp ? 28 : 40;
    const bool lo = c.src.is_private(), lr = c.dst.is_private();
    fmt::format_to(std::back_inserter(buf_), "\t{}\t{}\t{}\t{}\t{}\t{}\t{}.{:06}\t{}\t{}\t{}\t{}\t{}\t0\t{}\t{}\t{}\t{}\t{}\t(empty)\n",
                   c.src.to_string(), c.sport, c.dst.to_string(), c.dport, proto_name(c.proto), zeek_service(c),
                   c.duration / kNsPerSec, (c.duration % kNsPerSec) / 1000, z.ob, z.rb, z.state, lo ? "T" : "F",
                   lr ? "T" : "F", z.history, z.opk, z.ob + z.opk * hdr, z.rpk, z.rb + z.rpk * hdr);
    ++conns_;
    pending_.pop();
  }
  // DNS records carry the query time: written in time order once the hour is past.
  std::stable_sort(dns_.begin(), dns_.end(), [](const DnsRecord& a, const DnsRecord& b) { return a.time < b.time; });
  size_t n = 0;
  for (; n < dns_.size() && dns_[n].time < t; ++n) {
    const DnsRecord& d = dns_[n];
    append_epoch(dns_buf_, d.time);
    dns_buf_.push_back('\t');
    append_uid(dns_buf_, d.uid);
    fmt::format_to(std::back_inserter(dns_buf_),
                   "\t{}\t{}\t{}\t53\tudp\t{}\t0.{:06}\t{}\t1\tC_INTERNET\t{}\t{}\t0\tNOERROR\tF\tF\tT\tT\t0\t{}\t{}\tF\n",
                   d.client.to_string(), d.sport, d.server.to_string(), rng_.below(65536), 800 + rng_.below(40000),
                   d.query, d.txt ? 16 : 1, d.txt ? "TXT" : "A", d.answers.empty() ? "-" : d.answers,
                   d.answers.empty() ? "-" : "300.000000");
  }
  dns_.erase(dns_.begin(), dns_.begin() + static_cast<std::ptrdiff_t>(n));
  return conn_file_.write(buf_, 1 << 20) && dns_file_.write(dns_buf_, 1 << 20);
}

bool ZeekWriter::close(TimeNs close_time, std::string& error) {
  bool ok = flush_before(std::numeric_limits<TimeNs>::max());
  for (std::string* b : {&buf_, &dns_buf_}) {
    *b += "#close\t";
    append_zeek_time(*b, close_time);
    *b += '\n';
  }
  ok = conn_file_.write(buf_) && dns_file_.write(dns_buf_) && ok;
  if (!ok) error = "cannot write the Zeek logs";
  return conn_file_.close(error) && dns_file_.close(error) && ok;
}

// ---- NetFlow (nfdump -o csv)

namespace {
constexpr const char* kNfdumpHeader =
    "ts,te,td,sa,da,sp,dp,pr,flg,fwd,stos,ipkt,ibyt,opkt,obyt,in,out,sas,das,smk,dmk,dtos,dir,nh,nhb,svln,dvln,ismc,"
    "odmc,idmc,osmc,mpls1,mpls2,mpls3,mpls4,mpls5,mpls6,mpls7,mpls8,mpls9,mpls10,cl,sl,al,ra,eng,exid,tr\n";

void append_nf_time(std::string& out, TimeNs t) {  // nfdump's "2026-01-05 10:00:00"
  const size_t at = out.size();
  append_sysmon_time(out, t);
  out.resize(at + 19);
}
}  // namespace

NetflowWriter::NetflowWriter(TimeNs active_timeout) : active_timeout_(active_timeout) {}

bool NetflowWriter::open(const std::string& dir, std::string& error) {
  if (!file_.open(dir + "/flows.csv", error)) return false;
  buf_ = kNfdumpHeader;
  return true;
}

void NetflowWriter::add(const SimConn& c) {
  Export x;
  x.c = c;
  x.c.duration = std::max<TimeNs>(c.duration, 0);
  x.pieces = std::max<int64_t>(1, (x.c.duration + active_timeout_ - 1) / active_timeout_);
  x.opk = out_packets(c), x.ipk = in_packets(c);
  x.oflags = x.iflags = c.proto == kProtoUdp ? "........" : "...AP.SF";
  if (c.outcome == SimConn::Outcome::rejected) {
    x.c.out_bytes = x.c.in_bytes = 0, x.opk = x.ipk = 1, x.oflags = "......S.", x.iflags = ".A...R..";
  } else if (c.outcome == SimConn::Outcome::unanswered) {
    x.c.in_bytes = 0, x.ipk = 0;
    if (c.proto == kProtoTcp) x.c.out_bytes = 0, x.opk = 2, x.oflags = "......S.";
  }
  if (c.orig_unseen) x.opk = 0;  // a sensor fault: that direction's records are missing
  if (c.resp_unseen) x.ipk = 0;
  if (x.opk == 0 && x.ipk == 0) return;
  x.end = std::min(x.c.end(), c.start + active_timeout_);
  pending_.push(x);
}

// Writes piece x.piece of a connection (both directions): its share of bytes and packets.
void NetflowWriter::export_piece(const Export& x) {
  const SimConn& c = x.c;
  const TimeNs s = c.start + x.piece * active_timeout_;
  const auto n = static_cast<uint64_t>(x.pieces);
  const bool last = x.piece == x.pieces - 1;
  auto share = [&](uint64_t total) { return total / n + (last ? total % n : 0); };
  const uint8_t hdr = c.proto == kProtoUdp ? 28 : 40;
  if (x.opk > 0) {
    const uint64_t op = std::max<uint64_t>(1, share(x.opk));
    write_piece({s, x.end, c.src, c.dst, c.sport, c.dport, c.proto, op, share(c.out_bytes) + op * hdr, x.oflags});
  }
  if (x.ipk > 0) {
    const uint64_t ip = std::max<uint64_t>(1, share(x.ipk));
    write_piece({s, x.end, c.dst, c.src, c.dport, c.sport, c.proto, ip, share(c.in_bytes) + ip * hdr, x.iflags});
  }
}

void NetflowWriter::write_piece(const Piece& p) {
  append_nf_time(buf_, p.start);
  buf_.push_back(',');
  append_nf_time(buf_, p.end);
  const TimeNs td = p.end - p.start;
  fmt::format_to(std::back_inserter(buf_), ",{}.{:03},{},{},{},{},{},{},0,0,{},{},0,0,0,0,0,0,0,0,0,0,0.0.0.0,0.0.0.0,0,0,"
                 "00:00:00:00:00:00,00:00:00:00:00:00,00:00:00:00:00:00,00:00:00:00:00:00,0-0-0,0-0-0,0-0-0,0-0-0,"
                 "0-0-0,0-0-0,0-0-0,0-0-0,0-0-0,0-0-0,    0.000,    0.000,    0.000,10.1.0.1,0/0,1,",
                 td / kNsPerSec, (td % kNsPerSec) / 1'000'000, p.sa.to_string(), p.da.to_string(), p.sp, p.dp,
                 p.proto == kProtoUdp ? "UDP" : "TCP", p.flags, p.pkts, p.bytes);
  append_sysmon_time(buf_, p.end + 2 * kNsPerSec);  // received a moment after the export
  buf_.push_back('\n');
  ++records_;
  total_bytes_ += p.bytes;
  total_pkts_ += p.pkts;
  if (first_ == kNoTime || p.start < first_) first_ = p.start;
  if (last_ == kNoTime || p.end > last_) last_ = p.end;
}

bool NetflowWriter::flush_before(TimeNs t) {
  // One entry per open connection: its next piece is queued when this one is exported.
  while (!pending_.empty() && pending_.top().end < t) {
    Export x = pending_.top();
    pending_.pop();
    export_piece(x);
    if (++x.piece < x.pieces) {
      x.end = std::min(x.c.end(), x.c.start + (x.piece + 1) * active_timeout_);
      pending_.push(x);
    }
  }
  return file_.write(buf_, 1 << 20);
}

bool NetflowWriter::close(std::string& error) {
  bool ok = flush_before(std::numeric_limits<TimeNs>::max());
  // nfdump's summary block after the records.
  const double secs = first_ == kNoTime ? 0.0 : static_cast<double>(last_ - first_) / 1e9;
  fmt::format_to(std::back_inserter(buf_), "\nSummary\nflows,bytes,packets,avg_bps,avg_pps,avg_bpp\n{},{},{},{},{},{}\n",
                 records_, total_bytes_, total_pkts_,
                 secs > 0 ? static_cast<uint64_t>(static_cast<double>(total_bytes_) * 8 / secs) : 0,
                 secs > 0 ? static_cast<uint64_t>(static_cast<double>(total_pkts_) / secs) : 0,
                 total_pkts_ ? total_bytes_ / total_pkts_ : 0);
  ok = file_.write(buf_) && ok;
  if (!ok) error = "cannot write flows.csv";
  return file_.close(error) && ok;
}

}  // namespace outflow::sim
