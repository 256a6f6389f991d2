// Where simulated activity becomes telemetry. A process's connection becomes, as on a real
// network: a DNS lookup when the host has not cached the name (Sysmon 22 from the process, the
// UDP exchange with the DC seen by both sensors and in Zeek's dns.log, the DC forwarding misses
// to its public resolvers), a Sysmon 3 unless Sysmon's own cache suppresses the repeat, and
// the flow for Zeek and NetFlow. Sysmon records are kept per host for the current hour and
// written in time order by flush_before().
#pragma once
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "outflow/simulate/eve_writer.h"
#include "outflow/simulate/flow_writers.h"
#include "outflow/simulate/organisation.h"
#include "outflow/simulate/srum_writer.h"
#include "outflow/simulate/sysmon_format.h"

namespace outflow::sim {

class ProxyNet;

// How long Sysmon stays silent about a process's repeated connections to one destination.
inline constexpr TimeNs kSysmonRepeatQuiet = 2 * 3600 * kNsPerSec;
inline constexpr TimeNs kDnsTtl = 300 * kNsPerSec;

class Recorder {
 public:
  // `sysmon_dir` gets one HOST.jsonl per host; zeek/netflow may be null (format not wanted).
  Recorder(const Organisation& org, uint64_t seed, std::string sysmon_dir, ZeekWriter* zeek, NetflowWriter* netflow);
  // Mean number of unused Sysmon events (7, 10, 11, 13) written with each used one, as in real
  // logs where they are most of the volume. 0: none.
  void set_other_events(double per_event) { other_events_ = per_event; }
  // The Suricata sensor (eve_writer.h), when that format is wanted.
  void set_eve(EveWriter* eve) { eve_ = eve; }
  // An explicit web proxy and the perimeter firewall (simulate --proxy, proxy_net.h), or null.
  void set_proxy(ProxyNet* proxy) { proxy_ = proxy; }
  // The hosts' own SRUM network usage (srum_writer.h), when that format is wanted: every
  // connection's payload to the process that made or accepted it.
  void set_srum(SrumWriter* srum) { srum_ = srum; }

  // Identity of new processes.
  uint32_t next_pid(uint32_t host);
  std::string new_guid(uint32_t host, TimeNs t);
  uint16_t ephemeral_port(uint32_t host);

  // The process that makes a host's DNS lookups (Dnscache; the DNS server on the DC).
  void set_resolver_process(uint32_t host, SimProcess* p) { resolver_[host] = p; }
  // The process that accepts connections to a port of a host (Sysmon logs them as inbound).
  void set_listener(uint32_t host, uint16_t port, SimProcess* p) { listeners_[host].push_back({port, p}); }
  // A process has exited: it resolves and listens no more.
  void forget(uint32_t host, const SimProcess* p);

  void process_start(uint32_t host, const SimProcess& p);
  void process_end(uint32_t host, const SimProcess& p);
  // `c` comes with start, duration, dst, dport, proto, bytes and outcome; src and sport are
  // filled in. `domain` empty: connected by address (no lookup).
  void connect(uint32_t host, SimProcess& p, SimConn& c, std::string_view domain);
  // A DNS query on the wire only (e.g. a tunnel's), for Zeek's dns.log.
  void wire_dns(const DnsRecord& d);

  bool flush_before(TimeNs t, std::string& error);
  uint64_t sysmon_bytes() const { return sysmon_bytes_; }

 private:
  struct HostOut {
    HostOut(Rng r, Rng n, Rng i) : rng(r), other_rng(n), inbound_rng(i) {}
    Rng rng;          // per host: one host's activity never shifts another's numbers
    Rng other_rng;    // for unused events only: they never change the used ones
    Rng inbound_rng;  // for what other hosts' connections cause here
    std::vector<std::pair<TimeNs, std::string>> events;
    std::unordered_map<std::string, TimeNs> dns_cache;  // name -> expiry
    uint32_t pid = 1000;
    uint32_t guid_counter = 0x100;
    uint16_t port = 49152;
    bool started = false;
  };
  // Sysmon 3 unless Sysmon's cache suppresses it; `remote` keys the cache.
  void sysmon_connect(uint32_t host, SimProcess& p, const SimConn& c, const IpAddr& remote, Rng& rng);
  // The same connection as the listening host's Sysmon (and SRUM) sees it, if it is one of ours.
  void inbound(const SimConn& c);
  // To SRUM, if wanted: `p` (null: the kernel) of `host` made (originator) or accepted `c`.
  void usage(uint32_t host, SimProcess* p, const SimConn& c, bool originator) {
    if (srum_) srum_->add(host, p, c, originator);
  }
  void lookup(uint32_t host, SimProcess& p, std::string_view domain, const std::vector<IpAddr>& answers, TimeNs t);
  void flow(SimConn c);  // to the flow sensors, as they see it
  void add_event(uint32_t host, TimeNs t, const SimProcess& p);  // line_ at t, then unused events

  const Organisation& org_;
  std::string dir_;
  ZeekWriter* zeek_;
  NetflowWriter* netflow_;
  EveWriter* eve_ = nullptr;
  std::vector<SysmonFormatter> fmt_;
  std::vector<HostOut> out_;
  std::vector<SimProcess*> resolver_;
  struct Listener {
    uint16_t port;
    SimProcess* process;
  };
  std::vector<std::vector<Listener>> listeners_;
  std::unordered_map<IpAddr, uint32_t, IpAddrHash> host_by_ip_;
  std::unordered_map<std::string, TimeNs> dc_cache_;
  std::string line_;
  uint64_t sysmon_bytes_ = 0;
  double other_events_ = 0;
  bool drops_outgoing_ = false;  // some host's outgoing packets are lost to the sensors
  ProxyNet* proxy_ = nullptr;
  SrumWriter* srum_ = nullptr;
};

}  // namespace outflow::sim
