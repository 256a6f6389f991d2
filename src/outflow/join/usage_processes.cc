#include "outflow/join/usage_processes.h"

#include <algorithm>

#include "outflow/core/win_path.h"
#include "outflow/features/dns_view.h"  // registered_domain

namespace outflow {

namespace {

// Host names compare by their first label, case-insensitively ("WS1.corp.example" = "ws1").
std::string host_key(std::string_view h) {
  std::string k(h.substr(0, h.find('.')));
  for (char& c : k) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
  return k;
}

}  // namespace

void ProcessLog::on_host_event(const HostEvent& e) {
  if (e.host.empty() || e.time == kNoTime) return;
  Host& h = hosts_[host_key(e.host)];
  if (h.name.empty()) h.name = e.host, h.index = static_cast<uint32_t>(hosts_.size() - 1);
  ++h.events;
  if (h.first == kNoTime || e.time < h.first) h.first = e.time;
  if (h.last == kNoTime || e.time > h.last) h.last = e.time;
  if (!e.user_sid.empty() && !e.user.empty() && (h.sid_names.size() < 10'000 || h.sid_names.count(e.user_sid)))
    h.sid_names[e.user_sid] = e.user;
  if (e.type == HostEventType::process_start) {
    if (h.procs.size() >= kMaxProcesses) return;
    UsageProcess p;
    p.entity_id = e.process_guid;
    p.pid = e.pid;
    p.start = e.time;
    p.image = e.image;
    p.command_line = e.command_line;
    p.parent_image = e.parent_image;
    p.parent_guid = e.parent_guid;
    p.user = e.user;
    p.original_file_name = e.original_file_name;
    p.company = e.company;
    p.hashes = e.hashes;
    const size_t i = h.procs.size();
    h.procs.push_back(std::move(p));
    if (!e.process_guid.empty()) h.by_guid[e.process_guid] = i;
    if (e.pid) h.by_pid[e.pid] = i;
    h.by_image[canonical_win_path(e.image)].push_back(i);
  } else if (e.type == HostEventType::net_connect) {
    // An outbound connection: the process's destination, counted (its name from the host's DNS
    // answers read so far, as Sysmon logs the query before the connection).
    if (e.initiated == 0 || e.dst_ip.is_unset()) return;
    size_t i = SIZE_MAX;
    if (const auto g = h.by_guid.find(e.process_guid); !e.process_guid.empty() && g != h.by_guid.end()) i = g->second;
    else if (const auto p = h.by_pid.find(e.pid); e.pid && p != h.by_pid.end()) i = p->second;
    if (i == SIZE_MAX) return;
    UsageProcess& p = h.procs[i];
    const auto it = std::find_if(p.connects.begin(), p.connects.end(),
                                 [&](const ConnectDest& d) { return d.ip == e.dst_ip && d.port == e.dst_port; });
    const ConnectDest* added = nullptr;
    if (it != p.connects.end()) {
      ++it->connections;
    } else if (p.connects.size() < 8) {
      const auto n = h.dns_names.find(e.dst_ip);
      p.connects.push_back({e.dst_ip, e.dst_port, 1, n == h.dns_names.end() ? std::string() : n->second});
      added = &p.connects.back();
    } else {
      ++p.other_connects;
    }
    if (added) {
      const std::string key = dest_key(*added);
      auto d = dest_hosts_.find(key);
      if (d == dest_hosts_.end() && dest_hosts_.size() < 200'000) d = dest_hosts_.emplace(key, std::vector<uint32_t>{}).first;
      if (d != dest_hosts_.end() && d->second.size() < 64 && std::find(d->second.begin(), d->second.end(), h.index) == d->second.end())
        d->second.push_back(h.index);
    }
  } else if (e.type == HostEventType::dns_query) {
    // QueryResults: "::ffff:172.18.39.6;10.0.0.1;type:  5 cdn.example.net;"
    std::string_view rest = e.query_results;
    while (!rest.empty() && !e.query_name.empty()) {
      const size_t semi = rest.find(';');
      const std::string_view item = rest.substr(0, semi);
      rest = semi == std::string_view::npos ? std::string_view{} : rest.substr(semi + 1);
      IpAddr ip;
      if (IpAddr::parse(item, ip) && (h.dns_names.size() < 100'000 || h.dns_names.count(ip))) h.dns_names[ip] = e.query_name;
    }
  } else if (e.type == HostEventType::process_end) {
    size_t i = SIZE_MAX;
    if (const auto g = h.by_guid.find(e.process_guid); !e.process_guid.empty() && g != h.by_guid.end()) i = g->second;
    else if (const auto p = h.by_pid.find(e.pid); e.pid && p != h.by_pid.end()) i = p->second;
    if (i != SIZE_MAX && h.procs[i].end == kNoTime && e.time >= h.procs[i].start) h.procs[i].end = e.time;
  }
}

std::string ProcessLog::main_host() const {
  const Host* best = nullptr;
  for (const auto& [k, h] : hosts_)
    if (!best || h.events > best->events) best = &h;
  return best ? best->name : std::string();
}

std::vector<std::string> ProcessLog::ancestors(const std::string& host, const UsageProcess& p, size_t max) const {
  std::vector<std::string> out;
  const auto h = hosts_.find(host_key(host));
  const UsageProcess* cur = &p;
  while (out.size() < max) {
    const UsageProcess* parent = nullptr;
    if (h != hosts_.end() && !cur->parent_guid.empty())
      if (const auto g = h->second.by_guid.find(cur->parent_guid); g != h->second.by_guid.end()) parent = &h->second.procs[g->second];
    if (!parent) {
      if (!cur->parent_image.empty()) out.push_back(cur->parent_image);
      break;
    }
    out.push_back(parent->image);
    if (parent == cur) break;
    cur = parent;
  }
  return out;
}

std::string ProcessLog::dest_key(const ConnectDest& d) {
  return d.name.empty() ? d.ip.to_string() : registered_domain(d.name);
}

size_t ProcessLog::hosts_contacting(const std::string& key) const {
  const auto d = dest_hosts_.find(key);
  return d == dest_hosts_.end() ? 0 : d->second.size();
}

std::string ProcessLog::name_of_sid(const std::string& host, const std::string& sid) const {
  const auto h = hosts_.find(host_key(host));
  if (host.empty() || h == hosts_.end()) return "";
  const auto n = h->second.sid_names.find(sid);
  return n == h->second.sid_names.end() ? "" : n->second;
}

ProcessLog::Join ProcessLog::join(const std::string& host, const std::string& executable, TimeNs start, TimeNs end,
                                  size_t max) const {
  Join j;
  const auto h = hosts_.find(host_key(host));
  if (host.empty() || h == hosts_.end()) {
    j.reason = "no Windows event log of this host was read";
    return j;
  }
  const Host& hh = h->second;
  size_t more = 0;
  auto im = hh.by_image.find(executable);
  // SRUM's "\device\harddiskvolumeN\..." is read as "c:\..." (core/win_path.h); where this host's
  // events show the image on exactly one other drive and never on c:, that drive is the volume.
  if (im == hh.by_image.end() && executable.size() > 3 && executable.starts_with("c:\\")) {
    std::string other = executable;
    auto found = hh.by_image.end();
    int drives = 0;
    for (char d = 'd'; d <= 'z'; ++d) {
      other[0] = d;
      if (const auto o = hh.by_image.find(other); o != hh.by_image.end()) found = o, ++drives;
    }
    if (drives == 1) im = found;
  }
  if (im != hh.by_image.end()) {
    for (const size_t i : im->second) {
      const UsageProcess& p = hh.procs[i];
      if (p.start > end || (p.end != kNoTime && p.end < start)) continue;
      if (j.candidates.size() < max) j.candidates.push_back(&p);
      else ++more;
    }
  }
  std::sort(j.candidates.begin(), j.candidates.end(), [](auto* a, auto* b) { return a->start < b->start; });
  if (more) j.reason = std::to_string(more) + " more processes of this image overlap the interval";
  if (!j.candidates.empty()) return j;
  if (end < hh.first)
    j.reason = "the interval ends before the host's event log starts: no process creation can be seen";
  else if (start < hh.first)
    j.reason = "no process creation of this image in the event log, which starts inside the interval: it may "
               "have started before the log";
  else if (start > hh.last)
    j.reason = "the interval starts after the host's event log ends";
  else
    j.reason = "no process creation of this image in the event log overlaps the interval";
  return j;
}

}  // namespace outflow
