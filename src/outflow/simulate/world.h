// What the simulation produces before it is written: processes and connections, in true
// (sensor) time. Writers turn them into each format; the host's clock offset is applied only
// when its Sysmon records are written.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "outflow/core/ip.h"
#include "outflow/core/time.h"
#include "outflow/model/events.h"

namespace outflow::sim {

struct ProgramSpec;

struct SimProcess {
  std::string guid;  // "{xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx}" as Sysmon writes it
  uint32_t pid = 0;
  std::string image, command_line, user, integrity, original_file_name, company, description, hashes,
      current_directory;
  std::string parent_guid, parent_image, parent_command_line;
  uint32_t parent_pid = 0;
  TimeNs start = 0, end = 0;  // end: when it exits (may be past the simulation's end)
  const ProgramSpec* program = nullptr;  // the benign behaviour, or null (scenario-driven)
  std::string key;                       // what it is to the simulator ("dnscache", "explorer"...)
  int32_t srum_app = 0, srum_user = 0;   // its SRUM ids on its host, once known (srum_writer.h)

  // Sysmon logs a process's connection to a destination once and then only now and then
  // (it caches): the last time each destination was logged.
  struct Logged {
    IpAddr ip;
    uint16_t port;
    uint8_t proto;
    TimeNs at;
  };
  std::vector<Logged> logged;
};

// One connection (both directions), in true time.
struct SimConn {
  enum class Outcome : uint8_t { established, rejected, unanswered };
  TimeNs start = 0, duration = 0;
  IpAddr src, dst;  // src = the initiator
  uint16_t sport = 0, dport = 0;
  uint8_t proto = kProtoTcp;
  uint64_t out_bytes = 0, in_bytes = 0;  // payload each way (orig -> resp, resp -> orig)
  uint64_t out_pkts = 0, in_pkts = 0;    // 0: as packets_for() the payload
  Outcome outcome = Outcome::established;
  uint64_t uid = 0;  // Zeek's connection id (written in base 62); dns.log names the same one
  // A sensor fault (off by default): the flow sensors lose what the originator / responder sends.
  bool orig_unseen = false, resp_unseen = false;
  TimeNs end() const { return start + duration; }
};

// Packets for a payload, as the sensors count them: full-size segments plus acknowledgements
// and the handshake for TCP.
uint64_t packets_for(uint64_t payload, uint8_t proto);
inline uint64_t out_packets(const SimConn& c) { return c.out_pkts ? c.out_pkts : packets_for(c.out_bytes, c.proto); }
inline uint64_t in_packets(const SimConn& c) { return c.in_pkts ? c.in_pkts : packets_for(c.in_bytes, c.proto); }

}  // namespace outflow::sim
