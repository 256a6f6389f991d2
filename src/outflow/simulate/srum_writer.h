// `outflow simulate --formats srum`: each endpoint host's SRUM network usage (the table
// {973F5D5C-...} of SRUDB.dat) as SrumECmd exports it, DIR/srum/HOST_SrumECmd_NetworkUsages_Output.csv
// (read by `outflow usage` and `outflow hunt`, docs/srum.md).
//
// What the host itself counted: every connection's payload to the process that made or accepted
// it (sent = the bytes it sent), also where a flow sensor lost them (a fault). Summed per program,
// user and interval; a connection over several intervals is split in proportion to time. Per
// interval, the interface-wide total (AppId 1, UserId 2, no program) is the sum of its rows.
//
// - Intervals: SRUM flushes about hourly; here at a fixed minute and second of every hour of the
//   host's own clock (drawn per host), so a row's Timestamp (the interval's end) is in the host's
//   clock, like its Sysmon records. Only intervals with traffic have rows; no flush at shutdown:
//   the bytes before a shutdown are in the next hour's row.
// - Programs as SRUM names them: a path in NT device form, lower case
//   (\device\harddiskvolume3\windows\explorer.exe: SrumECmd prints SruDbIdMapTable's text as it
//   is), a service name for a svchost.exe started with "-s NAME", "System" for the kernel (SMB,
//   and connections to a port no simulated process listens on).
// - Users: S-1-5-18 / -19 / -20 (user names systemprofile, LocalService, NetworkService, as
//   SrumECmd takes them from the SOFTWARE hive's profile paths), domain accounts
//   S-1-5-21-{a stable domain}-{RID} (Administrator 500, the others 1105 + their index).
// - AppId and UserId: per host, numbered as first seen from 3; Id numbers the rows.
//
// Deterministic and draws no random number of any stream the other outputs use (its own per-host
// streams only): the other formats are byte for byte the same with or without it. Memory: the
// intervals not yet complete (flush_before writes those that end before its time).
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <unordered_map>
#include <vector>

#include "outflow/simulate/organisation.h"
#include "outflow/simulate/world.h"

namespace outflow::sim {

class SrumWriter {
 public:
  // `dir`: DIR/srum (made by the caller). Hosts without endpoint telemetry get no file.
  SrumWriter(const Organisation& org, uint64_t seed, std::string dir);

  // A connection of host `host`'s process `p` (null: the kernel, "System"), `originator`: the host
  // is c.src, else c.dst. The payload that went each way, as the connection's outcome allows.
  void add(uint32_t host, SimProcess* p, const SimConn& c, bool originator);
  // Writes the intervals that end before `t` (true time).
  bool flush_before(TimeNs t, std::string& error);

  uint64_t rows() const { return rows_; }
  static std::string file_name(const Host& h) { return h.name + "_SrumECmd_NetworkUsages_Output.csv"; }
  // The program and user as SRUM names them (tests).
  static std::string program_of(const SimProcess& p);
  std::string sid_of(const Organisation& org, const std::string& account) const;

 private:
  struct Bytes {
    uint64_t sent = 0, recvd = 0;
  };
  struct Id {
    std::string text, sid_type, sid, user_name;  // a program: text only
  };
  struct HostState {
    TimeNs phase = 0;  // true time of one flush: flushes are at phase + k hours
    uint64_t luid = 0;
    const char* if_type = "";
    std::unordered_map<std::string, int32_t> app_ids, user_ids;
    std::vector<Id> ids;  // by id - 3
    std::map<int64_t, std::map<std::pair<int32_t, int32_t>, Bytes>> open;  // interval -> (app, user) -> bytes
    int64_t next_row = 1;
    bool started = false;
  };
  int32_t app_id(HostState& s, const SimProcess* p);
  int32_t user_id(HostState& s, const SimProcess* p);
  int64_t interval_of(const HostState& s, TimeNs t) const;  // the interval holding t (ends after t)
  TimeNs interval_end(const HostState& s, int64_t k) const;  // true time
  void credit(HostState& s, int32_t app, int32_t user, const SimConn& c, uint64_t sent, uint64_t recvd);

  const Organisation& org_;
  std::string dir_, domain_sid_;
  std::vector<HostState> hosts_;
  uint64_t rows_ = 0;
  std::string buf_;
};

}  // namespace outflow::sim
