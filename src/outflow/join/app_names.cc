#include "outflow/join/app_names.h"

#include <algorithm>
#include <functional>

#include "outflow/read/squid/proxy_target.h"

namespace outflow {

namespace {

// An HTTP request to a proxy (CONNECT, or an absolute URI): its Host names the proxy's
// target, not the address the connection went to.
bool proxy_request(const AppRecord& r) {
  return r.method == "CONNECT" || r.uri.starts_with("http://") || r.uri.starts_with("https://");
}

}  // namespace

uint32_t AppNames::intern(std::string_view s) {
  if (s.empty()) return kNone;
  auto it = name_ids_.find(s);
  if (it != name_ids_.end()) return it->second;
  if (names_.size() >= caps_.max_names) {
    ++names_dropped_;
    return kNone;
  }
  const auto id = static_cast<uint32_t>(names_.size());
  names_.emplace_back(s);
  name_ids_.emplace(names_.back(), id);
  return id;
}

uint64_t AppNames::uid_key(std::string_view uid) { return std::hash<std::string_view>()(uid) | 1; }

uint64_t AppNames::tuple_key(const FlowKey& k, TimeNs t) {
  // Without a uid a connection is its 5-tuple at its first record's minute (even keys, apart
  // from uids' odd ones).
  return (FlowKeyHash()(k) ^ static_cast<uint64_t>(t / (60 * kNsPerSec)) * 0x9E3779B97F4A7C15ULL) & ~uint64_t{1};
}

AppNames::ConnMap::iterator AppNames::conn_entry(const std::string& uid, const FlowKey& key, TimeNs ts) {
  uint64_t k;
  if (!uid.empty()) {
    k = uid_key(uid);
  } else {
    // Records of one connection without uid share the 5-tuple's entry while it is recent.
    auto t = by_tuple_.find(key);
    auto c = t == by_tuple_.end() ? by_uid_.end() : by_uid_.find(t->second);
    k = c != by_uid_.end() && ts != kNoTime && c->second.last != kNoTime && ts <= c->second.last + kTupleSlack
            ? t->second
            : tuple_key(key, ts);
  }
  auto it = by_uid_.find(k);
  if (it == by_uid_.end()) {
    if (by_uid_.size() >= caps_.max_conns) {
      ++conns_dropped_;
      return by_uid_.end();
    }
    it = by_uid_.emplace(k, ConnApp{}).first;
    it->second.key = key;
    by_tuple_[key] = k;
  }
  return it;
}

void AppNames::add_proxied(const std::string& uid, const FlowKey& key, TimeNs ts, std::string_view host, uint16_t port) {
  auto it = conn_entry(uid, key, ts);
  if (it == by_uid_.end()) return;
  ConnApp& c = it->second;
  c.first = c.last = ts;
  c.proxied = true;
  if (c.proxy_host == kNone) c.proxy_host = intern(host), c.proxy_port = port;
}

void AppNames::add_file(const FileRecord& f) {
  // Only what the originator sent is upload evidence; a file the responder sent is a download.
  const bool sent = f.is_orig == 1 || (f.is_orig < 0 && !f.tx.is_unset() && f.tx == f.orig_h);
  if (!sent || f.uid.empty()) return;
  auto it = conn_entry(f.uid, FlowKey::make(f.orig_h, 0, f.resp_h, 0, kProtoTcp), f.ts);
  if (it == by_uid_.end()) return;
  ConnApp& c = it->second;
  if (f.ts != kNoTime) {
    if (c.first == kNoTime || f.ts < c.first) c.first = f.ts;
    if (c.last == kNoTime || f.ts > c.last) c.last = f.ts;
  }
  ++c.files_sent;
  c.file_bytes += std::max(f.seen_bytes, f.total_bytes);
  if (c.file_name == kNone) c.file_name = intern(f.filename);
  if (c.file_mime == kNone) c.file_mime = intern(f.mime_type);
}

bool AppNames::add(const AppRecord& r) {
  const FlowKey key = FlowKey::make(r.orig_h, r.orig_p, r.resp_h, r.resp_p, kProtoTcp);
  auto it = conn_entry(r.uid, key, r.ts);
  if (it == by_uid_.end()) return !(r.kind == AppKind::http && proxy_request(r));
  ConnApp& c = it->second;
  if (r.ts != kNoTime) {
    if (c.first == kNoTime || r.ts < c.first) c.first = r.ts;
    if (c.last == kNoTime || r.ts > c.last) c.last = r.ts;
  }
  if (r.kind == AppKind::ssl) {
    if (c.sni == kNone) c.sni = intern(r.name);
    if (c.ja3 == kNone) c.ja3 = intern(r.ja3);
    if (c.ja3s == kNone) c.ja3s = intern(r.ja3s);
    return !c.proxied;
  }
  ++c.http_requests;
  if (c.user_agent == kNone) c.user_agent = intern(r.user_agent);
  c.blank_host += r.host_missing;
  if (r.method == "POST" || r.method == "PUT") {
    ++c.http_uploads;
    c.upload_body += r.request_body_len;
    // The path without its query: the same endpoint, not one name per request.
    if (c.upload_uri == kNone) c.upload_uri = intern(std::string_view(r.uri).substr(0, std::min<size_t>(r.uri.find('?'), 200)));
  }
  c.http_request_body += r.request_body_len;
  c.http_response_body += r.response_body_len;
  if (proxy_request(r)) {
    c.proxied = true;
    std::string target;
    uint16_t port = 0;
    // CONNECT's URI is "host:port"; Zeek puts an absolute URI whole in `uri`.
    if (squid::proxy_target(r.method, r.uri.empty() ? r.name : r.uri, target, port)) {
      const uint32_t id = intern(target);
      if (c.proxy_host == kNone) c.proxy_host = id, c.proxy_port = port;
      else if (id != c.proxy_host) ++c.proxy_other_hosts;
    }
    return false;
  }
  if (c.host == kNone) c.host = intern(r.name);
  return true;
}

AppNames::ConnMap::const_iterator AppNames::find(const Session& s) const {
  if (by_uid_.empty()) return by_uid_.end();
  if (!s.uid.empty()) {
    auto it = by_uid_.find(uid_key(s.uid));
    if (it != by_uid_.end()) return it;
  }
  if (s.proto != kProtoTcp) return by_uid_.end();
  auto t = by_tuple_.find(FlowKey::make(s.orig_h, s.orig_p, s.resp_h, s.resp_p, s.proto));
  if (t == by_tuple_.end()) return by_uid_.end();
  auto it = by_uid_.find(t->second);
  if (it == by_uid_.end()) return it;
  const ConnApp& c = it->second;
  // A record by 5-tuple belongs to this session only if it falls within it (ports are reused).
  if (c.first != kNoTime && s.start != kNoTime &&
      (c.first < s.start - kTupleSlack || (s.end != kNoTime && c.first > s.end + kTupleSlack)))
    return by_uid_.end();
  return it;
}

const AppNames::ConnApp* AppNames::conn(const Session& s) const {
  auto it = find(s);
  return it == by_uid_.end() ? nullptr : &it->second;
}

std::string AppNames::conn_name(const Session& s) const {
  const ConnApp* c = conn(s);
  if (!c) return {};
  if (c->sni != kNone) return names_[c->sni];
  if (c->host != kNone) return names_[c->host];
  return {};
}

void AppNames::forget(const Session& s) {
  auto it = find(s);
  if (it == by_uid_.end()) return;
  auto t = by_tuple_.find(it->second.key);
  if (t != by_tuple_.end() && t->second == it->first) by_tuple_.erase(t);
  by_uid_.erase(it);
}

void AppNames::evict_before(TimeNs horizon) {
  for (auto it = by_uid_.begin(); it != by_uid_.end();) {
    if (it->second.last != kNoTime && it->second.last < horizon) {
      auto t = by_tuple_.find(it->second.key);
      if (t != by_tuple_.end() && t->second == it->first) by_tuple_.erase(t);
      it = by_uid_.erase(it);
    } else {
      ++it;
    }
  }
}

void AppNames::add_lease(const DhcpLease& d) {
  if (d.addr.is_unset() || d.host_name.empty()) return;
  auto it = leases_.find(d.addr);
  if (it != leases_.end()) {
    for (Lease& l : it->second) {
      if (names_[l.name] != d.host_name) continue;
      l.first = std::min(l.first, d.ts);
      l.last = std::max(l.last, d.ts);
      return;
    }
  }
  if (n_leases_ >= caps_.max_leases) {
    ++leases_dropped_;
    return;
  }
  const uint32_t name = intern(d.host_name);
  if (name == kNone) {
    ++leases_dropped_;
    return;
  }
  auto& v = leases_[d.addr];
  if (v.size() >= kLeasesPerAddress) {
    // An address handed to many names: the oldest lease goes.
    v.erase(std::min_element(v.begin(), v.end(), [](const Lease& a, const Lease& b) { return a.last < b.last; }));
    ++leases_dropped_;
    --n_leases_;
  }
  v.push_back({d.ts, d.ts, name});
  ++n_leases_;
}

std::string AppNames::name_for_address(const IpAddr& ip, TimeNs t) const {
  auto it = leases_.find(ip);
  if (it == leases_.end() || it->second.empty()) return {};
  const Lease* before = nullptr;
  const Lease* after = nullptr;
  for (const Lease& l : it->second) {
    if (t == kNoTime || l.first <= t + 5 * kNsPerSec) {
      if (!before || l.first > before->first) before = &l;
    } else if (!after || l.first < after->first) {
      after = &l;
    }
  }
  const Lease* l = before ? before : after;
  return names_[l->name];
}

}  // namespace outflow
