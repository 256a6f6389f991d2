// The two inputs of `outflow eval`: the simulator's labels.jsonl and hunt's findings (JSON
// lines, docs/findings.md; a finding names its host by host.name, host.ip or both). Only the fields the matching needs are kept. Parsing is tolerant
// per line: a malformed line is reported with its number and skipped.
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "outflow/core/time.h"

namespace outflow::eval {

struct LabelledInstance {
  std::string scenario, technique, host;
  std::vector<std::string> guids;         // normalised: lower case, no braces
  std::vector<std::string> destinations;  // addresses and names, lower case
  TimeNs start = kNoTime, end = kNoTime;
};

struct Labels {
  int64_t hosts = 0, days = 0;  // from the {"organisation": ...} line; 0 when absent
  std::map<std::string, std::string> host_by_ip;  // host_list: normalise_ip(ip) -> name
  std::vector<LabelledInstance> instances;
};

// What a finding is about (outflow.entity): one process of a host, or the host as a whole (a
// flow-only host: no process.*). Without outflow.entity: process when it has process.entity_id,
// else host.
enum class Entity : uint8_t { process, host };

struct Finding {
  size_t line = 0;
  int64_t rank = 0;  // outflow.rank, or the line's position among findings
  std::string id;    // outflow.finding_id, or host + entity id
  Entity entity = Entity::process;
  std::string host, guid;  // host.name (may be empty); guid normalised; empty: the unknown process of the host
  std::vector<std::string> host_ips;  // host.ip (a string or an array), normalised
  std::string process;     // process.executable, for reports
  // A SRUM program finding (outflow.entity "program", counted as a process finding): the
  // processes its busiest intervals overlap (outflow.srum.busiest_intervals[].processes[].entity_id).
  std::vector<std::string> candidate_guids;
  std::vector<std::string> destinations;  // outflow.destinations[].ip, destination.ip and .domain, lower case
  TimeNs start = kNoTime, end = kNoTime;
  bool intel = false;  // outflow.intel holds a malicious or suspicious match (`hunt --intel`)
};

struct ParseProblem {
  size_t line;
  std::string reason;
};

// "{ABCD-...}" and "abcd-..." are the same GUID.
std::string normalise_guid(std::string_view g);
// Host names compare on their first label, case-insensitively ("WS-0003.corp.example.com" is WS-0003).
std::string host_key(std::string_view h);
// An address in one spelling (IPv6 compressed, lower case); other text lower case.
std::string normalise_ip(std::string_view ip);
// The labelled host a finding is on: host_key(host.name); when host.name is absent or is an
// address, the host_list host with that address (or one of host.ip's). Empty: none known.
std::string finding_host_key(const Labels& labels, const Finding& f);

bool parse_labels(std::string_view text, Labels& out, std::vector<ParseProblem>& problems);
bool parse_findings(std::string_view text, std::vector<Finding>& out, std::vector<ParseProblem>& problems);

}  // namespace outflow::eval
