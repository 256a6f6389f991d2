#include "outflow/intel/intel_set.h"

#include <algorithm>
#include <charconv>

#include "outflow/features/classify.h"
#include "outflow/intel/feed_lines.h"
#include "outflow/intel/registered_domain.h"

namespace outflow {

namespace {

IpAddr mask(const IpAddr& a, unsigned len) {
  IpAddr m = a;
  for (unsigned i = 0; i < 16; ++i) {
    const unsigned bits = len >= 8 * (i + 1) ? 8 : len > 8 * i ? len - 8 * i : 0;
    m.b[i] = static_cast<uint8_t>(m.b[i] & (bits == 8 ? 0xff : static_cast<uint8_t>(0xff00 >> bits)));
  }
  return m;
}

bool parse_addr(std::string_view s, IpAddr& out, std::string& reason) {
  if (s.find('%') != std::string_view::npos) {
    reason = "an IPv6 zone id names a local interface, not a destination";
    return false;
  }
  if (!IpAddr::parse(s, out)) {
    reason = "not an address";
    return false;
  }
  return true;
}

}  // namespace

const char* intel_kind_name(IntelKind k) {
  switch (k) {
    case IntelKind::malicious: return "malicious";
    case IntelKind::suspicious: return "suspicious";
    case IntelKind::trusted_abused: return "trusted_abused";
    case IntelKind::popular: return "popular";
    case IntelKind::label: return "label";
  }
  return "?";
}

bool parse_intel_kind(std::string_view s, IntelKind& out) {
  for (IntelKind k : {IntelKind::malicious, IntelKind::suspicious, IntelKind::trusted_abused, IntelKind::popular, IntelKind::label})
    if (s == intel_kind_name(k)) return out = k, true;
  return false;
}

const char* indicator_type_name(IndicatorType t) {
  switch (t) {
    case IndicatorType::ipv4: return "ipv4";
    case IndicatorType::ipv6: return "ipv6";
    case IndicatorType::cidr4: return "cidr4";
    case IndicatorType::cidr6: return "cidr6";
    case IndicatorType::domain: return "domain";
    case IndicatorType::url: return "url";
    case IndicatorType::substring: return "substring";
    case IndicatorType::kCount: break;
  }
  return "?";
}

bool normalise_domain(std::string_view in, std::string& out, std::string& reason) {
  in = trim_blanks(in);
  if (!in.empty() && in.back() == '.') in.remove_suffix(1);
  if (in.empty()) return reason = "empty name", false;
  if (in.size() > 253) return reason = "name longer than 253 bytes", false;
  out = ascii_lower(in);
  size_t label = 0, dots = 0;
  for (char c : out) {
    if (c == '.') {
      if (label == 0) return reason = "empty label", false;
      label = 0, ++dots;
      continue;
    }
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_'))
      return reason = "character not allowed in a name", false;
    if (++label > 63) return reason = "label longer than 63 bytes", false;
  }
  if (label == 0) return reason = "empty label", false;
  if (dots == 0) return reason = "a single label is not a destination name", false;
  return true;
}

uint16_t IntelSet::add_feed(const FeedSpec& spec) {
  feeds_.push_back(spec);
  stats_.emplace_back();
  return static_cast<uint16_t>(feeds_.size() - 1);
}

uint32_t IntelSet::label(std::string_view text) {
  for (size_t i = labels_.size(); i-- > 0 && labels_.size() - i <= 64;)  // recent labels repeat
    if (labels_[i] == text) return static_cast<uint32_t>(i);
  if (labels_.size() >= 1'000'000) return UINT32_MAX;
  labels_.emplace_back(text.substr(0, 200));
  return static_cast<uint32_t>(labels_.size() - 1);
}

std::string_view IntelSet::label_text(uint32_t id) const { return id < labels_.size() ? std::string_view(labels_[id]) : ""; }

uint32_t IntelSet::meta_index(const IndicatorMeta& m) {
  if (!metas_.empty()) {
    const IndicatorMeta& b = metas_.back();
    if (b.valid_from == m.valid_from && b.valid_until == m.valid_until && b.created == m.created && b.label == m.label &&
        b.feed == m.feed && b.confidence == m.confidence)
      return static_cast<uint32_t>(metas_.size() - 1);
  }
  metas_.push_back(m);
  return static_cast<uint32_t>(metas_.size() - 1);
}

bool IntelSet::room() {
  if (size() < kMaxIndicators) return true;
  ++dropped_;
  return false;
}

bool IntelSet::add_ip_text(std::string_view text, const IndicatorMeta& m, std::string& reason) {
  const size_t slash = text.find('/');
  IpAddr a;
  if (!parse_addr(text.substr(0, slash), a, reason)) return false;
  const bool v4 = a.is_v4();
  unsigned len = 128;
  if (slash != std::string_view::npos) {
    const std::string_view p = text.substr(slash + 1);
    unsigned n = 0;
    const auto r = std::from_chars(p.data(), p.data() + p.size(), n);
    if (p.empty() || r.ec != std::errc() || r.ptr != p.data() + p.size()) return reason = "bad prefix length", false;
    if (n > (v4 ? 32u : 128u)) return reason = v4 ? "prefix length over 32" : "prefix length over 128", false;
    len = v4 ? 96 + n : n;
  }
  if (!room()) return reason = "indicator cap reached", false;
  const IndicatorType t = len == 128 ? (v4 ? IndicatorType::ipv4 : IndicatorType::ipv6) : (v4 ? IndicatorType::cidr4 : IndicatorType::cidr6);
  ++stats_[m.feed].by_type[static_cast<size_t>(t)];
  nets_.push_back(Net{mask(a, len), static_cast<uint8_t>(len), meta_index(m)});
  finished_ = false;
  return true;
}

bool IntelSet::add_name(std::string_view name, bool subdomains, std::string_view url, std::string_view path, const IndicatorMeta& m,
                        std::string& reason) {
  std::string n;
  if (!normalise_domain(name, n, reason)) return false;
  if (!room()) return reason = "indicator cap reached", false;
  if (pool_.size() + n.size() + path.size() > UINT32_MAX - 1) return ++dropped_, reason = "indicator text cap reached", false;
  Name e;
  e.off = static_cast<uint32_t>(pool_.size());
  e.len = static_cast<uint16_t>(n.size());
  pool_ += n;
  e.flags = static_cast<uint8_t>((subdomains ? kSubdomains : 0) | (url.empty() ? 0 : kUrl));
  if (!path.empty() && path != "/") {
    path = path.substr(0, 1024);
    e.path = static_cast<uint32_t>(pool_.size());
    e.path_len = static_cast<uint16_t>(path.size());
    pool_ += path;
  }
  e.meta = meta_index(m);
  names_.push_back(e);
  ++stats_[m.feed].by_type[static_cast<size_t>(url.empty() ? IndicatorType::domain : IndicatorType::url)];
  finished_ = false;
  return true;
}

bool IntelSet::add_substring(std::string_view text, const IndicatorMeta& m, std::string& reason) {
  text = trim_blanks(text);
  if (text.size() < 3) return reason = "substring shorter than 3 bytes", false;
  if (subs_.size() >= kMaxSubstrings) return ++dropped_, reason = "substring cap reached", false;
  subs_.push_back(Sub{ascii_lower(text), meta_index(m)});
  ++stats_[m.feed].by_type[static_cast<size_t>(IndicatorType::substring)];
  return true;
}

bool IntelSet::add_typed(IndicatorType type, std::string_view text, const IndicatorMeta& m, std::string& reason) {
  text = trim_blanks(text);
  switch (type) {
    case IndicatorType::ipv4:
    case IndicatorType::ipv6:
    case IndicatorType::cidr4:
    case IndicatorType::cidr6: return add_ip_text(text, m, reason);
    case IndicatorType::domain: {
      bool subs = false;
      if (text.starts_with("*.")) text.remove_prefix(2), subs = true;
      else if (text.starts_with(".")) text.remove_prefix(1), subs = true;
      IpAddr ip;
      if (IpAddr::parse(text, ip)) return add_ip_text(text, m, reason);  // a hostname attribute holding an address
      return add_name(text, subs, {}, {}, m, reason);
    }
    case IndicatorType::url: {
      const size_t scheme = text.find("://");
      std::string_view rest = scheme == std::string_view::npos ? text : text.substr(scheme + 3);
      const size_t end = rest.find_first_of("/?#");
      std::string_view host = rest.substr(0, end);
      std::string_view path = end == std::string_view::npos ? std::string_view{} : rest.substr(end);
      if (const size_t q = path.find_first_of("?#"); q != std::string_view::npos) path = path.substr(0, q);
      if (const size_t at = host.rfind('@'); at != std::string_view::npos) host.remove_prefix(at + 1);
      if (host.starts_with("[")) {
        const size_t close = host.find(']');
        if (close == std::string_view::npos) return reason = "URL with an unclosed [address]", false;
        host = host.substr(1, close - 1);
      } else if (const size_t colon = host.rfind(':'); colon != std::string_view::npos) {
        host = host.substr(0, colon);
      }
      if (host.empty()) return reason = "URL without a host", false;
      IpAddr ip;
      if (host.find('%') == std::string_view::npos && IpAddr::parse(host, ip)) {
        // An address in a URL: the address is the indicator (counted as a URL).
        if (!add_ip_text(host, m, reason)) return false;
        auto& bt = stats_[m.feed].by_type;
        --bt[static_cast<size_t>(ip.is_v4() ? IndicatorType::ipv4 : IndicatorType::ipv6)];
        ++bt[static_cast<size_t>(IndicatorType::url)];
        return true;
      }
      return add_name(host, false, text, path, m, reason);
    }
    case IndicatorType::substring: return add_substring(text, m, reason);
    case IndicatorType::kCount: break;
  }
  return reason = "unknown type", false;
}

bool IntelSet::add_text(std::string_view text, const IndicatorMeta& m, std::string& reason) {
  text = trim_blanks(text);
  if (text.empty()) return reason = "empty", false;
  if (text.find("://") != std::string_view::npos) return add_typed(IndicatorType::url, text, m, reason);
  if (text.find('/') != std::string_view::npos || text.find(':') != std::string_view::npos ||
      (!text.empty() && text.find_first_not_of("0123456789.") == std::string_view::npos))
    return add_ip_text(text, m, reason);
  return add_typed(IndicatorType::domain, text, m, reason);
}

void IntelSet::finish() {
  std::sort(nets_.begin(), nets_.end(), [](const Net& a, const Net& b) {
    if (a.len != b.len) return a.len > b.len;
    if (!(a.net == b.net)) return a.net < b.net;
    return a.meta < b.meta;
  });
  lens_.clear();
  for (size_t i = 0; i < nets_.size();) {
    size_t j = i;
    while (j < nets_.size() && nets_[j].len == nets_[i].len) ++j;
    lens_.push_back({nets_[i].len, {i, j}});
    i = j;
  }
  std::sort(names_.begin(), names_.end(), [&](const Name& a, const Name& b) {
    const auto x = name_text(a), y = name_text(b);
    if (x != y) return x < y;
    return a.meta < b.meta;
  });
  nets_.shrink_to_fit();
  names_.shrink_to_fit();
  metas_.shrink_to_fit();
  pool_.shrink_to_fit();
  finished_ = true;
}

void IntelSet::count_expired(TimeNs ref) {
  for (auto& st : stats_) st.expired = 0;
  auto count = [&](uint32_t meta) {
    const IndicatorMeta& m = metas_[meta];
    if (m.valid_until == kNoTime) return;
    FeedStats& st = stats_[m.feed];
    const TimeNs r = ref != kNoTime ? ref : st.newest;
    if (r != kNoTime && m.valid_until <= r) ++st.expired;
  };
  for (const auto& n : nets_) count(n.meta);
  for (const auto& n : names_) count(n.meta);
  for (const auto& s : subs_) count(s.meta);
}

size_t IntelSet::memory_bytes() const {
  size_t b = nets_.capacity() * sizeof(Net) + names_.capacity() * sizeof(Name) + metas_.capacity() * sizeof(IndicatorMeta) +
             pool_.capacity();
  for (const auto& s : subs_) b += sizeof(Sub) + s.text.capacity();
  for (const auto& l : labels_) b += sizeof(std::string) + l.capacity();
  return b;
}

std::string IntelSet::indicator_text(const Name& n) const {
  std::string s = (n.flags & kSubdomains) ? "." : "";
  s += name_text(n);
  if (n.path != UINT32_MAX) s += std::string_view(pool_).substr(n.path, n.path_len);
  return s;
}

void IntelSet::match_ip(const IpAddr& ip, TimeNs first, TimeNs last, std::vector<IntelMatch>& out) const {
  if (ip.is_unset()) return;
  const bool v4 = ip.is_v4();
  for (const auto& [len, range] : lens_) {
    if (v4 && len < 96) continue;  // an IPv6 network shorter than ::ffff:0:0/96 is no IPv4 list's entry
    const IpAddr key = mask(ip, len);
    auto lo = std::lower_bound(nets_.begin() + static_cast<long>(range.first), nets_.begin() + static_cast<long>(range.second), key,
                               [](const Net& n, const IpAddr& k) { return n.net < k; });
    for (; lo != nets_.begin() + static_cast<long>(range.second) && lo->net == key; ++lo) {
      const IndicatorMeta& m = metas_[lo->meta];
      if (!m.valid_during(first, last)) continue;
      if (out.size() >= kMaxMatches) return;
      IntelMatch x;
      x.meta = &m;
      const bool nv4 = len >= 96 && lo->net.is_v4();
      x.type = len == 128 ? (nv4 ? IndicatorType::ipv4 : IndicatorType::ipv6) : (nv4 ? IndicatorType::cidr4 : IndicatorType::cidr6);
      x.indicator = lo->net.to_string();
      if (len < 128) x.indicator += "/" + std::to_string(nv4 ? len - 96 : len);
      x.matched = ip.to_string();
      out.push_back(std::move(x));
    }
  }
}

void IntelSet::match_name(std::string_view name, TimeNs first, TimeNs last, std::vector<IntelMatch>& out,
                          const std::vector<std::string_view>& paths) const {
  std::string n, reason;
  if (!normalise_domain(name, n, reason)) return;
  std::string regdom;  // computed on the first parent lookup that needs it
  bool have_regdom = false;
  for (size_t pos = 0; pos != std::string::npos;) {
    const std::string_view suffix = std::string_view(n).substr(pos);
    const bool exact = pos == 0;
    auto lo = std::lower_bound(names_.begin(), names_.end(), suffix, [&](const Name& e, std::string_view k) { return name_text(e) < k; });
    for (; lo != names_.end() && name_text(*lo) == suffix; ++lo) {
      bool hit = exact;
      if (!exact) {
        if (lo->flags & kUrl) continue;  // a URL names its host only
        if (lo->flags & kSubdomains) {
          hit = true;
        } else {
          if (!have_regdom) regdom = psl_registered_domain(n), have_regdom = true;
          // Inside the registered domain: "evil.com" holds "x.evil.com"; "github.io" does not
          // hold "x.attacker.github.io" (registered as attacker.github.io).
          hit = !regdom.empty() && suffix.size() >= regdom.size();
        }
      }
      if (!hit) continue;
      const IndicatorMeta& m = metas_[lo->meta];
      if (!m.valid_during(first, last)) continue;
      if (out.size() >= kMaxMatches) return;
      IntelMatch x;
      x.meta = &m;
      x.type = (lo->flags & kUrl) ? IndicatorType::url : IndicatorType::domain;
      x.indicator = indicator_text(*lo);
      x.matched = n;
      if (lo->path != UINT32_MAX) {
        const std::string_view p = std::string_view(pool_).substr(lo->path, lo->path_len);
        x.path_matched = std::any_of(paths.begin(), paths.end(), [&](std::string_view q) { return q.starts_with(p); });
      }
      out.push_back(std::move(x));
    }
    const size_t dot = n.find('.', pos);
    pos = dot == std::string::npos ? std::string::npos : dot + 1;
  }
  for (const auto& s : subs_) {
    if (n.find(s.text) == std::string::npos) continue;
    const IndicatorMeta& m = metas_[s.meta];
    if (!m.valid_during(first, last)) continue;
    if (out.size() >= kMaxMatches) return;
    out.push_back(IntelMatch{&m, IndicatorType::substring, "*" + s.text + "*", n, false});
  }
}

}  // namespace outflow
