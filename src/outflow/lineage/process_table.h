// Per-host process table: who ran what, as whom, started by whom.
//
// Processes are keyed by Sysmon's ProcessGuid where there is one, and by (PID, start time) for
// Security 4688, which has no GUID: a PID reused later is a new process. A parent that was never
// seen starting (it started before logging began) is a placeholder built from the child's
// ParentImage / ParentProcessName, so lineage still reaches a named root. Events may arrive out
// of order: a placeholder is filled in when its own start event comes.
//
// The table is capped (max_processes); past the cap new processes are dropped and counted.
// Not thread-safe.
#pragma once
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "outflow/core/chunked_vector.h"
#include "outflow/core/compact_hash.h"
#include "outflow/core/small_vector.h"
#include "outflow/core/win_path.h"  // image_basename
#include "outflow/lineage/host_registry.h"
#include "outflow/model/events.h"

namespace outflow {

using ProcId = uint32_t;
inline constexpr ProcId kNoProc = 0xffffffffu;

struct Process {
  HostId host = kNoHost;
  std::string guid;
  uint64_t pid = 0;
  TimeNs start = kNoTime, end = kNoTime;
  // The clock `start` (and `end`) is on: the start event's id and time field (join/clock_offsets.h).
  uint16_t start_event = 0;
  TimeField start_field = TimeField::none;
  std::string image, command_line, user, integrity_level;
  std::string original_file_name, company, hashes;
  ProcId parent = kNoProc;
  // How we know it: a start event (Sysmon 1 / 4688), or only from other events.
  enum class Origin : uint8_t { start_event, placeholder_parent, seen_in_event } origin = Origin::seen_in_event;
  bool from_sysmon = false, from_security = false;
  bool recovered = false;  // some event of it came from a recovered (damaged) EVTX record
  bool invalid_utf8 = false;  // a start event of it had bytes replaced with U+FFFD
  bool connected = false;     // a connection event named it (the first one cross-checks the clocks)
  // For forgetting (ProcessTable::evict_before): the table's clock when an event last named it,
  // and how many processes in the table name it as parent.
  TimeNs last_arrival = kNoTime;
  uint32_t live_children = 0;
  bool in_use = true;  // false: a free slot (its process was forgotten)
  bool restored = false;  // a copy put back by restore(): never forgotten by eviction
  uint64_t serial = 0;  // unique for the run (ids are reused after forgetting, serials are not)
};

class ProcessTable {
 public:
  explicit ProcessTable(HostRegistry& hosts, size_t max_processes = 4'000'000)
      : hosts_(hosts), max_(max_processes) {}

  // Feeds a host event; returns the process it concerns (kNoProc if dropped or unusable).
  ProcId on_event(const HostEvent& e, HostId host);

  // The process with this GUID on this host, or the one with this PID alive at time t.
  ProcId find_by_guid(HostId host, std::string_view guid) const;
  ProcId find_by_pid(HostId host, uint64_t pid, TimeNs t) const;

  const Process& get(ProcId id) const { return procs_[id]; }
  // True the first time it is called for a process (its first connection event).
  bool first_connect(ProcId id) {
    if (procs_[id].connected) return false;
    procs_[id].connected = true;
    return true;
  }
  // Slots, for iterating (some may be free: Process::in_use). live(): processes held now;
  // seen(): every process ever created (for coverage).
  size_t live() const { return procs_.size() - free_.size() - quarantine_.size(); }
  uint64_t seen() const { return seen_; }

  // Forgetting, when inputs are read merged by time. set_clock() stamps the processes events
  // name from then on. evict_before(h) forgets processes that no event named since before h,
  // that no process in the table names as parent (lineage stays whole: a parent goes after its
  // children), and that have ended or were never seen starting (a
  // parent known only from its children, a process known only from its network events); `on_evict`
  // sees each just before it goes. Their slots and ids are reused (generation() changes).
  // Returns the ids forgotten. Their slots are not reused until release_forgotten(), which
  // returns every id forgotten since the last call: callers drop their references to those
  // first (a forgotten slot reads as !in_use meanwhile).
  //
  // A host's boot (wininit.exe starting) ends every process of that host that started before
  // it and has not logged its end: Sysmon logs no end for what runs at shutdown, and those
  // processes would otherwise stay forever (and keep their PIDs from being reused).
  void set_clock(TimeNs now) { now_ = now; }
  std::vector<ProcId> evict_before(TimeNs horizon, const std::function<void(ProcId)>& on_evict);
  uint64_t evicted() const { return evicted_; }
  // Forgetting under memory pressure (PipelineOptions::live_processes): idle_horizon(n) is the
  // table clock before which at least `n` processes that no process names as parent were last
  // named (kNoTime if there are fewer); evict_idle_before(h) forgets every such process whatever
  // its state (running ones too: a process named again later comes back as a new process known
  // from that event), children first, and returns their ids as evict_before does.
  TimeNs idle_horizon(size_t n) const;
  std::vector<ProcId> evict_idle_before(TimeNs horizon, const std::function<void(ProcId)>& on_evict);
  uint64_t evicted_idle() const { return evicted_idle_; }
  std::vector<ProcId> release_forgotten();
  size_t forgotten_pending() const { return quarantine_.size(); }
  uint64_t ended_by_boot() const { return ended_by_boot_; }

