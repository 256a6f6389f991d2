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

}  // namespace outflow
