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

void Diagnostics::recovered(const std::string& file, uint64_t offset, const std::string& reason) {
  ++recovered_total_;
  if (++recovered_by_reason_[reason] <= kSamplesPerReason) recovered_samples_.push_back({file, 0, offset, reason});
}

void Diagnostics::note(const std::string& file, uint64_t offset, const std::string& reason) {
  if (++notes_by_reason_[reason] <= kSamplesPerReason) note_samples_.push_back({file, 0, offset, reason});
}

}  // namespace outflow
