// Destination reputation (issue 17): what the loaded feeds (intel/) say of a finding's
// destinations. Each destination is looked up once per finding, by address (longest prefix)
// and by every name it has in the data (DNS answers, TLS SNI, HTTP Host: DestActivity::domain
// and the name pairs; the named host behind a proxy), only at moments inside the indicator's
// validity (the destination's first and last session, record time).
//
//   threat_intel        malicious: kMaliciousPoints x confidence (weight overrides); suspicious:
//                       kSuspiciousPoints x confidence. Makes the finding active; a malicious
//                       match is reported below min_score (Finding::intel_malicious)
//   trusted_site_abuse  trusted_abused: kTrustedAbusePoints, only when the finding already has
//                       volume or a long session and the site is one of its top destinations
//   popular_destination popular: halves rare_destination and new_destination (at most
//                       -kPopularMaxDiscount), only when another host of the organisation also
//                       uses the destination, never for a trusted_abused name or a hosted
//                       tenant (*.github.io, *.blob.core.windows.net)
//   intel_label         label: names the top destination, 0 points
#pragma once
#include "outflow/features/activity.h"
#include "outflow/score/factors.h"

namespace outflow {

inline constexpr double kMaliciousPoints = 40;
inline constexpr double kSuspiciousPoints = 15;
inline constexpr double kTrustedAbusePoints = 10;
inline constexpr double kPopularMaxDiscount = 5;

// Adds the factors above to `f` (after every other activity factor); returns whether a
// threat_intel factor fired (the finding is then active).
bool score_threat_intel(const ScoreContext& sc, const ProcessActivity& a, Finding& f);

}  // namespace outflow