  // A copy of a forgotten process put back for reading (get(), lineage()) under `parent`, as
  // the detector does to score and show a process it kept on disk; not findable by GUID or PID,
  // never forgotten by evict_before(). release() frees it again.
  ProcId restore(const Process& copy, ProcId parent);
  void release(ProcId id);
  // Changes whenever a process already in the table changes (fields filled in, parent linked,
  // slot reused): what a process's lineage and fields render to is unchanged while it is equal,
  // so writers may cache rendered processes by (ProcId, generation). New processes do not change
  // it: they change no existing process.
  uint64_t generation() const { return generation_; }
  size_t size() const { return procs_.size(); }  // slots (see live())
  uint64_t dropped() const { return dropped_; }
  // A PID reused more than kPidHistory times on one host: only the latest kPidHistory processes
  // stay findable by PID (GUID lookups are unaffected), so a storm of reuses costs a bounded
  // scan per event, not one over every process that ever had the PID. Counts those forgotten.
  static constexpr size_t kPidHistory = 256;
  uint64_t pid_history_dropped() const { return pid_history_dropped_; }

  // 8.3 short path components resolved from the long forms of the images started so far (see
  // ShortNameMap): for the detector's canonical image paths.
  const ShortNameMap& short_names() const { return short_names_; }

  // Ancestors from the root down to `id` (inclusive). Stops at unknown parents, at loops and
  // after kMaxDepth levels; `truncated` tells whether it stopped early.
  static constexpr size_t kMaxDepth = 64;
  std::vector<ProcId> lineage(ProcId id, bool* truncated = nullptr) const;

 private:
  ProcId apply_event(const HostEvent& e, HostId host);
  // A GUID is 16 bytes: keyed as two integers, lookups neither allocate nor compare strings
  // (string keys made find_by_guid a tenth of the endpoint phase). Text that is not a GUID is
  // keyed by two independent 64-bit hashes of it.
  struct GuidKey {
    HostId host;
    uint64_t hi, lo;
    bool operator==(const GuidKey& o) const { return host == o.host && hi == o.hi && lo == o.lo; }
  };
  struct GuidKeyHash {
    size_t operator()(const GuidKey& k) const {
      uint64_t x = k.hi ^ (k.lo * 0x9E3779B97F4A7C15ULL) ^ (uint64_t{k.host} << 47);
      x ^= x >> 31;
      return static_cast<size_t>(x * 0xBF58476D1CE4E5B9ULL);
    }
  };
  static GuidKey guid_key(HostId host, std::string_view guid);
  static uint64_t pid_key(HostId h, uint64_t pid) { return (uint64_t{h} << 40) ^ pid; }

  ProcId create(HostId host, std::string_view guid, uint64_t pid, Process::Origin origin);
  ProcId ensure_parent(const HostEvent& e, HostId host, ProcId child);
  void fill_from_start(Process& p, const HostEvent& e);
  ProcId match_security_start(HostId host, const HostEvent& e) const;

  [[maybe_unused]] HostRegistry& hosts_;  // clang: unused so far
  size_t max_;
  uint64_t dropped_ = 0, pid_history_dropped_ = 0;
  uint64_t generation_ = 0;
  TimeNs now_ = kNoTime;
  uint64_t seen_ = 0, evicted_ = 0, evicted_idle_ = 0;
  std::vector<ProcId> free_;
  std::vector<ProcId> quarantine_;  // forgotten, not reusable yet (see release_forgotten)
  ProcId fresh_ = kNoProc;  // created by the event being applied (its changes need no new generation)
  std::vector<ProcId> candidates_;  // ended or never seen starting: may be forgotten (with a clock only)
  uint64_t ended_by_boot_ = 0;
  std::unordered_map<HostId, TimeNs> last_boot_;
  void boot(HostId host, TimeNs t, ProcId wininit);
  void add_candidate(ProcId id) {
    if (now_ != kNoTime) candidates_.push_back(id);
  }
  void link_parent(ProcId child, ProcId parent);
  ProcId take_slot();  // a free slot (reset) or a new one
  void forget(ProcId id);
  void index_pid(HostId host, uint64_t pid, ProcId id);
  ChunkedVector<Process> procs_;
  ShortNameMap short_names_;
  // No node per key (core/compact_hash.h): std::unordered_map allocated and freed one per
  // process created and forgotten (issue 15).
  CompactHashMap<GuidKey, ProcId, GuidKeyHash> by_guid_;
  CompactHashMap<uint64_t, SmallVector<ProcId, 2>> by_pid_;  // in order of creation
  std::unordered_set<uint64_t> trimmed_pids_;  // pid keys whose history was cut to kPidHistory
  // For pairing a Sysmon 1 that lacks ProcessId (NXLog drops it) with the Security 4688 of the
  // same process, by image and time: recent pid-less Sysmon starts and recent 4688 starts, per
  // host. Both stay empty (and cost nothing) where Sysmon events carry their ProcessId.
  static constexpr size_t kRecentStarts = 4096;
  struct RecentStarts {
    std::vector<ProcId> pidless_sysmon, security;
  };
  std::unordered_map<HostId, RecentStarts> recent_;
  ProcId match_by_image_time(HostId host, const HostEvent& e, bool want_sysmon) const;
  void remember_start(HostId host, ProcId id, bool sysmon, bool pidless);
};

}  // namespace outflow
