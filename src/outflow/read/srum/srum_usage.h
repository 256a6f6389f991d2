// SRUM network usage as Outflow reads it: one record per (program, user, interface, interval)
// from SRUDB.dat (read/srum/srudb_reader.h) or from the exports responders already have
// (read/srum/srum_export.h). See docs/srum.md.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "outflow/core/time.h"

namespace outflow::srum {

// What the program string names (SruDbIdMapTable.IdType; exports: guessed from its form).
enum class ProgramKind : uint8_t { unknown, path, pseudo, service, package };
const char* program_kind_name(ProgramKind k);
// Guesses the kind from the text: a path ("\device\...", "c:\...") or a pseudo-name ("System").
ProgramKind kind_of_program_text(std::string_view program);

struct UsageRecord {
  TimeNs end = kNoTime;   // the TimeStamp: SRUM writes a row when an interval (about an hour) ends
  int64_t app_id = -1, user_id = -1;
  std::string program;    // as SRUM names it: "\device\harddiskvolume3\...\x.exe", a service, a package
  ProgramKind kind = ProgramKind::unknown;
  std::string user_sid;   // "S-1-5-21-..." ("" when unknown)
  std::string user_name;  // when the export names it
  uint64_t interface_luid = 0;
  int64_t l2_profile_id = 0, l2_profile_flags = 0;
  uint64_t bytes_sent = 0, bytes_recvd = 0;
  int64_t row_id = -1;    // AutoIncId / SRUMId / Id
  // AppId 1 / UserId 2 with no name: the interface-wide total of the interval, not a program.
  bool interface_total = false;
};

// The rules for the interface-wide row: no program name, and the ids SRUM gives it (AppId 1,
// or unknown (-1) where an export leaves it out; UserId 2).
bool is_interface_total(int64_t app_id, int64_t user_id, std::string_view program);

// Where a reader hands each row as it is read, so that nothing per row need be kept
// (features/usage_aggregate.h sums them as they come).
class UsageRowSink {
 public:
  virtual ~UsageRowSink() = default;
  virtual void on_usage(const UsageRecord& r) = 0;
};

// Everything one input gave: rows, and what the run must say about it.
// One row of the connectivity table {DD6636C4-...}: how long an interface was connected (to a
// network profile) up to the row's time stamp. Not per program: for coverage only.
struct ConnectivityRow {
  TimeNs end = kNoTime;            // the row's TimeStamp
  uint64_t interface_luid = 0;
  int64_t l2_profile_id = 0;
  int64_t connected_seconds = -1;  // ConnectedTime; -1 when absent
  TimeNs connect_start = kNoTime;  // ConnectStartTime (a FILETIME); kNoTime when absent or out of range
};

struct UsageFile {
  std::string path;
  std::string source;       // "srudb", "srumecmd-csv", "chainsaw-json", "velociraptor-json"
  std::string sha256;       // of the file as read (SRUDB.dat: the evidence, never changed)
  // Set before reading: each row goes to `sink` and is not kept; without one, rows are kept in
  // `rows` (tests, fuzzers).
  UsageRowSink* sink = nullptr;
  std::vector<UsageRecord> rows;
  uint64_t rows_read = 0, interface_totals_read = 0;  // rows given (to the sink or `rows`), of them totals
  bool dirty = false;               // ESE state dirty shutdown (copied from a running system)
  int header_checksums_fixed = 0;   // in the in-memory copy only
  bool no_usage_table = false;      // e.g. Windows Server: no per-program network usage table
  // SRUDB.dat only: the connectivity table's rows (a few per interface and hour: small), and
  // whether there was one (the exports hold none).
  std::vector<ConnectivityRow> connectivity;
  bool has_connectivity_table = false;
  uint64_t bad_connectivity_rows = 0;
  uint64_t id_map_rows = 0, bad_rows = 0;
  std::vector<std::string> notes;   // things to say once each (not errors)
  std::string error;                // the input could not be read at all (then rows is empty)

  // A row read: counted, then to the sink or kept.
  void add(UsageRecord&& r);
};

}  // namespace outflow::srum
