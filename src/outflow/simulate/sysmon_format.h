// Sysmon events 1, 3, 5 and 22 as JSON lines, in the two shapes found in SIEM exports:
// flat NXLog rows (`EventID`, `Hostname`, event data at the top level, and the rendered
// `Message`) and Winlogbeat 7 / ECS (`winlog.event_id`, `winlog.computer_name`,
// `winlog.event_data.*`, `@timestamp`). Times are the host's clock (true time + its offset).
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

#include "outflow/simulate/organisation.h"
#include "outflow/simulate/world.h"

namespace outflow::sim {

// "2026-01-05 10:00:00.123" (Sysmon's UtcTime) and "2026-01-05T10:00:00.123Z".
void append_sysmon_time(std::string& out, TimeNs t);
void append_iso_time(std::string& out, TimeNs t);

class SysmonFormatter {
 public:
  explicit SysmonFormatter(const Host& host);
  // Each appends one line (with '\n') for the event at true time `t`.
  void process_start(std::string& out, const SimProcess& p, TimeNs t);
  void process_end(std::string& out, const SimProcess& p, TimeNs t);
  // Sysmon 3; `initiated` false for an inbound connection (then src is the remote side).
  void network_connect(std::string& out, const SimProcess& p, const SimConn& c, TimeNs t);
  // Sysmon 22; `results` as Sysmon writes them ("::ffff:1.2.3.4;::ffff:5.6.7.8;").
  void dns_query(std::string& out, const SimProcess& p, std::string_view name, std::string_view results, TimeNs t);
  // One of the events a real Sysmon log is mostly made of and the join does not use: 7 (image
  // loaded), 10 (process access), 11 (file created) or 13 (registry value set); `pick` in [0, 1)
  // chooses the kind (about 40/25/15/20 %) and its details.
  void other_event(std::string& out, const SimProcess& p, double pick, TimeNs t);

 private:
  struct Kv {
    std::string_view key;
    std::string_view value;
  };
  void emit(std::string& out, int event_id, const char* title, const char* task, TimeNs t, const Kv* kv, size_t n);

  const Host& host_;
  uint64_t record_ = 1000;
  uint32_t sysmon_pid_ = 0;
  std::string scratch_, time_;
};

// A stable fake SHA1/MD5/SHA256/IMPHASH line for an image (so one program has one hash).
std::string hashes_for(std::string_view image);

}  // namespace outflow::sim
