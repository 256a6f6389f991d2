#include "outflow/read/fw_detect.h"

#include "outflow/read/fw_common.h"
#include "outflow/read/panos/panos_csv.h"
#include "outflow/read/squid/squid_line.h"

namespace outflow {

namespace {

bool has(std::string_view s, std::string_view k) { return s.find(k) != std::string_view::npos; }

// FortiGate (and FortiAnalyzer / FortiManager forwarding it): key=value with a log id and type.
bool fortigate_line(std::string_view line) {
  line = fwread::skip_pri(line);
  const bool id = has(line, "logid=") || has(line, "log_id=");
  const bool when = has(line, "date=") || has(line, "eventtime=") || has(line, "timestamp=") || has(line, "devid=");
  return id && when && has(line, "type=");
}

// pfirewall.log: W3C-style comment lines, one of them "#Fields:" with the firewall's columns.
bool winfw_head(std::string_view head) {
  if (head.front() != '#') return false;
  const size_t f = head.find("#Fields:");
  if (f == std::string_view::npos) return false;
  const std::string_view fields = head.substr(f, head.find('\n', f) - f);
  return has(fields, " action") && has(fields, " src-ip") && has(fields, " dst-ip") && has(fields, " protocol");
}

}  // namespace

InputFormat detect_text_log(std::string_view head) {
  if (head.empty()) return InputFormat::unknown;
  if (winfw_head(head)) return InputFormat::winfw;
  // The first line decides (a syslog stream's first line may be any log type).
  std::string_view first = head.substr(0, head.find('\n'));
  if (!first.empty() && first.back() == '\r') first.remove_suffix(1);
  if (panos::csv_start(first) != std::string_view::npos) return InputFormat::panos;
  if (fortigate_line(first)) return InputFormat::fortigate;
  if (squid::line_shape(first) != squid::Shape::none) return InputFormat::squid;
  return InputFormat::unknown;
}

}  // namespace outflow
