// How factor points are computed, shared by the process findings (score/factors.cc) and the
// SRUM findings (score/usage_findings.cc), so that one volume scores the same in both.
#pragma once
#include <cmath>
#include <cstdint>
#include <initializer_list>
#include <utility>

namespace outflow {

// Points on a log scale between anchor volumes: (v0 -> p0), (v1 -> p1)...; 0 below v0, the last
// anchor's points above it.
inline double log_scale(uint64_t v, std::initializer_list<std::pair<uint64_t, double>> anchors) {
  const auto* prev = anchors.begin();
  if (v < prev->first) return 0;
  for (const auto* a = anchors.begin() + 1; a != anchors.end(); prev = a, ++a) {
    if (v < a->first) {
      const double t = (std::log(static_cast<double>(v)) - std::log(static_cast<double>(prev->first))) /
                       (std::log(static_cast<double>(a->first)) - std::log(static_cast<double>(prev->first)));
      return prev->second + t * (a->second - prev->second);
    }
  }
  return (anchors.end() - 1)->second;
}

inline double round1(double x) { return std::round(x * 10) / 10; }

}  // namespace outflow
