#include "outflow/simulate/proxy_net.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <filesystem>

#include "outflow/simulate/faults.h"
#include "outflow/write/json_out.h"

namespace outflow::sim {

namespace {

std::string endpoint_text(const Organisation& org) { return fmt::format("{}:{}", org.proxy_ip.to_string(), org.proxy_port); }

void append_epoch_us(std::string& out, TimeNs t) {
  fmt::format_to(std::back_inserter(out), "{}.{:06}", t / kNsPerSec, (t % kNsPerSec) / 1000);
}

constexpr const char* kPaths[] = {"/", "/index.html", "/api/v2/status", "/static/app.js", "/upload", "/feed.xml"};

}  // namespace

bool apply_proxy(Organisation& org, uint64_t seed, uint16_t port, int bypass, std::string& error) {
  if (port == 0) {
    error = "--proxy-port: expected a port from 1 to 65535";
    return false;
  }
  if (bypass < 0 || static_cast<size_t>(bypass) > org.workstations.size()) {
    error = fmt::format("--proxy-bypass {}: the organisation has {} workstations", bypass, org.workstations.size());
    return false;
  }
  org.proxy_ip = IpAddr::v4((10u << 24) | (1u << 16) | 3u);  // 10.1.0.3: beside the servers (10.1.0.10+)
  org.proxy_port = port;
  // Workstations in an order drawn for this alone: the faults' and endpoint share's hosts do not move.
  const auto order = seeded_host_order(seed, org.workstations.size(), "proxy bypass");
  for (int i = 0; i < bypass; ++i) org.hosts[static_cast<size_t>(org.workstations[order[static_cast<size_t>(i)]])].bypasses_proxy = true;
  return true;
}

void proxy_json(JsonOut& j, const Organisation& org) {
  if (org.proxy_port == 0) return;
  j.str("proxy", endpoint_text(org)).begin_array("proxy_bypass");
  for (const auto& h : org.hosts)
    if (h.bypasses_proxy) j.str_elem(h.name);
  j.end_array();
}

std::string proxy_config_yaml(const Organisation& org) {
  return fmt::format(
      "# Written by `outflow simulate --proxy`: the organisation's explicit web proxy.\n"
      "# outflow hunt --config THIS_FILE ...\n"
      "proxies: [\"{}\"]\n",
      endpoint_text(org));
}

ProxyNet::ProxyNet(const Organisation& org, uint64_t seed, FirewallFormat firewall)
    : org_(org), firewall_(firewall, seed), rng_(seed, stream_id("proxy")) {
  for (const auto& h : org.hosts) host_by_ip_[h.ip] = h.index;
}

bool ProxyNet::open(const std::string& out, bool zeek, std::string& error) {
  namespace fs = std::filesystem;
  std::error_code ec;
  for (const char* sub : {"proxy", "firewall"})
    if (!fs::create_directories(out + "/" + sub, ec) && ec) {
      error = out + "/" + sub + ": " + ec.message();
      return false;
    }
  if (!squid_file_.open(out + "/proxy/access.log", error) || !firewall_.open(out + "/firewall", error)) return false;
  zeek_ = zeek;
  if (zeek_) {
    if (!http_file_.open(out + "/zeek/http.log", error)) return false;
    ZeekWriter::header(http_buf_, org_.start, "http",
                       "ts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\ttrans_depth\tmethod\thost\turi\treferrer\t"
                       "version\tuser_agent\torigin\trequest_body_len\tresponse_body_len\tstatus_code\tstatus_msg\t"
                       "info_code\tinfo_msg\ttags\tusername\tpassword\tproxied\torig_fuids\torig_filenames\t"
                       "orig_mime_types\tresp_fuids\tresp_filenames\tresp_mime_types",
                       "time\tstring\taddr\tport\taddr\tport\tcount\tstring\tstring\tstring\tstring\tstring\tstring\t"
                       "string\tcount\tcount\tcount\tstring\tcount\tstring\tset[enum]\tstring\tstring\tset[string]\t"
                       "vector[string]\tvector[string]\tvector[string]\tvector[string]\tvector[string]\tvector[string]");
  }
  return true;
}

bool ProxyNet::routes(const Host& h, const SimConn& c) const {
  return org_.proxy_port != 0 && !h.bypasses_proxy && c.proto == kProtoTcp && (c.dport == 80 || c.dport == 443) &&
         !c.dst.is_private();
}

std::string ProxyNet::user_of(const IpAddr& ip) const {
  const auto it = host_by_ip_.find(ip);
  if (it == host_by_ip_.end()) return {};
  const Host& h = org_.hosts[it->second];
  if (h.user < 0) return {};
  std::string domain = org_.domain;  // User-ID writes "corp\jsmith"
  for (char& ch : domain) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return domain + "\\" + org_.users[static_cast<size_t>(h.user)].name;
}

SimConn ProxyNet::proxied(const SimConn& c, std::string_view domain) {
  Request r;
  r.host = domain.empty() ? c.dst.to_string() : std::string(domain);
  r.peer = c.dst.to_string();
  const bool tunnel = c.dport != 80;
  const bool answered = c.outcome == SimConn::Outcome::established;
  SimConn& leg = r.leg;
  leg = c;
  leg.dst = org_.proxy_ip;
  leg.dport = org_.proxy_port;
  leg.outcome = SimConn::Outcome::established;  // the proxy answers whatever the destination does
  leg.out_pkts = leg.in_pkts = 0;
  leg.duration = c.duration + 3'000'000 + static_cast<TimeNs>(rng_.below(20'000'000));
  if (tunnel) {
    r.method = "CONNECT";
    r.target = r.host + ":" + std::to_string(c.dport);
    leg.out_bytes = c.out_bytes + 64 + 2 * r.target.size();  // CONNECT host:443 HTTP/1.1, Host:, User-Agent:
    leg.in_bytes = answered ? c.in_bytes + 39 : 3900;        // "HTTP/1.1 200 Connection established" / an error page
  } else {
    const bool post = c.out_bytes > 4096;
    r.method = post ? "POST" : "GET";
    r.target = "http://" + r.host + (post ? "/upload" : kPaths[rng_.below(std::size(kPaths))]);
    r.upload = post ? c.out_bytes : 0;
    r.download = answered ? c.in_bytes : 3900;
    leg.out_bytes = c.out_bytes + 180 + r.target.size();
    leg.in_bytes = r.download + 260;
  }
  r.status = answered ? 200 : 503;
  firewall_.add([&] {  // the proxy's own connection to the destination, a moment after the request
    SimConn out = c;
    out.src = org_.proxy_ip;
    port_ = static_cast<uint16_t>(port_ >= 60999 ? 40000 : port_ + 1 + rng_.below(3));
    out.sport = port_;
    out.start = c.start + 2'000'000 + static_cast<TimeNs>(rng_.below(10'000'000));
    out.orig_unseen = out.resp_unseen = false;
    return out;
  }(), std::string());
  if (zeek_) http_.push_back(r);
  squid_.push(std::move(r));
  return leg;
}

void ProxyNet::perimeter(const SimConn& c) {
  if (org_.proxy_port == 0 || (c.src.is_private() && c.dst.is_private())) return;
  SimConn seen = c;  // the firewall is not the sensor that lost packets
  seen.orig_unseen = seen.resp_unseen = false;
  firewall_.add(seen, user_of(c.src));
}

void ProxyNet::write_http(const Request& r) {
  const SimConn& l = r.leg;
  append_epoch_us(http_buf_, l.start + 1'000'000);
  http_buf_.push_back('\t');
  ZeekWriter::append_uid(http_buf_, l.uid);
  fmt::format_to(std::back_inserter(http_buf_),
                 "\t{}\t{}\t{}\t{}\t1\t{}\t{}\t{}\t-\t1.1\tMozilla/5.0 (Windows NT 10.0; Win64; x64)\t-\t{}\t{}\t{}\t{}\t-\t-\t"
                 "(empty)\t-\t-\t-\t-\t-\t-\t-\t-\t-\n",
                 l.src.to_string(), l.sport, l.dst.to_string(), l.dport, r.method, r.host, r.target, r.upload, r.download,
                 r.status, r.status == 200 ? (r.method == "CONNECT" ? "Connection established" : "OK") : "Service Unavailable");
}

void ProxyNet::write_squid(const Request& r) {
  const SimConn& l = r.leg;
  const TimeNs end = l.end();
  const bool ok = r.status == 200;
  const char* code = !ok ? "NONE_NONE" : r.method == "CONNECT" ? "TCP_TUNNEL" : "TCP_MISS";
  fmt::format_to(std::back_inserter(squid_buf_), "{}.{:03} {:>6} {} {}/{} {} {} {} - {}/{} {}\n", end / kNsPerSec,
                 (end % kNsPerSec) / 1'000'000, l.duration / 1'000'000, l.src.to_string(), code, r.status, l.in_bytes,
                 r.method, r.target, ok ? "HIER_DIRECT" : "HIER_NONE", ok ? r.peer : "-",
                 r.method == "CONNECT" ? "-" : "text/html");
  ++squid_records_;
}

bool ProxyNet::flush_before(TimeNs t) {
  std::stable_sort(http_.begin(), http_.end(), [](const Request& a, const Request& b) { return a.leg.start < b.leg.start; });
  size_t n = 0;
  for (; n < http_.size() && http_[n].leg.start < t; ++n) write_http(http_[n]);
  http_.erase(http_.begin(), http_.begin() + static_cast<std::ptrdiff_t>(n));
  while (!squid_.empty() && squid_.top().leg.end() < t) {
    write_squid(squid_.top());
    squid_.pop();
  }
  return firewall_.flush_before(t) && squid_file_.write(squid_buf_, 1 << 20) && (!zeek_ || http_file_.write(http_buf_, 1 << 20));
}

bool ProxyNet::close(std::string& error) {
  bool ok = flush_before(std::numeric_limits<TimeNs>::max());
  if (zeek_) {
    http_buf_ += "#close\t";
    http_buf_ += format_time(org_.end()).substr(0, 19);  // ZeekWriter's #close is 2026-01-07-00-00-00
    for (size_t i = http_buf_.size() - 19; i < http_buf_.size(); ++i)
      if (http_buf_[i] == 'T' || http_buf_[i] == ':') http_buf_[i] = '-';
    http_buf_ += '\n';
    ok = http_file_.write(http_buf_) && http_file_.close(error) && ok;
  }
  ok = squid_file_.write(squid_buf_) && squid_file_.close(error) && ok;
  ok = firewall_.close(error) && ok;
  if (!ok && error.empty()) error = "cannot write the proxy's or the firewall's log";
  return ok;
}

}  // namespace outflow::sim
