#include "outflow/read/suricata/eve_dns.h"

#include <algorithm>
#include <vector>

#include "outflow/core/utf8.h"

namespace outflow::suricata {

uint16_t dns_type_number(std::string_view t) {
  static constexpr std::pair<std::string_view, uint16_t> kTypes[] = {
      {"A", 1},     {"NS", 2},    {"CNAME", 5}, {"SOA", 6},   {"NULL", 10}, {"PTR", 12},  {"MX", 15},
      {"TXT", 16},  {"AAAA", 28}, {"SRV", 33},  {"NAPTR", 35}, {"DS", 43},  {"RRSIG", 46}, {"DNSKEY", 48},
      {"SVCB", 64}, {"HTTPS", 65}, {"ANY", 255}};
  for (const auto& [name, n] : kTypes)
    if (t == name) return n;
  return 0;
}

namespace {

uint64_t key_of(std::string_view flow_id, uint64_t id, std::string_view name) {
  uint64_t h = 0xcbf29ce484222325ULL;
  for (const char c : flow_id) h = (h ^ static_cast<unsigned char>(c)) * 0x100000001b3ULL;
  h = (h ^ id) * 0x100000001b3ULL;
  for (const char c : name) h = (h ^ static_cast<unsigned char>(c | 0x20)) * 0x100000001b3ULL;
  return h;
}

}  // namespace

void EveDnsPairing::deliver(const Pending& p, ReadContext& ctx) {
  out_.time = p.time;
  out_.client = p.client;
  out_.server = p.server;
  out_.qtype = p.qtype;
  out_.query = p.query;
  out_.answers.clear();
  out_.ptr_name.clear();
  ctx.sink.on_dns(out_);
  ++ctx.stats.dns;
}

void EveDnsPairing::flush_older(TimeNs before, ReadContext& ctx) {
  std::vector<std::pair<TimeNs, uint64_t>> due;
  for (const auto& [k, p] : pending_)
    if (before == kNoTime || p.time < before) due.emplace_back(p.time, k);
  std::sort(due.begin(), due.end());  // in time order, whatever the hash order
  for (const auto& [t, k] : due) {
    auto it = pending_.find(k);
    deliver(it->second, ctx);
    pending_.erase(it);
  }
}

void EveDnsPairing::flush_all(ReadContext& ctx) { flush_older(kNoTime, ctx); }

const char* EveDnsPairing::event(const EveEvent& ev, TimeNs t, const IpAddr& src, const IpAddr& dst, ReadContext& ctx,
                                 flowread::SkipCounter& skips) {
  const EveDns& d = ev.dns;
  if (newest_ == kNoTime || t > newest_) newest_ = t;
  if (++since_sweep_ >= 4096) {
    since_sweep_ = 0;
    flush_older(newest_ - kPendingWait, ctx);
  }
  // The client is the side not on port 53 (old Suricata wrote answers in the packet's direction).
  const bool swapped = ev.src_port == 53 && ev.dest_port != 53;
  const IpAddr& client = swapped ? dst : src;
  const IpAddr& server = swapped ? src : dst;
  const bool query = d.type == "query" || d.type == "request";
  const uint64_t key = key_of(ev.flow_id, d.id, d.rrname);
  if (query) {
    if (d.rrname.empty()) {
      skips.add("suricata dns (query without rrname)");
      return nullptr;
    }
    if (auto it = pending_.find(key); it != pending_.end()) {  // a retransmission: the first goes out
      deliver(it->second, ctx);
      pending_.erase(it);
    }
    if (pending_.size() >= kMaxPending) {
      std::vector<TimeNs> times;
      times.reserve(pending_.size());
      for (const auto& [k, p] : pending_) times.push_back(p.time);
      std::nth_element(times.begin(), times.begin() + static_cast<long>(times.size() / 2), times.end());
      flush_older(times[times.size() / 2] + 1, ctx);
    }
    Pending& p = pending_[key];
    p.time = t;
    p.client = client;
    p.server = server;
    p.qtype = dns_type_number(d.rrtype);
    assign_capped(p.query, d.rrname, flowread::kMaxFlowText);
    return nullptr;
  }
  if (d.type != "answer" && d.type != "response") {
    skips.add("suricata dns (neither query nor answer)");
    return nullptr;
  }
  // An answer: with its query when it waited here (one record, the query's time and type).
  cur_.time = t;
  cur_.client = client;
  cur_.server = server;
  cur_.qtype = dns_type_number(d.rrtype);
  assign_capped(cur_.query, d.rrname, flowread::kMaxFlowText);
  if (auto it = pending_.find(key); it != pending_.end()) {
    cur_.time = it->second.time;
    if (it->second.qtype) cur_.qtype = it->second.qtype;
    pending_.erase(it);
  }
  if (cur_.query.empty() && cur_.answers.empty()) {
    skips.add("suricata dns (no query, no address answer)");
    return nullptr;
  }
  cur_.host.clear();
  ctx.sink.on_dns(cur_);
  ++ctx.stats.dns;
  return nullptr;
}

}  // namespace outflow::suricata
