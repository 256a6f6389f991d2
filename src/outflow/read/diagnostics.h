// Bad-input bookkeeping. A malformed record is counted under a reason, the first few of each
// reason are kept as samples (file, line, byte offset, reason), and the run goes on.
// Not thread-safe.
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace outflow {

struct Anomaly {
  std::string file;
  uint64_t line = 0;    // 1-based; 0 when the input has no lines (binary formats)
  uint64_t offset = 0;  // byte offset in the decompressed stream
  std::string reason;
};

class Diagnostics {
 public:
  static constexpr size_t kSamplesPerReason = 3;

  void bad_record(const std::string& file, uint64_t line, uint64_t offset, const std::string& reason);
  // Records that were well-formed but of no use to Outflow (other event ids, other Zeek logs):
  // counted, not errors.
  void skipped(const std::string& what, uint64_t n = 1) { skipped_[what] += n; }
  // A Zeek log recognised but not used (files, x509, weird...): one file of it, with its data
  // lines. Not an error. At most kMaxUnusedLogNames names; the rest are counted under
  // kOtherUnusedLogs.
  struct UnusedLog {
    uint64_t files = 0, lines = 0;
  };
  static constexpr size_t kMaxUnusedLogNames = 256;
  static constexpr const char* kOtherUnusedLogs = "(other log names)";
  void unused_log(const std::string& log, uint64_t lines);
  // Inputs that could not be understood at all (unknown format, unreadable).
  void bad_input(const std::string& file, const std::string& reason);
  // Inputs read to their end that gave no record although nothing in them was malformed
  // (another Zeek log, only event ids Outflow does not use, a header only): not errors, named.
  void no_records(const std::string& file, const std::string& reason) { no_records_.emplace_back(file, reason); }
  // A record read from a damaged structure (an EVTX chunk whose CRC32 did not match, that was
  // truncated, or read past damage): kept, marked on its event, counted and sampled here.
  void recovered(const std::string& file, uint64_t offset, const std::string& reason);
  // Something worth telling about an input that is not an error and costs no record (an EVTX
  // file not closed cleanly): counted per reason, the first few sampled.
  void note(const std::string& file, uint64_t offset, const std::string& reason);

  // A record kept with a value Outflow does not believe (read/flow_checks.h: a byte count its
  // packets cannot carry, taken as unknown; a duration over a year, cut; a flow ending long
  // before an earlier line's, the clock run backwards): counted per reason, the first few
  // sampled with file and line. Not an error: the record is used.
  void dubious(const std::string& file, uint64_t line, uint64_t offset, const std::string& reason);

  // Adds another's counts and samples (each reason still keeps at most kSamplesPerReason):
  // readers on other threads keep their own Diagnostics, merged in input order at the end.
  void merge(const Diagnostics& o);

  uint64_t bad_records() const { return bad_total_; }
  const std::map<std::string, uint64_t>& bad_by_reason() const { return bad_by_reason_; }
  const std::vector<Anomaly>& samples() const { return samples_; }
  const std::map<std::string, uint64_t>& skipped_counts() const { return skipped_; }
  const std::vector<std::pair<std::string, std::string>>& bad_inputs() const { return bad_inputs_; }
  const std::map<std::string, UnusedLog>& unused_logs() const { return unused_; }
  uint64_t unused_log_files() const {
    uint64_t n = 0;
    for (const auto& [log, u] : unused_) n += u.files;
    return n;
  }
  const std::vector<std::pair<std::string, std::string>>& no_record_inputs() const { return no_records_; }
  uint64_t recovered_records() const { return recovered_total_; }
  const std::map<std::string, uint64_t>& recovered_by_reason() const { return recovered_by_reason_; }
  const std::vector<Anomaly>& recovered_samples() const { return recovered_samples_; }
  uint64_t dubious_values() const { return dubious_total_; }
  const std::map<std::string, uint64_t>& dubious_by_reason() const { return dubious_by_reason_; }
  const std::vector<Anomaly>& dubious_samples() const { return dubious_samples_; }
  const std::map<std::string, uint64_t>& notes_by_reason() const { return notes_by_reason_; }
  const std::vector<Anomaly>& note_samples() const { return note_samples_; }

 private:
  uint64_t bad_total_ = 0;
  std::map<std::string, uint64_t> bad_by_reason_;
  std::vector<Anomaly> samples_;
  std::map<std::string, uint64_t> skipped_;
  std::map<std::string, UnusedLog> unused_;
  std::vector<std::pair<std::string, std::string>> bad_inputs_;
  std::vector<std::pair<std::string, std::string>> no_records_;
  uint64_t recovered_total_ = 0;
  std::map<std::string, uint64_t> recovered_by_reason_;
  std::vector<Anomaly> recovered_samples_;
  std::map<std::string, uint64_t> notes_by_reason_;
  std::vector<Anomaly> note_samples_;
  uint64_t dubious_total_ = 0;
  std::map<std::string, uint64_t> dubious_by_reason_;
  std::vector<Anomaly> dubious_samples_;
};

}  // namespace outflow
