#include "outflow/simulate/srum_writer.h"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>

#include "outflow/simulate/rng.h"
#include "outflow/simulate/sysmon_format.h"

namespace outflow::sim {

namespace {

constexpr TimeNs kHourNs = 3600 * kNsPerSec;
constexpr int32_t kFirstId = 3;  // 1 and 2: the interface total's AppId and UserId

// The LUID's top 16 bits are the IANA ifType (6 Ethernet, 71 Wi-Fi); then the NetLuidIndex.
constexpr uint64_t luid(uint64_t if_type, uint64_t index) { return (if_type << 48) | (index << 24); }

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& ch : out)
    if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
  return out;
}

// A CSV field as CsvHelper writes it: quoted when it holds a comma, a quote or a line break.
void csv_field(std::string& out, std::string_view v) {
  if (v.find_first_of(",\"\r\n") == std::string_view::npos) {
    out += v;
    return;
  }
  out += '"';
  for (char ch : v) {
    if (ch == '"') out += '"';
    out += ch;
  }
  out += '"';
}

// The payload each way as the connection's outcome allows (what a sensor that misses nothing sees).
struct Payload {
  uint64_t out = 0, in = 0;
};
Payload payload(const SimConn& c) {
  switch (c.outcome) {
    case SimConn::Outcome::established: return {c.out_bytes, c.in_bytes};
    case SimConn::Outcome::unanswered: return {c.proto == kProtoUdp ? c.out_bytes : 0, 0};
    case SimConn::Outcome::rejected: return {};
  }
  return {};
}

}  // namespace

SrumWriter::SrumWriter(const Organisation& org, uint64_t seed, std::string dir) : org_(org), dir_(std::move(dir)) {
  Rng d(seed, stream_id("srum domain sid"));
  domain_sid_ = fmt::format("S-1-5-21-{}-{}-{}", 1'000'000'000 + d.below(3'000'000'000),
                            1'000'000'000 + d.below(3'000'000'000), 1'000'000'000 + d.below(3'000'000'000));
  hosts_.resize(org.hosts.size());
  for (const auto& h : org.hosts) {
    HostState& s = hosts_[h.index];
    Rng r(seed, stream_id("srum"), h.index);
    // The minute and second past each hour of the host's clock at which it flushes.
    const TimeNs at = static_cast<TimeNs>(r.below(3600)) * kNsPerSec;
    s.phase = ((at - h.clock_offset) % kHourNs + kHourNs) % kHourNs;
    s.luid = h.remote ? luid(71, 0x8002) : luid(6, 0x8001);
    s.if_type = h.remote ? "IF_TYPE_IEEE80211" : "IF_TYPE_ETHERNET_CSMACD";
  }
}

std::string SrumWriter::program_of(const SimProcess& p) {
  if (p.image == "System") return "System";
  const std::string image = lower(p.image);
  if (image == "c:\\windows\\system32\\svchost.exe") {  // a service: SRUM names the service
    const size_t at = p.command_line.find(" -s ");
    if (at != std::string::npos) {
      const size_t from = at + 4, to = p.command_line.find(' ', from);
      return p.command_line.substr(from, to == std::string::npos ? std::string::npos : to - from);
    }
  }
  if (image.size() >= 3 && image[1] == ':' && image[2] == '\\') return "\\device\\harddiskvolume3\\" + image.substr(3);
  return image;
}

std::string SrumWriter::sid_of(const Organisation& org, const std::string& account) const {
  if (account == "NT AUTHORITY\\SYSTEM") return "S-1-5-18";
  if (account == "NT AUTHORITY\\LOCAL SERVICE") return "S-1-5-19";
  if (account == "NT AUTHORITY\\NETWORK SERVICE") return "S-1-5-20";
  const std::string name = account.substr(account.find('\\') + 1);
  if (name == "Administrator") return domain_sid_ + "-500";
  for (size_t i = 0; i < org.users.size(); ++i)
    if (org.users[i].name == name) return fmt::format("{}-{}", domain_sid_, 1105 + i);
  uint64_t h = stream_id(name);
  return fmt::format("{}-{}", domain_sid_, 5000 + splitmix64(h) % 1000);
}

int32_t SrumWriter::app_id(HostState& s, const SimProcess* p) {
  const std::string text = p ? program_of(*p) : std::string("System");
  auto [it, added] = s.app_ids.try_emplace(text, 0);
  if (added) {
    it->second = kFirstId + static_cast<int32_t>(s.ids.size());
    s.ids.push_back({text, "", "", ""});
  }
  return it->second;
}

int32_t SrumWriter::user_id(HostState& s, const SimProcess* p) {
  const std::string account = p ? p->user : std::string("NT AUTHORITY\\SYSTEM");
  auto [it, added] = s.user_ids.try_emplace(account, 0);
  if (added) {
    it->second = kFirstId + static_cast<int32_t>(s.ids.size());
    Id id;
    id.sid = sid_of(org_, account);
    // SrumECmd: the SID's kind, and the user name from the profile path (SOFTWARE hive).
    if (id.sid == "S-1-5-18") id.sid_type = "LocalSystem", id.user_name = "systemprofile";
    else if (id.sid == "S-1-5-19") id.sid_type = "LocalService", id.user_name = "LocalService";
    else if (id.sid == "S-1-5-20") id.sid_type = "NetworkService", id.user_name = "NetworkService";
    else {
      id.sid_type = id.sid.ends_with("-500") ? "Administrator" : "UnknownOrUserSid";
      id.user_name = account.substr(account.find('\\') + 1);
    }
    s.ids.push_back(std::move(id));
  }
  return it->second;
}

