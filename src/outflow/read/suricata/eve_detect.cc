#include "outflow/read/suricata/eve_detect.h"

namespace outflow::suricata {

namespace {

bool has(std::string_view s, std::string_view k) { return s.find(k) != std::string_view::npos; }

// The value of "event_type" on the line, as written (no escapes in Suricata's type names).
std::string_view event_type(std::string_view line) {
  size_t k = line.find("\"event_type\"");
  if (k == std::string_view::npos) return {};
  k += 12;
  while (k < line.size() && (line[k] == ' ' || line[k] == ':')) ++k;
  if (k >= line.size() || line[k] != '"') return {};
  const size_t e = line.find('"', k + 1);
  return e == std::string_view::npos ? std::string_view{} : line.substr(k + 1, e - k - 1);
}

}  // namespace

bool eve_line(std::string_view line) {
  // Windows events forwarded as JSON never carry Suricata's address keys; the check keeps a
  // Winlogbeat record that happens to have an "event_type" out.
  if (has(line, "\"EventID\"") || has(line, "\"winlog\"") || has(line, "\"id.orig_h\"")) return false;
  const std::string_view type = event_type(line);
  if (type.empty()) return false;
  return (has(line, "\"src_ip\"") && has(line, "\"dest_ip\"")) || (type == "stats" && has(line, "\"stats\""));
}

bool eve_names_line(std::string_view line) {
  const std::string_view type = event_type(line);
  return type == "dns" || type == "tls" || type == "http";
}

}  // namespace outflow::suricata
