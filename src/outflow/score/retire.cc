#include "outflow/score/retire.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "outflow/features/classify.h"
#include "outflow/score/flow_host_role.h"
#include "outflow/score/hunter.h"

namespace outflow {

namespace {

// A record's bytes: fixed-width numbers in the machine's order and length-prefixed strings. The
// file lives only for the run, on this machine: no portability needed, only bounds checks.
class Out {
 public:
  explicit Out(std::string& b) : b_(b) {}
  template <class T>
  void num(T v) {
    static_assert(std::is_trivially_copyable_v<T>);
    b_.append(reinterpret_cast<const char*>(&v), sizeof v);
  }
  void str(const std::string& s) {
    num(static_cast<uint32_t>(s.size()));
    b_.append(s);
  }
  void ip(const IpAddr& a) { b_.append(reinterpret_cast<const char*>(a.b.data()), a.b.size()); }

 private:
  std::string& b_;
};

class In {
 public:
  In(const char* p, size_t n) : p_(p), end_(p + n) {}
  template <class T>
  T num() {
    T v{};
    if (static_cast<size_t>(end_ - p_) < sizeof v) {
      ok_ = false;
      return v;
    }
    std::memcpy(&v, p_, sizeof v);
    p_ += sizeof v;
    return v;
  }
  std::string str() {
    const auto n = num<uint32_t>();
    if (!ok_ || static_cast<size_t>(end_ - p_) < n) {
      ok_ = false;
      return {};
    }
    std::string s(p_, n);
    p_ += n;
    return s;
  }
  IpAddr ip() {
    IpAddr a;
    if (static_cast<size_t>(end_ - p_) < a.b.size()) {
      ok_ = false;
      return a;
    }
    std::memcpy(a.b.data(), p_, a.b.size());
    p_ += a.b.size();
    return a;
  }
  // A count of items of at least `min_size` bytes each that the rest of the record can hold.
  uint32_t count(size_t min_size) {
    const auto n = num<uint32_t>();
    if (!ok_ || n > static_cast<size_t>(end_ - p_) / min_size) ok_ = false;
    return ok_ ? n : 0;
  }
  bool ok() const { return ok_ && p_ == end_; }
  void fail() { ok_ = false; }

