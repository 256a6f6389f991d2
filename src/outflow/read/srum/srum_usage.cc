#include "outflow/read/srum/srum_usage.h"

namespace outflow::srum {

const char* program_kind_name(ProgramKind k) {
  switch (k) {
    case ProgramKind::path: return "path";
    case ProgramKind::pseudo: return "pseudo";
    case ProgramKind::service: return "service";
    case ProgramKind::package: return "package";
    default: return "unknown";
  }
}

ProgramKind kind_of_program_text(std::string_view p) {
  if (p.empty()) return ProgramKind::unknown;
  if (p.starts_with("!!")) return ProgramKind::path;  // SrumECmd's "!!name!time!hash!desc" app info
  if (p.front() == '\\' || (p.size() >= 3 && p[1] == ':' && (p[2] == '\\' || p[2] == '/'))) return ProgramKind::path;
  return ProgramKind::pseudo;
}

bool is_interface_total(int64_t app_id, int64_t user_id, std::string_view program) {
  // Velociraptor's rows have no AppId (-1 here): the empty name and UserId 2 say it.
  return (app_id == 1 || app_id == -1) && user_id == 2 && program.empty();
}

void UsageFile::add(UsageRecord&& r) {
  ++rows_read;
  if (r.interface_total) ++interface_totals_read;
  if (sink) sink->on_usage(r);
  else rows.push_back(std::move(r));
}

}  // namespace outflow::srum
