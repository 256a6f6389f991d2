#include "outflow/simulate/recorder.h"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>

#include "outflow/simulate/destinations.h"
#include "outflow/simulate/proxy_net.h"

namespace outflow::sim {

Recorder::Recorder(const Organisation& org, uint64_t seed, std::string sysmon_dir, ZeekWriter* zeek,
                   NetflowWriter* netflow)
    : org_(org), dir_(std::move(sysmon_dir)), zeek_(zeek), netflow_(netflow) {
  fmt_.reserve(org.hosts.size());
  for (const auto& h : org.hosts) fmt_.emplace_back(h);
  resolver_.assign(org.hosts.size(), nullptr);
  listeners_.resize(org.hosts.size());
  for (const auto& h : org.hosts) {
    host_by_ip_[h.ip] = h.index;
    drops_outgoing_ = drops_outgoing_ || h.sensor_drops_outgoing;
  }
  out_.reserve(org.hosts.size());
  for (size_t i = 0; i < org.hosts.size(); ++i) {
    HostOut& o = out_.emplace_back(Rng(seed, stream_id("recorder"), i), Rng(seed, stream_id("other events"), i),
                                   Rng(seed, stream_id("inbound"), i));
    o.pid = 600 + static_cast<uint32_t>(o.rng.below(400)) * 4;
    o.port = static_cast<uint16_t>(49152 + o.rng.below(10000));
  }
}

uint32_t Recorder::next_pid(uint32_t host) {
  auto& o = out_[host];
  o.pid += 4 * (1 + static_cast<uint32_t>(o.rng.below(40)));
  if (o.pid > 60000) o.pid = 500 + static_cast<uint32_t>(o.rng.below(100)) * 4;  // PIDs are reused
  return o.pid;
}

std::string Recorder::new_guid(uint32_t host, TimeNs t) {
  // Sysmon: {machine-part}-{creation time}-{counter}-{session}: unique per host and process.
  const auto secs = static_cast<uint32_t>(t / kNsPerSec);
  const uint32_t n = ++out_[host].guid_counter;
  return fmt::format("{{{}-{:04x}-{:04x}-{:04x}-{:06x}000{:03x}}}", org_.hosts[host].guid_prefix, secs & 0xffff,
                     secs >> 16, n & 0xffff, n >> 16, 0x800 + (n >> 8) % 0x100);
}

uint16_t Recorder::ephemeral_port(uint32_t host) {
  auto& o = out_[host];
  o.port = static_cast<uint16_t>(o.port + 1 + o.rng.below(3));
  if (o.port < 49152) o.port = 49152;
  return o.port;
}

void Recorder::add_event(uint32_t host, TimeNs t, const SimProcess& p) {
  auto& o = out_[host];
  o.events.emplace_back(t, line_);
  if (other_events_ <= 0) return;
  int n = static_cast<int>(other_events_);
  if (o.other_rng.chance(other_events_ - n)) ++n;
  for (int i = 0; i < n; ++i) {
    const TimeNs at = t + static_cast<TimeNs>(o.other_rng.below(2'000'000'000));
    line_.clear();
    fmt_[host].other_event(line_, p, o.other_rng.uniform(), at);
    o.events.emplace_back(at, line_);
  }
}

void Recorder::process_start(uint32_t host, const SimProcess& p) {
  line_.clear();
  fmt_[host].process_start(line_, p, p.start);
  add_event(host, p.start, p);
}

void Recorder::process_end(uint32_t host, const SimProcess& p) {
  line_.clear();
  fmt_[host].process_end(line_, p, p.end);
  out_[host].events.emplace_back(p.end, line_);
}

void Recorder::forget(uint32_t host, const SimProcess* p) {
  if (resolver_[host] == p) resolver_[host] = nullptr;
  auto& l = listeners_[host];
  l.erase(std::remove_if(l.begin(), l.end(), [&](const Listener& x) { return x.process == p; }), l.end());
}

void Recorder::inbound(const SimConn& c) {
  const auto it = host_by_ip_.find(c.dst);
  if (it == host_by_ip_.end()) return;
  SimProcess* listener = nullptr;
  if (c.outcome == SimConn::Outcome::established)
    for (const auto& l : listeners_[it->second])
      if (l.port == c.dport) {
        listener = l.process;
        break;
      }
  usage(it->second, listener, c, false);  // no listener: the kernel's (SRUM's "System")
  if (listener) sysmon_connect(it->second, *listener, c, c.src, out_[it->second].inbound_rng);
}

void Recorder::sysmon_connect(uint32_t host, SimProcess& p, const SimConn& c, const IpAddr& remote, Rng& rng) {
  auto it = std::find_if(p.logged.begin(), p.logged.end(), [&](const SimProcess::Logged& l) {
    return l.ip == remote && l.port == c.dport && l.proto == c.proto;
  });
  if (it != p.logged.end()) {
    if (c.start - it->at < kSysmonRepeatQuiet) return;  // Sysmon's cache: not logged again yet
    it->at = c.start;
  } else {
    if (p.logged.size() > 512) p.logged.erase(p.logged.begin());
    p.logged.push_back({remote, c.dport, c.proto, c.start});
  }
  const TimeNs t = c.start + 2'000'000 + static_cast<TimeNs>(rng.below(30'000'000));
  line_.clear();
  fmt_[host].network_connect(line_, p, c, t);
  add_event(host, t, p);
}

void Recorder::flow(SimConn c) {
  if (proxy_) proxy_->perimeter(c);
  if (drops_outgoing_) {
    auto lost = [&](const IpAddr& ip) {
      const auto it = host_by_ip_.find(ip);
      return it != host_by_ip_.end() && org_.hosts[it->second].sensor_drops_outgoing;
    };
    c.orig_unseen = lost(c.src);
    c.resp_unseen = lost(c.dst);
  }
  if (zeek_) zeek_->add(c);
  if (netflow_) netflow_->add(c);
  if (eve_) eve_->add(c);
}

void Recorder::wire_dns(const DnsRecord& d) {
  if (zeek_) zeek_->add_dns(d);
  if (eve_) eve_->add_dns(d);
}

void Recorder::lookup(uint32_t host, SimProcess& p, std::string_view domain, const std::vector<IpAddr>& answers, TimeNs t) {
  std::string results, zeek_answers;
  for (const auto& a : answers) {
    results += "::ffff:" + a.to_string() + ";";
    if (!zeek_answers.empty()) zeek_answers.push_back(',');
    zeek_answers += a.to_string();
  }
  line_.clear();
  fmt_[host].dns_query(line_, p, domain, results, t + 30'000'000);
  add_event(host, t + 30'000'000, p);

  const auto dc = static_cast<uint32_t>(org_.dc);
  const Host& h = org_.hosts[host];
  if (host != dc && resolver_[host]) {
    SimConn q;
    q.start = t;
    q.duration = 1'000'000 + static_cast<TimeNs>(out_[host].rng.below(20'000'000));
    q.src = h.ip;
    q.sport = ephemeral_port(host);
    q.dst = org_.hosts[dc].ip;
    q.dport = 53;
    q.proto = kProtoUdp;
    q.out_bytes = 30 + domain.size();
    q.in_bytes = q.out_bytes + 16 * answers.size();
    q.uid = out_[host].rng.next();
    sysmon_connect(host, *resolver_[host], q, q.dst, out_[host].rng);
    usage(host, resolver_[host], q, true);
    flow(q);
    inbound(q);
    wire_dns({t, h.ip, q.dst, q.sport, std::string(domain), zeek_answers, false, q.uid});
  }
  // The DC forwards names it has not cached to the public resolvers.
  auto& expiry = dc_cache_[std::string(domain)];
  if (expiry <= t && resolver_[dc]) {
    expiry = t + kDnsTtl;
    SimConn f;
    f.start = t + 500'000;
    Rng& rng = out_[dc].rng;
    f.duration = 8'000'000 + static_cast<TimeNs>(rng.below(40'000'000));
    f.src = org_.hosts[dc].ip;
    f.sport = ephemeral_port(dc);
    f.dst = dns_forwarder(static_cast<int>(rng.below(2)));
    f.dport = 53;
    f.proto = kProtoUdp;
    f.out_bytes = 40 + domain.size();
    f.in_bytes = f.out_bytes + 16 * answers.size() + 60;
    f.uid = rng.next();
    sysmon_connect(dc, *resolver_[dc], f, f.dst, rng);
    usage(dc, resolver_[dc], f, true);
    flow(f);
    wire_dns({f.start, f.src, f.dst, f.sport, std::string(domain), zeek_answers, false, f.uid});
  }
}

void Recorder::connect(uint32_t host, SimProcess& p, SimConn& c, std::string_view domain) {
  const Host& h = org_.hosts[host];
  c.src = h.ip;
  c.sport = ephemeral_port(host);
  c.uid = out_[host].rng.next();
  if (proxy_ && proxy_->routes(h, c)) {  // to the proxy, which resolves the name itself
    SimConn leg = proxy_->proxied(c, domain);
    sysmon_connect(host, p, leg, leg.dst, out_[host].rng);
    usage(host, &p, leg, true);
    flow(leg);
    return;
  }
  if (!domain.empty()) {
    auto& expiry = out_[host].dns_cache[std::string(domain)];
    if (expiry <= c.start) {
      expiry = c.start + kDnsTtl;
      lookup(host, p, domain, resolve(domain), c.start - 60'000'000);
    }
  }
  sysmon_connect(host, p, c, c.dst, out_[host].rng);
  usage(host, &p, c, true);
  flow(c);
  inbound(c);
}

bool Recorder::flush_before(TimeNs t, std::string& error) {
  for (size_t i = 0; i < out_.size(); ++i) {
    auto& o = out_[i];
    std::stable_sort(o.events.begin(), o.events.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    size_t n = 0;
    std::string buf;
    for (; n < o.events.size() && o.events[n].first < t; ++n) buf += o.events[n].second;
    o.events.erase(o.events.begin(), o.events.begin() + static_cast<std::ptrdiff_t>(n));
    // No Sysmon output wanted, a flow-only host (its records were made all the same, so that every
    // random draw and so every flow is as with a Sysmon file), or nothing new.
    if (dir_.empty() || !org_.hosts[i].endpoint || (buf.empty() && o.started)) continue;
    // Opened per flush: an organisation of thousands of hosts must not hold a descriptor each.
    const std::string path = dir_ + "/" + org_.hosts[i].name + ".jsonl";
    std::FILE* f = std::fopen(path.c_str(), o.started ? "ab" : "wb");
    o.started = true;
    bool ok = f && std::fwrite(buf.data(), 1, buf.size(), f) == buf.size();
    if (f && std::fclose(f) != 0) ok = false;
    if (!ok) {
      error = path + ": " + std::strerror(errno);
      return false;
    }
    sysmon_bytes_ += buf.size();
  }
  if (zeek_ && !zeek_->flush_before(t)) {
    error = "cannot write the Zeek logs";
    return false;
  }
  if (eve_ && !eve_->flush_before(t)) {
    error = "cannot write eve.json";
    return false;
  }
  if (proxy_ && !proxy_->flush_before(t)) {
    error = "cannot write the proxy's or the firewall's log";
    return false;
  }
  if (srum_ && !srum_->flush_before(t, error)) return false;
  if (netflow_ && !netflow_->flush_before(t)) {
    error = "cannot write flows.csv";
    return false;
  }
  return true;
}

}  // namespace outflow::sim
