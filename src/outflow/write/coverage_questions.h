// `outflow coverage`'s plain answer: which of AN0080's questions this telemetry can answer (host,
// pair, volume, duration, beacons from flows; process, user, lineage from endpoint events), for
// what share of the hosts, and what to add for the rest.
//
// Hosts are counted two ways: monitored hosts (endpoint events name them) and flow-only hosts
// (internal addresses that start sessions no monitored host is part of), the latter counted by
// FlowHostCounter from the pipeline's sessions, at most kMaxAddresses addresses (the rest counted
// as a lower bound).
#pragma once
#include <cstdint>
#include <string>
#include <unordered_set>
#include <vector>

#include "outflow/core/ip.h"
#include "outflow/features/networks.h"
#include "outflow/join/attributor.h"
#include "outflow/model/session.h"

namespace outflow {

class JsonOut;
struct CoverageInputs;

class FlowHostCounter {
 public:
  static constexpr size_t kMaxAddresses = 100'000;
  explicit FlowHostCounter(NetworkSet internal) : internal_(std::move(internal)) {}
  // A session no monitored host is part of, started from an internal address: a flow-only host.
  void add(const Session& s, const Attribution& a);
  size_t hosts() const { return seen_.size(); }
  bool capped() const { return capped_; }

 private:
  NetworkSet internal_;
  std::unordered_set<IpAddr, IpAddrHash> seen_;
  bool capped_ = false;
};

struct CoverageQuestion {
  std::string question;  // "host", "pair", "volume", "duration", "beacons", "process", "user", "lineage"
  std::string asks;      // the analyst's question in words
  size_t hosts_answered = 0, hosts_total = 0;
  std::string answer;    // "yes" | "partly" | "no"
  std::string how;       // from what
  std::string to_add;    // what telemetry would answer it ("" when answered everywhere)
};

std::vector<CoverageQuestion> coverage_questions(const CoverageInputs& in);
void coverage_questions_text(std::string& o, const CoverageInputs& in);
void coverage_questions_json(JsonOut& j, const CoverageInputs& in);

}  // namespace outflow
