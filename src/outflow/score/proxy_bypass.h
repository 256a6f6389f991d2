// proxy_bypass: a host (or process) that talks to the Internet directly on web ports while the
// organisation uses an explicit proxy (configured in `proxies:` or found in the data,
// join/proxy_finder.h). Malware with its own network stack, or a tool told to avoid the
// proxy's logging and filtering, goes around it. Context, not activity: it adds to a finding,
// it never makes one alone. The proxies themselves (their own outbound traffic) are exempt.
#pragma once
#include "outflow/features/activity.h"
#include "outflow/score/factors.h"

namespace outflow {

inline constexpr double kProxyBypassPoints = 8;

void score_proxy_bypass(const ScoreContext& sc, const ProcessActivity& a, Finding& f);

}  // namespace outflow