 private:
  const char* p_;
  const char* end_;
  bool ok_ = true;
};

void put_process(Out& o, const Process& p) {
  o.num(p.serial), o.num(p.host), o.num(p.pid), o.num(p.start), o.num(p.end);
  o.num(p.start_event), o.num(static_cast<uint8_t>(p.start_field));
  o.num(static_cast<uint8_t>(p.origin));
  o.num(static_cast<uint8_t>((p.from_sysmon ? 1 : 0) | (p.from_security ? 2 : 0) | (p.recovered ? 4 : 0) |
                             (p.invalid_utf8 ? 8 : 0)));
  for (const std::string* s : {&p.guid, &p.image, &p.command_line, &p.user, &p.integrity_level, &p.original_file_name,
                               &p.company, &p.hashes})
    o.str(*s);
}

Process get_process(In& in) {
  Process p;
  p.serial = in.num<uint64_t>(), p.host = in.num<HostId>(), p.pid = in.num<uint64_t>();
  p.start = in.num<TimeNs>(), p.end = in.num<TimeNs>();
  p.start_event = in.num<uint16_t>(), p.start_field = static_cast<TimeField>(in.num<uint8_t>());
  p.origin = static_cast<Process::Origin>(in.num<uint8_t>());
  const auto flags = in.num<uint8_t>();
  p.from_sysmon = flags & 1, p.from_security = flags & 2, p.recovered = flags & 4, p.invalid_utf8 = flags & 8;
  for (std::string* s : {&p.guid, &p.image, &p.command_line, &p.user, &p.integrity_level, &p.original_file_name,
                         &p.company, &p.hashes})
    *s = in.str();
  return p;
}

void put_activity(Out& o, const ProcessActivity& a) {
  o.num(a.host), o.ip(a.entity_ip), o.ip(a.local), o.num(a.bytes_out), o.num(a.bytes_in), o.num(a.sessions), o.num(a.sessions_inferred);
  o.num(a.inbound_sessions), o.num(a.inbound_bytes_out), o.num(a.first), o.num(a.last);
  o.num(a.sessions_out_unknown), o.num(a.gaps);
  o.num(static_cast<uint32_t>(a.dests.size()));
  for (const auto& d : a.dests) {
    o.ip(d.ip), o.num(d.port), o.num(d.proto), o.num(d.bytes_out), o.num(d.bytes_in), o.num(d.pkts_out), o.num(d.pkts_in);
    o.num(d.sessions), o.num(d.sessions_out_unknown), o.num(d.first), o.num(d.last), o.num(d.longest), o.num(d.duration_sum), o.num(d.max_session_out);
    o.num(d.max_session_out_duration), o.num(static_cast<uint8_t>(d.burst)), o.num(d.out_sum), o.num(d.out_sq);
    o.str(d.domain);
    o.ip(d.via_proxy);
    o.num(static_cast<uint8_t>(d.ip_from_relay)), o.num(d.sessions_out_from_relay);
  }
  // Sorted, so that a record's bytes do not depend on hash order.
  std::vector<IpAddr> ips(a.dest_ips.begin(), a.dest_ips.end());
  std::sort(ips.begin(), ips.end());
  o.num(static_cast<uint32_t>(ips.size()));
  for (const auto& ip : ips) o.ip(ip);
  o.num(static_cast<uint8_t>(a.dest_ips_capped));
  std::vector<std::pair<int64_t, uint64_t>> win(a.window_out.begin(), a.window_out.end());
  std::sort(win.begin(), win.end());
  o.num(static_cast<uint32_t>(win.size()));
  for (const auto& [b, v] : win) o.num(b), o.num(v);
  o.num(a.folded_peak), o.num(a.folded_peak_bucket), o.num(a.newest_bucket);
  std::string app;  // HTTP upload evidence and files sent (features/app_evidence.h)
  a.app.serialize(app);
  o.str(app);
  std::string pairs;
  a.pairs.save(pairs);
  o.str(pairs);
  std::string users;
  a.fw_users.serialize(users);
  o.str(users);
  o.num(static_cast<uint32_t>(a.daily.day_out.size()));
  for (const auto& [d, v] : a.daily.day_out) o.num(d), o.num(v);
  for (uint64_t v : a.daily.hour_out) o.num(v);
  o.num(a.daily.days_dropped);
}

void get_activity(In& in, ProcessActivity& a) {
  a.host = in.num<HostId>(), a.entity_ip = in.ip(), a.local = in.ip(), a.bytes_out = in.num<uint64_t>(), a.bytes_in = in.num<uint64_t>();
  a.sessions = in.num<uint32_t>(), a.sessions_inferred = in.num<uint32_t>();
  a.inbound_sessions = in.num<uint64_t>(), a.inbound_bytes_out = in.num<uint64_t>();
  a.first = in.num<TimeNs>(), a.last = in.num<TimeNs>();
  a.sessions_out_unknown = in.num<uint32_t>(), a.gaps = in.num<uint8_t>();
  const uint32_t nd = in.count(16);
  a.dests.resize(nd);
  for (auto& d : a.dests) {
    d.ip = in.ip(), d.port = in.num<uint16_t>(), d.proto = in.num<uint8_t>();
    d.bytes_out = in.num<uint64_t>(), d.bytes_in = in.num<uint64_t>(), d.pkts_out = in.num<uint64_t>(), d.pkts_in = in.num<uint64_t>();
    d.sessions = in.num<uint32_t>(), d.sessions_out_unknown = in.num<uint32_t>(), d.first = in.num<TimeNs>(), d.last = in.num<TimeNs>(), d.longest = in.num<TimeNs>();
    d.duration_sum = in.num<TimeNs>(), d.max_session_out = in.num<uint64_t>(), d.max_session_out_duration = in.num<TimeNs>();
    d.burst = in.num<uint8_t>() != 0, d.out_sum = in.num<double>(), d.out_sq = in.num<double>();
    d.domain = in.str();
    d.via_proxy = in.ip();
    d.ip_from_relay = in.num<uint8_t>() != 0, d.sessions_out_from_relay = in.num<uint32_t>();
  }
  const uint32_t ni = in.count(16);
  for (uint32_t i = 0; i < ni; ++i) a.dest_ips.insert(in.ip());
  a.dest_ips_capped = in.num<uint8_t>() != 0;
  const uint32_t nw = in.count(16);
  for (uint32_t i = 0; i < nw; ++i) {
    const auto b = in.num<int64_t>();
    a.window_out[b] = in.num<uint64_t>();
  }
  a.folded_peak = in.num<uint64_t>(), a.folded_peak_bucket = in.num<int64_t>(), a.newest_bucket = in.num<int64_t>();
  const std::string app = in.str();
  std::string_view av = app;
  if (!a.app.deserialize(av) || !av.empty()) in.fail();
  if (!a.pairs.load(in.str())) in.fail();
  const std::string users = in.str();
  std::string_view uv = users;
  if (!a.fw_users.deserialize(uv) || !uv.empty()) in.fail();
  const uint32_t ndays = in.count(16);
  for (uint32_t i = 0; i < ndays; ++i) {
    const auto d = in.num<int64_t>();
    a.daily.day_out[d] = in.num<uint64_t>();
  }
  for (uint64_t& v : a.daily.hour_out) v = in.num<uint64_t>();
  a.daily.days_dropped = in.num<uint32_t>();
}

// An unlinked temporary file in $TMPDIR or /tmp (gone when closed, or when the run dies).
std::FILE* make_spill_file() {
  const char* dir = std::getenv("TMPDIR");
  std::string path = std::string(dir && *dir ? dir : "/tmp") + "/outflow-retired-XXXXXX";
  const int fd = ::mkstemp(path.data());
  if (fd < 0) return nullptr;
  ::unlink(path.c_str());
  std::FILE* f = ::fdopen(fd, "w+b");
  if (!f) ::close(fd);
  return f;
}

}  // namespace

Retirer::Retirer(const DetectConfig& cfg, SessionPipeline& pipe, ActivityAggregator& agg)
    : cfg_(cfg), pipe_(pipe), agg_(agg), rules_(cfg) {}

Retirer::~Retirer() {
  if (file_) std::fclose(file_);
}

const std::string& Retirer::host_key(HostId h) {
  if (h >= host_keys_.size()) host_keys_.resize(h + 1);
  if (host_keys_[h].empty()) host_keys_[h] = HostRegistry::canonical(pipe_.hosts().display_name(h));
  return host_keys_[h];
}

void Retirer::observe(const Process* p, const ProcessActivity& a) {
  if (a.empty_slot()) return;
  if (a.flow_only()) {
    const HostRole* r = flow_host_role(cfg_, rules_, pipe_, a);
    Hunter::observe_activity(a, nullptr, entity_host_key(pipe_, a), r ? r->role : std::string(), forgotten_);
    return;
  }
  const HostRole* role = rules_.host_role(pipe_.hosts().display_name(a.host));
  Hunter::observe_activity(a, p, host_key(a.host), role ? role->role : std::string(), forgotten_);
}

void Retirer::on_evict(ProcId id) {
  const Process& p = pipe_.processes().get(id);
  Hunter::observe_process(pipe_.processes(), p, host_key(p.host), rules_, forgotten_);
  if (!retire_activity(id, p.host)) maybe_retire_rollup(id);
}

bool Retirer::retire_activity(ProcId id, HostId host, const IpAddr* flow_host) {
  RetiredRecord r;
  if (!(flow_host ? agg_.take_flow_host(*flow_host, r.act) : agg_.take(host, id, r.act))) return false;
  ActivityAggregator::resolve_names(r.act, pipe_.index());
  const ProcessTable& procs = pipe_.processes();
  const Process* p = id != kNoProc ? &procs.get(id) : nullptr;
  observe(p, r.act);
  if (p) {
    const auto chain = procs.lineage(id);
    for (ProcId c : chain) r.chain.push_back(procs.get(c));
    // What its descendants sent (they retired first), then its own bytes to its ancestors.
    if (auto it = invoked_.find(p->serial); it != invoked_.end()) {
      r.invoked_out = it->second.out;
      r.invoked_children = it->second.children;
      invoked_.erase(it);
    }
    if (r.act.bytes_out > 0) {
      for (size_t i = 0; i + 1 < chain.size(); ++i) {
        Invoked& v = invoked_[procs.get(chain[i]).serial];
        v.out += r.act.bytes_out;
        ++v.children;
      }
    }
  }
  write(r);
  return true;
}

void Retirer::maybe_retire_rollup(ProcId id) {
  const ProcessTable& procs = pipe_.processes();
  const Process& p = procs.get(id);
  auto it = invoked_.find(p.serial);
  if (it == invoked_.end()) return;
  const Invoked v = it->second;
  invoked_.erase(it);
  // Only tools, office and server applications: explorer or services start everything.
  if (v.children < 2 || v.out < cfg_.volume_session || classify_tool(image_basename(p.image)) == ToolClass::none) return;
  RetiredRecord r;
  r.rollup = true;
  r.invoked_out = v.out;
  r.invoked_children = v.children;
  for (ProcId c : procs.lineage(id)) r.chain.push_back(procs.get(c));
  write(r);
}

void Retirer::finish() {
  if (finished_) return;
  finished_ = true;
  const ProcessTable& procs = pipe_.processes();
  // Processes with activity, deepest first: children before their parents.
  struct Item {
    size_t depth;
    ProcId proc;
    HostId host;
  };
  std::vector<Item> items;
  std::vector<HostId> unattributed;
  std::vector<IpAddr> flow_hosts;
  for (const auto& a : agg_.processes()) {
    if (a.empty_slot()) continue;
    if (a.flow_only()) flow_hosts.push_back(a.entity_ip);
    else if (a.proc == kNoProc) unattributed.push_back(a.host);
    else items.push_back({procs.lineage(a.proc).size(), a.proc, a.host});
  }
  std::sort(items.begin(), items.end(), [](const Item& x, const Item& y) {
    return x.depth != y.depth ? x.depth > y.depth : x.proc < y.proc;
  });
  for (const auto& i : items) retire_activity(i.proc, i.host);
  std::sort(unattributed.begin(), unattributed.end());
  for (HostId h : unattributed) retire_activity(kNoProc, h);
  std::sort(flow_hosts.begin(), flow_hosts.end());
  for (const IpAddr& ip : flow_hosts) retire_activity(kNoProc, kNoHost, &ip);
  // Living parents whose children sent traffic: roll-up candidates.
  std::unordered_map<uint64_t, ProcId> by_serial;
  for (size_t i = 0; i < procs.size(); ++i)
    if (procs.get(static_cast<ProcId>(i)).in_use && invoked_.count(procs.get(static_cast<ProcId>(i)).serial))
      by_serial[procs.get(static_cast<ProcId>(i)).serial] = static_cast<ProcId>(i);
  std::vector<uint64_t> serials;
  for (const auto& [s, v] : invoked_) serials.push_back(s);
  std::sort(serials.begin(), serials.end());
  for (uint64_t s : serials)
    if (auto it = by_serial.find(s); it != by_serial.end()) maybe_retire_rollup(it->second);
  invoked_.clear();
}

void Retirer::write(const RetiredRecord& r) {
  buf_.clear();
  Out o(buf_);
  o.num(static_cast<uint8_t>(r.rollup)), o.num(r.invoked_out), o.num(r.invoked_children);
  o.num(static_cast<uint32_t>(r.chain.size()));
  for (const auto& p : r.chain) put_process(o, p);
  put_activity(o, r.act);
  ++records_;
  if (!file_ && memory_.empty() && records_ == 1) file_ = make_spill_file();
  if (!file_) {
    memory_.push_back(buf_);
    return;
  }
  const auto n = static_cast<uint32_t>(buf_.size());
  if (std::fwrite(&n, sizeof n, 1, file_) != 1 || std::fwrite(buf_.data(), 1, buf_.size(), file_) != buf_.size())
    error_ = std::string("writing the retired-process file: ") + std::strerror(errno);
}

bool Retirer::rewind() {
  read_pos_ = 0;
  if (!file_) return true;
  if (std::fflush(file_) != 0 || std::fseek(file_, 0, SEEK_SET) != 0) {
    error_ = std::string("reading the retired-process file: ") + std::strerror(errno);
    return false;
  }
  return true;
}

bool Retirer::next(RetiredRecord& r, bool rollup_only) {
  if (file_) {
    uint32_t n = 0;
    if (std::fread(&n, sizeof n, 1, file_) != 1) return false;
    buf_.resize(n);
    if (std::fread(buf_.data(), 1, n, file_) != n) {
      error_ = "the retired-process file ended inside a record";
      return false;
    }
  } else {
    if (read_pos_ >= memory_.size()) return false;
    buf_ = memory_[read_pos_++];
  }
  In in(buf_.data(), buf_.size());
  if (rollup_only && (buf_.empty() || buf_[0] == 0)) {
    r.rollup = false;
    r.chain.clear();
    return true;
  }
  r = RetiredRecord{};
  r.rollup = in.num<uint8_t>() != 0;
  r.invoked_out = in.num<uint64_t>();
  r.invoked_children = in.num<uint32_t>();
  const uint32_t nc = in.count(8);
  for (uint32_t i = 0; i < nc; ++i) r.chain.push_back(get_process(in));
  get_activity(in, r.act);
  if (!in.ok()) {
    error_ = "a record of the retired-process file does not read back";
    return false;
  }
  return true;
}

}  // namespace outflow
