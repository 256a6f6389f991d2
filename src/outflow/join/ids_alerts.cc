#include "outflow/join/ids_alerts.h"

#include "outflow/join/app_names.h"

namespace outflow {

bool ids_alert_relevant(std::string_view sig, std::string_view cat) {
  for (std::string_view p : {"ET POLICY ", "ET CNC ", "ET MALWARE ", "ET TROJAN ", "ET C2 ", "ET JA3 ", "ETPRO POLICY ",
                             "ETPRO MALWARE ", "ETPRO TROJAN ", "ETPRO CNC "})
    if (sig.starts_with(p)) return true;
  for (std::string_view c : {"Malware Command and Control Activity Detected", "A Network Trojan was detected",
                             "Potential Corporate Privacy Violation", "Command and Control"})
    if (cat == c) return true;
  return false;
}

void AppNames::add_alert(const AlertRecord& a) {
  auto it = conn_entry(a.uid, FlowKey::make(a.src, a.src_port, a.dst, a.dst_port, a.proto ? a.proto : kProtoTcp), a.ts);
  if (it == by_uid_.end()) return;
  ConnApp& c = it->second;
  if (a.ts != kNoTime) {
    if (c.first == kNoTime || a.ts < c.first) c.first = a.ts;
    if (c.last == kNoTime || a.ts > c.last) c.last = a.ts;
  }
  ++c.alerts;
  c.alerts_relevant += ids_alert_relevant(a.signature, a.category);
  // The most severe (1 is the highest; 0 = not logged, the lowest), the first among equals.
  const auto rank = [](uint8_t s) { return s == 0 ? 256 : static_cast<int>(s); };
  if (c.alert_signature == kNone || rank(a.severity) < rank(c.alert_severity)) {
    c.alert_signature = intern(a.signature);
    c.alert_category = intern(a.category);
    c.alert_severity = a.severity;
  }
}

}  // namespace outflow
