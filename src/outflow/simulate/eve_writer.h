// The simulator's Suricata sensor: DIR/suricata/eve.json, EVE JSON lines as Suricata writes
// them: a flow event when a connection ends (or is timed out), its tls / http event (the SNI or
// Host the connection's DNS lookup gave) when it starts, dns query and answer events, and a
// stats event every minute whose capture.kernel_drops is `drop_rate` of the packets of that
// minute (0 by default). Times carry a +0100 offset, as a sensor on local time writes them.
// The same connections as the Zeek and NetFlow writers; memory: the connections still open.
#pragma once
#include <queue>
#include <string>
#include <unordered_map>
#include <vector>

#include "outflow/simulate/flow_writers.h"

namespace outflow::sim {

class EveWriter {
 public:
  EveWriter(uint64_t seed, TimeNs open_time, double drop_rate);
  bool open(const std::string& dir, std::string& error);
  void add(const SimConn& c);
  void add_dns(const DnsRecord& d);
  bool flush_before(TimeNs t);
  bool close(std::string& error);
  uint64_t records() const { return records_; }

 private:
  struct ByEnd {
    bool operator()(const SimConn& a, const SimConn& b) const { return a.end() > b.end(); }
  };
  void head(TimeNs t, uint64_t flow_id, const char* type, const SimConn* c);
  void flow_event(const SimConn& c);
  void stats_until(TimeNs t);
  std::priority_queue<SimConn, std::vector<SimConn>, ByEnd> pending_;
  std::vector<DnsRecord> dns_;
  // The name each client last resolved each address to (for tls sni / http hostname), capped.
  std::unordered_map<uint64_t, std::string> names_;
  OutputFile file_;
  std::string buf_;
  Rng rng_;
  TimeNs open_time_, next_stats_;
  double drop_rate_;
  uint64_t packets_ = 0, drops_ = 0, minute_packets_ = 0, records_ = 0;
};

}  // namespace outflow::sim
