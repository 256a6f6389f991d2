// user_mismatch: the firewall's user (PAN-OS User-ID, FortiGate user) for a process's outbound
// sessions is another person than the user the process runs as. User-ID maps an address to
// whoever logged on there; a process of bob's on alice's workstation (runas, stolen credentials
// used on the spot, a second interactive session) is worth the analyst's eye. Context, not
// activity: it adds to a finding, never makes one alone. Service and machine accounts on either
// side are no disagreement (a SYSTEM service on alice's machine is "alice" to the firewall).
// Host findings (no process) show the firewall's user as their user; no factor.
#pragma once
#include "outflow/features/activity.h"
#include "outflow/score/factors.h"

namespace outflow {

inline constexpr double kUserMismatchPoints = 6;

void score_user_mismatch(const ScoreContext& sc, const ProcessActivity& a, Finding& f);

}  // namespace outflow
