// One host's benign life, a slice of time at a time: boot, the services it runs, a user's logon and
// the programs they start, their traffic, logoff and shutdown. Workstations follow the working
// day (most boot in the morning and shut down in the evening, weekends are quiet); servers run
// throughout. Scenarios plant their processes here too (spawn), so lineage and the Sysmon
// stream stay one.
#pragma once
#include <memory>
#include <string_view>
#include <vector>

#include "outflow/simulate/programs.h"
#include "outflow/simulate/recorder.h"

namespace outflow::sim {

inline constexpr TimeNs kForever = std::numeric_limits<TimeNs>::max() / 4;
inline constexpr TimeNs kHour = 3600 * kNsPerSec;
// The simulation's step: what is generated, then written, at a time. Memory is about one step
// of the organisation's output.
inline constexpr TimeNs kSlice = 600 * kNsPerSec;

// What a new process looks like; used for catalogue programs and for scenarios' tools.
struct SpawnSpec {
  std::string image, command_line, original_file_name, company, description;
  Account account = Account::system;
  std::string integrity;  // empty: from the account
  std::string key;
};
SpawnSpec spawn_spec(const ProgramSpec& p, const Organisation& org, const Host& h);

class HostSim {
 public:
  HostSim(const Organisation& org, const Host& host, uint64_t seed, Recorder& rec);

  // Everything benign that starts in [t0, t1), within one day.
  void run(TimeNs t0, TimeNs t1);
  // Writes the Sysmon 5 of processes that ended before t and forgets them.
  void reap(TimeNs t);

  // For scenarios.
  SimProcess* find(std::string_view key);                 // a live process by key
  SimProcess* find_guid(std::string_view guid);           // still alive?
  SimProcess& spawn(const SpawnSpec& s, const SimProcess* parent, TimeNs t, TimeNs end);
  bool logged_on(TimeNs t) const { return logon_ != kNoTime && t >= logon_ && t < logoff_; }
  TimeNs logoff_time() const { return logoff_; }
  bool powered(TimeNs t) const { return up_ != kNoTime && t >= up_ && t < down_; }
  const Host& host() const { return host_; }
  Recorder& recorder() { return rec_; }
  std::string account_name(Account a) const;
  // Traffic of one catalogue pattern for process p in [from, to).
  void pattern_traffic(SimProcess& p, const TrafficPattern& pat, TimeNs from, TimeNs to);

 private:
  void plan_day(TimeNs day_start);
  void boot(TimeNs t);
  void listen();  // registers the host's listening processes with the recorder
  void logon(TimeNs t);
  void end_all(TimeNs t, bool user_only);
  void occasional(TimeNs t0, TimeNs t1);

  const Organisation& org_;
  const Host& host_;
  Recorder& rec_;
  Rng rng_;
  uint64_t traits_;
  std::vector<std::unique_ptr<SimProcess>> live_;
  std::unique_ptr<SimProcess> system_;  // PID 4
  TimeNs up_ = kNoTime, down_ = kNoTime;        // powered on during [up_, down_)
  TimeNs logon_ = kNoTime, logoff_ = kNoTime;   // user session of the current day
  TimeNs planned_day_ = kNoTime;
  bool booted_ = false, logged_ = false;
};

}  // namespace outflow::sim
