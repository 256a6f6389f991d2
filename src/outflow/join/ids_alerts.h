// IDS alerts (Suricata EVE alert events) as context on the connection they fired on: joined by
// the flow id (the session's uid) or, without one, the 5-tuple near its time, kept in the
// connection's AppNames::ConnApp until its session is emitted (then forgotten with it). A
// session shows its alerts (sessions output: outflow.ids_alert); a finding shows those of its
// outbound sessions (features/app_evidence.h), and they score only as the small ids_alert
// factor, for policy and command-and-control signatures (score/app_factors.cc), never a finding
// alone. An alert on a session another host opened (an inbound scan) never reaches the scanned
// host: only outbound sessions carry their evidence to an activity.
#pragma once
#include <string_view>

namespace outflow {

// A policy or command-and-control signature: Emerging Threats' POLICY, CNC, MALWARE, TROJAN,
// C2 and JA3 rule groups, or the classification "Malware Command and Control Activity
// Detected", "A Network Trojan was detected" or "Potential Corporate Privacy Violation".
bool ids_alert_relevant(std::string_view signature, std::string_view category);

}  // namespace outflow
