// Upload evidence from Zeek's application logs, per activity (process or host): what its HTTP
// requests sent (POST/PUT requests, request body bytes, the URIs they went to, the user agents
// that made them, requests without a Host header) and the files its connections carried out
// (files.log, sent by the originator). Filled from AppNames::ConnApp when a session is
// aggregated (ActivityAggregator::add), kept with the activity through retirement
// (serialize/deserialize) and read by the factors in score/app_factors.h.
//
// Memory: at most kMaxUris URIs, kMaxAgents user agents and kMaxFiles files per activity, the
// ones with the most requests (files: bytes) kept; the others are counted in *_dropped.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "outflow/join/app_names.h"

namespace outflow {

struct AppEvidence {
  static constexpr size_t kMaxUris = 5, kMaxAgents = 8, kMaxFiles = 5, kMaxAlerts = 3;
  struct Item {
    std::string text;     // URI path, user agent, or file name
    std::string detail;   // files: MIME type
    uint64_t count = 0;   // requests (URIs: POST/PUT requests; agents: requests), files
    uint64_t bytes = 0;   // body bytes (URIs), file bytes (files)
  };
  uint64_t http_requests = 0, uploads = 0;  // requests; POST/PUT among them
  uint64_t request_body = 0, upload_body = 0, response_body = 0;
  uint64_t blank_host = 0;                  // requests without a Host header
  uint64_t files_sent = 0, file_bytes = 0;
  // Sessions whose bytes out the sensor did not see, given a lower bound by their HTTP bodies or
  // files sent (Session::orig_unknown): known at least, not unknown.
  uint32_t sessions_bounded = 0;
  std::vector<Item> uris, agents, files;
  uint64_t uris_dropped = 0, agents_dropped = 0, files_dropped = 0;
  // IDS alerts on the activity's outbound sessions (join/ids_alerts.h): all, and the policy /
  // command-and-control ones; the signatures (text), category and severity (detail), alerts
  // (count) of at most kMaxAlerts, the most frequent kept.
  uint64_t ids_alerts = 0, ids_relevant = 0, alerts_dropped = 0;
  std::vector<Item> alerts;

  bool empty() const { return http_requests == 0 && files_sent == 0 && ids_alerts == 0; }
  // One connection's records (`names` resolves its name ids).
  void add(const AppNames::ConnApp& c, const AppNames& names);
  void merge(const AppEvidence& o);
  void serialize(std::string& out) const;
  bool deserialize(std::string_view& in);
};

// The key a user agent's prevalence is kept under in the baselines (Baselines::dests): no
// destination key (a domain or an address) starts with "ua:".
inline std::string user_agent_key(std::string_view ua) {
  std::string k = "ua:" + std::string(ua);
  for (char& ch : k)
    if (static_cast<unsigned char>(ch) < 0x20) ch = '?';  // the baseline keys use \x1f as separator
  return k;
}

// The bytes out a session's application records prove (HTTP request bodies, files sent): a
// lower bound for a session whose bytes out the sensor did not see.
inline uint64_t app_bytes_out(const AppNames::ConnApp& c) {
  return c.http_request_body > c.file_bytes ? c.http_request_body : c.file_bytes;
}

}  // namespace outflow
