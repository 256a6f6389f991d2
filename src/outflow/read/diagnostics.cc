#include "outflow/read/diagnostics.h"

namespace outflow {

void Diagnostics::bad_record(const std::string& file, uint64_t line, uint64_t offset,
                             const std::string& reason) {
  ++bad_total_;
  if (++bad_by_reason_[reason] <= kSamplesPerReason) samples_.push_back({file, line, offset, reason});
}

void Diagnostics::bad_input(const std::string& file, const std::string& reason) {
  bad_inputs_.emplace_back(file, reason);
}

void Diagnostics::unused_log(const std::string& log, uint64_t lines) {
  auto it = unused_.find(log);
  if (it == unused_.end())
    it = unused_.size() < kMaxUnusedLogNames ? unused_.emplace(log, UnusedLog{}).first : unused_.try_emplace(kOtherUnusedLogs).first;
  ++it->second.files;
  it->second.lines += lines;
}

void Diagnostics::recovered(const std::string& file, uint64_t offset, const std::string& reason) {
  ++recovered_total_;
  if (++recovered_by_reason_[reason] <= kSamplesPerReason) recovered_samples_.push_back({file, 0, offset, reason});
}

void Diagnostics::note(const std::string& file, uint64_t offset, const std::string& reason) {
  if (++notes_by_reason_[reason] <= kSamplesPerReason) note_samples_.push_back({file, 0, offset, reason});
}

void Diagnostics::dubious(const std::string& file, uint64_t line, uint64_t offset, const std::string& reason) {
  ++dubious_total_;
  if (++dubious_by_reason_[reason] <= kSamplesPerReason) dubious_samples_.push_back({file, line, offset, reason});
}

void Diagnostics::merge(const Diagnostics& o) {
  auto take = [](std::vector<Anomaly>& into, const std::vector<Anomaly>& from) {
    std::map<std::string, uint64_t> have;
    for (const auto& a : into) ++have[a.reason];
    for (const auto& a : from) {
      if (have[a.reason] < kSamplesPerReason) {
        into.push_back(a);
        ++have[a.reason];
      }
    }
  };
  take(samples_, o.samples_);
  take(recovered_samples_, o.recovered_samples_);
  take(note_samples_, o.note_samples_);
  take(dubious_samples_, o.dubious_samples_);
  dubious_total_ += o.dubious_total_;
  for (const auto& [r, c] : o.dubious_by_reason_) dubious_by_reason_[r] += c;
  bad_total_ += o.bad_total_;
  for (const auto& [r, c] : o.bad_by_reason_) bad_by_reason_[r] += c;
  for (const auto& [r, c] : o.skipped_) skipped_[r] += c;
  for (const auto& [log, u] : o.unused_) {
    auto it = unused_.find(log);
    if (it == unused_.end())
      it = unused_.size() < kMaxUnusedLogNames ? unused_.emplace(log, UnusedLog{}).first : unused_.try_emplace(kOtherUnusedLogs).first;
    it->second.files += u.files;
    it->second.lines += u.lines;
  }
  bad_inputs_.insert(bad_inputs_.end(), o.bad_inputs_.begin(), o.bad_inputs_.end());
  no_records_.insert(no_records_.end(), o.no_records_.begin(), o.no_records_.end());
  recovered_total_ += o.recovered_total_;
  for (const auto& [r, c] : o.recovered_by_reason_) recovered_by_reason_[r] += c;
  for (const auto& [r, c] : o.notes_by_reason_) notes_by_reason_[r] += c;
}

}  // namespace outflow
