// SRUM network usage summed per host, program and user over the span read, ranked by bytes sent;
// the interface-wide rows (AppId 1 / UserId 2, no name) summed apart per host and interface, as
// the host's totals, never as a program. Intervals: the distinct time stamps of one input (SRUM
// writes all of an interval's rows with the interval's end). See docs/srum.md.
#pragma once
#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "outflow/baseline/log_hist.h"
#include "outflow/read/srum/srum_usage.h"

namespace outflow {

class ProcessLog;  // join/usage_processes.h

// One input's records, with the host they belong to and that host's process creations.
struct UsageInput {
  std::string host;  // "" when unknown
  const srum::UsageFile* file = nullptr;
  const ProcessLog* processes = nullptr;  // the event logs beside it (nullptr: none)
};

// One of a program's busiest intervals (a row: one interval and interface), for the detector's
// process join and the analyst (score/usage_findings.h).
struct UsagePeak {
  TimeNs end = kNoTime;
  uint32_t input = 0;  // the input it came from (its time stamps give the interval's start)
  uint64_t sent = 0, recvd = 0;
};

struct ProgramUsage {
  std::string key, user_key;  // usage_program_key(), usage_user_key()
  std::string host, program, executable, user_sid, user_name;  // executable: canonical path ("" when not a path)
  std::string host_key;  // tells hosts apart where `host` is "" (UsageAggregator's same_host)
  srum::ProgramKind kind = srum::ProgramKind::unknown;
  uint64_t sent = 0, recvd = 0;
  uint32_t intervals = 0;  // rows summed (one per interval and interface)
  TimeNs first = kNoTime, last = kNoTime;
  // The detector's own-history baseline: bytes sent per row (1 KiB whatever the rows), and the
  // rows that sent most (at most kPeaks, most first; ties: the earlier).
  static constexpr size_t kPeaks = 4;
  LogHist sent_hist;
  std::vector<UsagePeak> peaks;
  void add_peak(const UsagePeak& p);
};

struct InterfaceUsage {
  std::string host;
  uint64_t luid = 0;
  uint64_t sent = 0, recvd = 0;
  uint32_t intervals = 0;
  TimeNs first = kNoTime, last = kNoTime;
};

struct UsageTotals {
  std::vector<ProgramUsage> programs;       // ranked: bytes sent, then received, then name
  std::vector<InterfaceUsage> interfaces;   // by host, then bytes sent
};

// The inputs' rows (UsageFile::rows) summed; `outflow usage` sums them as it reads instead
// (usage_aggregate.h), with the same result.
UsageTotals usage_totals(const std::vector<UsageInput>& inputs);

// The same rows read twice (a SRUDB.dat and its SrumECmd export in one collection): a row of a
// later input whose host, program, user, interface, bytes each way and time (to the nearest
// minute: Chainsaw's times are cut to the second) equal an earlier input's is removed from
// `rows`. Returns how many were removed per input (same order). Rows held in `rows`; `outflow
// usage` does the same as it reads (usage_aggregate.h).
std::vector<size_t> drop_rows_read_twice(const std::vector<std::string>& hosts, std::vector<srum::UsageFile*>& files);

// What an input's time stamps cover: SRUM flushes about hourly while the machine runs, so a gap
// of over 2 h between two flushes is the machine off or asleep, or rows removed.
struct UsageSpan {
  TimeNs first = kNoTime, last = kNoTime;
  size_t intervals = 0;  // distinct time stamps
  size_t gaps = 0;       // consecutive time stamps over 2 h apart
  TimeNs longest_gap = 0;
};
UsageSpan usage_span(const srum::UsageFile& f);
UsageSpan usage_span(const std::vector<TimeNs>& distinct_sorted_stamps);

// The start of the interval a row's time stamp ends: the input's previous distinct time stamp
// when it lies within `max_gap` before (the previous flush), else `end` - 1 h (`estimated`).
// `stamps` are an input's distinct time stamps, sorted.
TimeNs interval_start(const std::vector<TimeNs>& stamps, TimeNs end, bool& estimated);
std::vector<TimeNs> distinct_stamps(const srum::UsageFile& f);

// usage_executable() and usage_program_key() of records, computed once per distinct program
// (a 60-day export names each program about 1,440 times).
class ProgramNames {
 public:
  struct Names {
    std::string executable, key;
  };
  const Names& of(const srum::UsageRecord& r);

 private:
  std::unordered_map<std::string, Names> cache_;
  Names scratch_;
};

// The program's canonical path ("" when SRUM's name is not a path).
std::string usage_executable(const srum::UsageRecord& r);
// What records are summed by: the canonical path, else SRUM's name, else "app id N"; the SID,
// else "user id N".
std::string usage_program_key(const srum::UsageRecord& r);
std::string usage_user_key(const srum::UsageRecord& r);

}  // namespace outflow
