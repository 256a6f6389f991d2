#include "outflow/features/dns_view.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>
#include <functional>

#include "outflow/features/byte_codec.h"

namespace outflow {

namespace {

// Case-insensitive, trailing dot ignored: "A.Example.com." and "a.example.com" are one name.
// (libstdc++'s string hash is MurmurHash64A: well mixed in every bit, as the sketch needs.)
uint64_t name_hash(std::string_view n) {
  while (!n.empty() && n.back() == '.') n.remove_suffix(1);
  std::string lower(n);
  for (char& c : lower)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return std::hash<std::string>()(lower);
}

void widen(TimeNs& first, TimeNs& last, TimeNs t) {
  if (t == kNoTime) return;
  if (first == kNoTime || t < first) first = t;
  if (last == kNoTime || t > last) last = t;
}

using codec::put;
using codec::take;

}  // namespace

void DistinctCounter::add(uint64_t h) {
  if (hll_) return add_hll(h);
  auto it = std::lower_bound(exact_.begin(), exact_.end(), h);
  if (it != exact_.end() && *it == h) return;
  exact_.insert(it, h);
  if (exact_.size() > kExactNames) to_hll();
}

void DistinctCounter::add_hll(uint64_t h) {
  const size_t reg = h >> 56;  // top 8 bits: 256 registers
  const uint64_t rest = (h << 8) | 0x80;  // never all zero
  const auto rank = static_cast<uint8_t>(std::countl_zero(rest) + 1);
  auto& r = (*hll_)[reg];
  r = std::max(r, rank);
}

void DistinctCounter::to_hll() {
  hll_ = std::make_unique<std::array<uint8_t, kHllRegisters>>();
  hll_->fill(0);
  for (uint64_t h : exact_) add_hll(h);
  exact_.clear();
  exact_.shrink_to_fit();
}

uint64_t DistinctCounter::estimate() const {
  if (!hll_) return exact_.size();
  constexpr double m = kHllRegisters;
  const double alpha = 0.7213 / (1 + 1.079 / m);
  double sum = 0;
  size_t zeros = 0;
  for (uint8_t r : *hll_) {
    sum += std::ldexp(1.0, -r);
    zeros += r == 0;
  }
  double e = alpha * m * m / sum;
  if (e <= 2.5 * m && zeros > 0) e = m * std::log(m / static_cast<double>(zeros));  // linear counting
  return static_cast<uint64_t>(std::llround(e));
}

void DistinctCounter::merge(const DistinctCounter& o) {
  if (o.hll_) {
    if (!hll_) to_hll();
    for (size_t i = 0; i < kHllRegisters; ++i) (*hll_)[i] = std::max((*hll_)[i], (*o.hll_)[i]);
    return;
  }
  for (uint64_t h : o.exact_) add(h);
}

void DistinctCounter::serialize(std::string& out) const {
  put(out, static_cast<uint8_t>(hll_ ? 1 : 0));
  if (hll_) {
    out.append(reinterpret_cast<const char*>(hll_->data()), hll_->size());
    return;
  }
  put(out, static_cast<uint32_t>(exact_.size()));
  for (uint64_t h : exact_) put(out, h);
}

bool DistinctCounter::deserialize(std::string_view& in) {
  uint8_t kind = 0;
  if (!take(in, kind)) return false;
  exact_.clear();
  hll_.reset();
  if (kind == 1) {
    if (in.size() < kHllRegisters) return false;
    hll_ = std::make_unique<std::array<uint8_t, kHllRegisters>>();
    std::memcpy(hll_->data(), in.data(), kHllRegisters);
    in.remove_prefix(kHllRegisters);
    return true;
  }
  uint32_t n = 0;
  if (!take(in, n) || n > kExactNames || in.size() < n * sizeof(uint64_t)) return false;
  exact_.resize(n);
  for (auto& h : exact_) take(in, h);
  return std::is_sorted(exact_.begin(), exact_.end());
}

DnsDomainStats& DnsDomainStats::operator=(const DnsDomainStats& o) {
  if (this == &o) return *this;
  domain = o.domain;
  names = DistinctCounter{};
  names.merge(o.names);
  queries = o.queries, typed = o.typed, txt_null = o.txt_null, first = o.first, last = o.last;
  resolvers = o.resolvers;
  return *this;
}

std::vector<DnsDomainStats>* DnsView::entity(HostId host, const IpAddr& client) {
  if (host != kNoHost) {
    auto it = by_host_.find(host);
    if (it != by_host_.end()) return &it->second;
    if (by_host_.size() + by_ip_.size() >= caps_.max_entities) return nullptr;
    return &by_host_[host];
  }
  if (internal_.empty() || client.is_unset() || !internal_.contains(client)) return nullptr;
  auto it = by_ip_.find(client);
  if (it != by_ip_.end()) return &it->second;
  if (by_host_.size() + by_ip_.size() >= caps_.max_entities) return nullptr;
  return &by_ip_[client];
}

void DnsView::add(HostId host, const IpAddr& client, const IpAddr& server, TimeNs t, std::string_view query, uint16_t qtype) {
  ++queries_;
  std::string_view q = query;
  while (!q.empty() && q.back() == '.') q.remove_suffix(1);
  if (q.empty()) return;
  std::string domain = registered_domain(q);
  // Reverse lookups are names of addresses, not of a domain someone runs.
  if (domain.ends_with(".arpa") || domain == "arpa") return;
  const bool known = host != kNoHost || (!client.is_unset() && internal_.contains(client));
  std::vector<DnsDomainStats>* e = entity(host, client);
  if (!e) {
    if (known) ++entities_dropped_;
    else ++not_kept_;
    return;
  }
  auto it = std::find_if(e->begin(), e->end(), [&](const DnsDomainStats& d) { return d.domain == domain; });
  if (it == e->end()) {
    if (e->size() >= kDomainsPerEntity) {
      // Full: the domain with the fewest unique names (then queries) makes room; a tunnel's
      // domain, with thousands, is never the one to go.
      it = std::min_element(e->begin(), e->end(), [](const DnsDomainStats& a, const DnsDomainStats& b) {
        const uint64_t ua = a.unique_names(), ub = b.unique_names();
        return ua != ub ? ua < ub : a.queries < b.queries;
      });
      if (auto h = domain_hosts_.find(it->domain); h != domain_hosts_.end() && h->second > 0) --h->second;
      *it = DnsDomainStats{};
      ++domains_replaced_;
    } else {
      e->emplace_back();
      it = e->end() - 1;
    }
    it->domain = domain;
    ++domain_hosts_[domain];
  }
  DnsDomainStats& d = *it;
  ++d.queries;
  if (qtype != 0) {
    ++d.typed;
    d.txt_null += dns_type_tunnel_carrier(qtype);
  }
  d.names.add(name_hash(q));
  widen(d.first, d.last, t);
  if (!server.is_unset() && d.resolvers.size() < kResolvers &&
      std::find(d.resolvers.begin(), d.resolvers.end(), server) == d.resolvers.end())
    d.resolvers.push_back(server);
}

const std::vector<DnsDomainStats>* DnsView::of_host(HostId host) const {
  auto it = by_host_.find(host);
  return it == by_host_.end() ? nullptr : &it->second;
}

const std::vector<DnsDomainStats>* DnsView::of_address(const IpAddr& ip) const {
  auto it = by_ip_.find(ip);
  return it == by_ip_.end() ? nullptr : &it->second;
}

uint32_t DnsView::hosts_querying(const std::string& domain) const {
  auto it = domain_hosts_.find(domain);
  return it == domain_hosts_.end() ? 0 : it->second;
}

std::string registered_domain(std::string_view name) {
  // Registrable part: the last two labels, or three when the second-level label is a generic
  // one under a country code (co.uk, com.au...). Debian ships no public-suffix library we use,
  // and this is only a grouping key. Read from the end in place: this runs once per DNS record,
  // and a lower-cased copy of the name and a vector of its labels (two allocations) were most
  // of its cost.
  std::string_view n = name;
  while (!n.empty() && n.back() == '.') n.remove_suffix(1);
  const size_t labels = static_cast<size_t>(std::count(n.begin(), n.end(), '.')) + 1;
  size_t keep = 2;
  if (labels >= 3) {
    const size_t d1 = n.rfind('.');          // before the last label
    const size_t d2 = n.rfind('.', d1 - 1);  // before the second-level label (labels >= 3: d1 >= 1)
    const std::string_view last = n.substr(d1 + 1), sld = n.substr(d2 + 1, d1 - d2 - 1);
    const auto is = [&](std::string_view want) {
      if (sld.size() != want.size()) return false;
      for (size_t i = 0; i < want.size(); ++i)
        if ((sld[i] >= 'A' && sld[i] <= 'Z' ? static_cast<char>(sld[i] - 'A' + 'a') : sld[i]) != want[i]) return false;
      return true;
    };
    const bool generic = is("co") || is("com") || is("org") || is("net") || is("ac") || is("gov") || is("edu");
    if (last.size() == 2 && generic) keep = 3;
  }
  // The kept labels are the text after the keep-th dot from the end (all of it when there are
  // fewer); empty labels at their front add no dot, as joining non-empty ones did.
  size_t start = 0;
  for (size_t i = n.size(), dots = 0; i-- > 0;)
    if (n[i] == '.' && ++dots == keep) {
      start = i + 1;
      break;
    }
  while (start < n.size() && n[start] == '.') ++start;
  std::string r(n.substr(start));
  for (char& c : r) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (static_cast<unsigned char>(c) < 0x20) c = '?';  // the baseline keys use \x1f as separator
  }
  return r;
}

}  // namespace outflow
