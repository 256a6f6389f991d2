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

void Diagnostics::merge(const Diagnostics& o) {
  bad_total_ += o.bad_total_;
  for (const auto& [r, n] : o.bad_by_reason_) {
    const uint64_t before = bad_by_reason_[r];
    bad_by_reason_[r] += n;
    (void)before;
  }
  for (const auto& s : o.samples_) {
    size_t have = 0;
    for (const auto& m : samples_) have += (m.reason == s.reason);
    if (have < kSamplesPerReason) samples_.push_back(s);
  }
  for (const auto& [k, n] : o.skipped_) skipped_[k] += n;
  bad_inputs_.insert(bad_inputs_.end(), o.bad_inputs_.begin(), o.bad_inputs_.end());
}

}  // namespace outflow
