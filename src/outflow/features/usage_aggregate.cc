#include "outflow/features/usage_aggregate.h"

#include <algorithm>
#include <cstring>

namespace outflow {

namespace {

// Two 64-bit lanes over 8-byte words (murmur3's finaliser as the mix): fast, not cryptographic.
struct Hash128 {
  uint64_t a = 0x243F6A8885A308D3ULL, b = 0x13198A2E03707344ULL;
  static uint64_t mix(uint64_t x) {
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ULL;
    x ^= x >> 33;
    return x;
  }
  void word(uint64_t w) {
    a = mix(a ^ w) + 0x9E3779B97F4A7C15ULL;
    b = mix(b + w * 0xD6E8FEB86659FD93ULL) ^ (b >> 29);
  }
  void text(std::string_view s) {
    size_t i = 0;
    for (; i + 8 <= s.size(); i += 8) {
      uint64_t w;
      std::memcpy(&w, s.data() + i, 8);
      word(w);
    }
    uint64_t w = 0;
    std::memcpy(&w, s.data() + i, s.size() - i);
    word(w ^ (static_cast<uint64_t>(s.size()) << 56));  // the length ends the field
  }
};

std::string_view user_key(const srum::UsageRecord& r, std::string& scratch) {
  if (!r.user_sid.empty()) return r.user_sid;
  scratch = usage_user_key(r);
  return scratch;
}

void widen(TimeNs& first, TimeNs& last, TimeNs t) {
  if (first == kNoTime || t < first) first = t;
  if (last == kNoTime || t > last) last = t;
}

}  // namespace

RowFingerprint row_fingerprint(std::string_view host, const srum::UsageRecord& r, ProgramNames& names) {
  Hash128 h;
  h.text(host);
  if (r.interface_total) {
    h.text("(interface total)");
    h.word(0);
  } else {
    std::string scratch;
    h.text(names.of(r).key);
    h.text(user_key(r, scratch));
  }
  h.word(r.interface_luid);
  h.word(r.bytes_sent);
  h.word(r.bytes_recvd);
  h.word(static_cast<uint64_t>((r.end + 30 * kNsPerSec) / (60 * kNsPerSec)));  // the nearest minute
  return {Hash128::mix(h.a ^ (h.b >> 7)), Hash128::mix(h.b + h.a)};
}

UsageAggregator::UsageAggregator(std::vector<std::string> hosts, Options o, std::vector<std::string> same_host)
    : opt_(o), hosts_(std::move(hosts)), inputs_(hosts_.size()), rows_(o.rows_in_memory) {
  if (same_host.size() != hosts_.size()) same_host = hosts_;
  for (size_t k = 0; k < hosts_.size(); ++k) {
    inputs_[k].in.host = hosts_[k];
    inputs_[k].host_key = same_host[k];
    for (size_t j = 0; j < hosts_.size(); ++j)
      if (j != k && same_host[j] == same_host[k]) (j < k ? inputs_[k].check_twice : inputs_[k].keep_fingerprints) = true;
  }
}

void UsageAggregator::begin_input(size_t k, const srum::UsageFile* file, const ProcessLog* processes) {
  cur_ = k;
  inputs_[k].in.file = file;
  inputs_[k].in.processes = processes;
  pending_.clear();
}

void UsageAggregator::on_usage(const srum::UsageRecord& r) {
  InputState& in = inputs_[cur_];
  uint64_t& kept = in.stamps[r.end];
  if (in.check_twice || in.keep_fingerprints) {
    const RowFingerprint fp = row_fingerprint(in.host_key, r, names_);
    if (in.check_twice && std::binary_search(seen_.begin(), seen_.end(), fp)) {
      ++in.read_twice;
      return;
    }
    // Rows repeated within one input are SRUM's own: only earlier inputs' are looked at.
    if (in.keep_fingerprints) pending_.push_back(fp);
  }
  ++kept;
  uint32_t group = UsageRowStore::kInterfaceGroup;
  if (r.interface_total) {
    InterfaceUsage& u = ifs_[{in.host_key, r.interface_luid}];  // one row per interface and interval
    u.host = in.in.host;
    u.luid = r.interface_luid;
    u.sent += r.bytes_sent;
    u.recvd += r.bytes_recvd;
    ++u.intervals;
    widen(u.first, u.last, r.end);
  } else {
    const ProgramNames::Names& names = names_.of(r);
    const std::string_view user = user_key(r, user_scratch_);
    auto it = progs_.find(std::make_tuple(std::string_view(in.host_key), std::string_view(names.key), user));
    if (it == progs_.end()) {
      it = progs_.emplace(std::make_tuple(in.host_key, names.key, std::string(user)), Group{}).first;
      ProgramUsage& u = it->second.u;
      it->second.id = static_cast<uint32_t>(progs_.size() - 1);
      u.host = in.in.host;
      u.host_key = in.host_key;
      u.program = r.program.empty() ? names.key : r.program;
      u.executable = names.executable;
      u.key = names.key;
      u.user_key = std::string(user);
      u.kind = r.kind;
      u.user_sid = r.user_sid;
    }
    ProgramUsage& u = it->second.u;
    if (u.user_name.empty()) u.user_name = r.user_name;
    u.sent += r.bytes_sent;
    u.recvd += r.bytes_recvd;
    ++u.intervals;
    widen(u.first, u.last, r.end);
    u.sent_hist.add(r.bytes_sent);
    u.add_peak({r.end, static_cast<uint32_t>(cur_), r.bytes_sent, r.bytes_recvd});
    group = it->second.id;
  }
  if (opt_.keep_rows) rows_.add(r, group, static_cast<uint32_t>(cur_));
}

void UsageAggregator::end_input() {
  if (!pending_.empty()) {
    std::sort(pending_.begin(), pending_.end());
    pending_.erase(std::unique(pending_.begin(), pending_.end()), pending_.end());
    const size_t mid = seen_.size();
    seen_.insert(seen_.end(), pending_.begin(), pending_.end());
    std::inplace_merge(seen_.begin(), seen_.begin() + static_cast<std::ptrdiff_t>(mid), seen_.end());
    seen_.erase(std::unique(seen_.begin(), seen_.end()), seen_.end());
    std::vector<RowFingerprint>().swap(pending_);
  }
  cur_ = SIZE_MAX;
}

UsageSpan UsageAggregator::span(size_t k) const {
  std::vector<TimeNs> t;
  t.reserve(inputs_[k].stamps.size());
  for (const auto& [s, n] : inputs_[k].stamps) t.push_back(s);
  return usage_span(t);
}

std::vector<TimeNs> UsageAggregator::kept_stamps(size_t k) const {
  std::vector<TimeNs> t;
  for (const auto& [s, n] : inputs_[k].stamps)
    if (n) t.push_back(s);
  return t;
}

UsageTotals UsageAggregator::totals(std::vector<size_t>* rank_of_group) const {
  std::vector<const Group*> order;
  order.reserve(progs_.size());
  for (const auto& [k, g] : progs_) order.push_back(&g);
  std::stable_sort(order.begin(), order.end(), [](const Group* a, const Group* b) {
    if (a->u.sent != b->u.sent) return a->u.sent > b->u.sent;
    return a->u.recvd > b->u.recvd;
  });
  UsageTotals t;
  t.programs.reserve(order.size());
  if (rank_of_group) rank_of_group->assign(progs_.size(), SIZE_MAX - 1);
  for (size_t i = 0; i < order.size(); ++i) {
    t.programs.push_back(order[i]->u);
    if (rank_of_group) (*rank_of_group)[order[i]->id] = i + 1;
  }
  for (const auto& [k, u] : ifs_) t.interfaces.push_back(u);
  std::stable_sort(t.interfaces.begin(), t.interfaces.end(), [](const InterfaceUsage& a, const InterfaceUsage& b) {
    if (a.host != b.host) return a.host < b.host;
    return a.sent > b.sent;
  });
  return t;
}

}  // namespace outflow
