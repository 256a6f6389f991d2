// SRUM usage rows joined to the same host's process creations (Sysmon 1, Security 4688) of the
// same image whose lifetime overlaps the row's interval. SRUM has no process id: where several
// processes of that image overlap one interval, all are candidates, and the bytes are never
// split between them. Where none does, the reason says why (no log of the host, the interval
// before the log's first event, no such process). See docs/srum.md.
#pragma once
#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "outflow/core/ip.h"
#include "outflow/core/time.h"
#include "outflow/read/sink.h"

namespace outflow {

// A destination of a process's connection events (Sysmon 3 / 5156, outbound): no bytes.
struct ConnectDest {
  IpAddr ip;
  uint16_t port = 0;
  uint32_t connections = 0;
  std::string name;  // what the host's Sysmon 22 answers named the address ("" when none)
};

struct UsageProcess {
  std::string entity_id;  // ProcessGuid ("" for 4688)
  std::string parent_guid;
  uint64_t pid = 0;
  TimeNs start = kNoTime, end = kNoTime;  // end: kNoTime when no end event was read
  std::string image, command_line, parent_image, user;
  std::string original_file_name, company, hashes;  // Sysmon 1's (for the exclusion rules)
  std::vector<ConnectDest> connects;  // its outbound connection events' destinations (at most 8)
  uint32_t other_connects = 0;        // to destinations beyond those 8
};

// The process creations and ends of Windows event logs, per host (canonical lower-case name).
class ProcessLog final : public RecordSink {
 public:
  void on_host_event(const HostEvent& e) override;
  void on_flow(const FlowRecord&) override {}
  void on_dns(const DnsAnswer&) override {}

  // The host name the events name most often ("" when none).
  std::string main_host() const;

  struct Join {
    std::vector<const UsageProcess*> candidates;  // ordered by start
    std::string reason;                           // why there is none ("" when there are)
  };
  // Processes of `host` whose canonical image is `executable` and whose lifetime overlaps
  // [start, end]; at most `max` (the count beyond is in the reason). An image on "c:\" that the
  // host never ran from c: but from exactly one other drive is looked for there (SRUM's volume
  // paths are read as c:).
  Join join(const std::string& host, const std::string& executable, TimeNs start, TimeNs end, size_t max = 16) const;
  // The account name the host's Security events give `sid` ("" when none named it; Sysmon
  // events carry no SIDs).
  std::string name_of_sid(const std::string& host, const std::string& sid) const;
  // Prevalence of a connection destination: how many of this log's hosts' processes connected
  // to `key` (destination_key(): the registrable domain of its name, else its address), and how
  // many hosts the log has.
  static std::string dest_key(const ConnectDest& d);
  size_t hosts_contacting(const std::string& key) const;
  size_t hosts() const { return hosts_.size(); }
  // The images of `p`'s ancestors on `host`, its parent first (at most `max`): by ProcessGuid
  // where the log has the parent's creation, else the parent image its creation named.
  std::vector<std::string> ancestors(const std::string& host, const UsageProcess& p, size_t max = 4) const;

 private:
  struct Host {
    std::vector<UsageProcess> procs;
    std::unordered_map<std::string, size_t> by_guid;
    std::unordered_map<uint64_t, size_t> by_pid;  // latest process with that pid
    std::unordered_map<std::string, std::vector<size_t>> by_image;  // canonical image -> processes
    std::unordered_map<std::string, std::string> sid_names;  // SID -> DOMAIN\name (at most 10,000)
    std::unordered_map<IpAddr, std::string, IpAddrHash> dns_names;  // Sysmon 22 answers (at most 100,000)
    TimeNs first = kNoTime, last = kNoTime;
    uint64_t events = 0;
    std::string name;  // as recorded
    uint32_t index = 0;  // in the order hosts were first seen
  };
  std::unordered_map<std::string, Host> hosts_;
  // destination key -> the hosts (Host::index) that connected to it, at most 64 kept per key,
  // at most 200,000 keys.
  std::unordered_map<std::string, std::vector<uint32_t>> dest_hosts_;
  static constexpr size_t kMaxProcesses = 1'000'000;
};

}  // namespace outflow