int64_t SrumWriter::interval_of(const HostState& s, TimeNs t) const { return (t - s.phase) / kHourNs + 1; }

TimeNs SrumWriter::interval_end(const HostState& s, int64_t k) const { return k * kHourNs + s.phase; }

void SrumWriter::credit(HostState& s, int32_t app, int32_t user, const SimConn& c, uint64_t sent, uint64_t recvd) {
  const TimeNs start = c.start, end = c.end(), dur = c.duration;
  const int64_t first = interval_of(s, start), last = dur > 0 ? interval_of(s, end - 1) : first;
  if (first == last) {
    Bytes& b = s.open[first][{app, user}];
    b.sent += sent;
    b.recvd += recvd;
    return;
  }
  // In proportion to time: the bytes up to x are floor(total x (x - start) / dur), so the
  // intervals' shares add up to the total exactly.
  const auto upto = [&](uint64_t total, TimeNs x) {
    return static_cast<uint64_t>(static_cast<u128>(total) * static_cast<uint64_t>(x - start) /
                                 static_cast<uint64_t>(dur));
  };
  for (int64_t k = first; k <= last; ++k) {
    const TimeNs lo = std::max(start, interval_end(s, k - 1)), hi = std::min(end, interval_end(s, k));
    Bytes& b = s.open[k][{app, user}];
    b.sent += upto(sent, hi) - upto(sent, lo);
    b.recvd += upto(recvd, hi) - upto(recvd, lo);
  }
}

void SrumWriter::add(uint32_t host, SimProcess* p, const SimConn& c, bool originator) {
  if (!org_.hosts[host].endpoint) return;
  const Payload pl = payload(c);
  if (pl.out == 0 && pl.in == 0) return;
  HostState& s = hosts_[host];
  int32_t app, user;
  if (p) {
    if (!p->srum_app) p->srum_app = app_id(s, p), p->srum_user = user_id(s, p);  // it lives on one host
    app = p->srum_app, user = p->srum_user;
  } else {
    app = app_id(s, nullptr), user = user_id(s, nullptr);
  }
  if (originator) credit(s, app, user, c, pl.out, pl.in);
  else credit(s, app, user, c, pl.in, pl.out);
}

bool SrumWriter::flush_before(TimeNs t, std::string& error) {
  for (const auto& h : org_.hosts) {
    if (!h.endpoint) continue;
    HostState& s = hosts_[h.index];
    buf_.clear();
    if (!s.started)
      buf_ += "\xEF\xBB\xBFId,Timestamp,ExeInfo,ExeInfoDescription,ExeTimestamp,SidType,Sid,UserName,UserId,AppId,"
              "BytesReceived,BytesSent,InterfaceLuid,InterfaceType,L2ProfileFlags,L2ProfileId,ProfileName\r\n";
    while (!s.open.empty() && interval_end(s, s.open.begin()->first) <= t) {
      const auto& [k, rows] = *s.open.begin();
      std::string stamp;
      append_sysmon_time(stamp, interval_end(s, k) + h.clock_offset);
      stamp.resize(19);  // whole seconds: "yyyy-MM-dd HH:mm:ss"
      Bytes total;
      for (const auto& [key, b] : rows) total.sent += b.sent, total.recvd += b.recvd;
      const auto tail = [&](const Bytes& b) {
        fmt::format_to(std::back_inserter(buf_), "{},{},{},{},0,0,\r\n", b.recvd, b.sent, s.luid, s.if_type);
      };
      fmt::format_to(std::back_inserter(buf_), "{},{},,,,,,,2,1,", s.next_row++, stamp);
      tail(total);
      for (const auto& [key, b] : rows) {
        const Id& app = s.ids[static_cast<size_t>(key.first - kFirstId)];
        const Id& user = s.ids[static_cast<size_t>(key.second - kFirstId)];
        fmt::format_to(std::back_inserter(buf_), "{},{},", s.next_row++, stamp);
        csv_field(buf_, app.text);
        buf_ += ",,,";
        buf_ += user.sid_type;
        buf_ += ',';
        buf_ += user.sid;
        buf_ += ',';
        csv_field(buf_, user.user_name);
        fmt::format_to(std::back_inserter(buf_), ",{},{},", key.second, key.first);
        tail(b);
      }
      rows_ += rows.size() + 1;
      s.open.erase(s.open.begin());
    }
    if (buf_.empty()) continue;
    // Opened per flush, as the Sysmon files: thousands of hosts must not hold a descriptor each.
    const std::string path = dir_ + "/" + file_name(h);
    std::FILE* f = std::fopen(path.c_str(), s.started ? "ab" : "wb");
    s.started = true;
    bool ok = f && std::fwrite(buf_.data(), 1, buf_.size(), f) == buf_.size();
    if (f && std::fclose(f) != 0) ok = false;
    if (!ok) {
      error = path + ": " + std::strerror(errno);
      return false;
    }
  }
  return true;
}

}  // namespace outflow::sim
