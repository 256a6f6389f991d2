// Factors from Zeek's application logs and DNS (features/app_evidence.h, features/dns_view.h):
//  - http_upload: POST/PUT requests and their bodies (and files.log files sent); bodies also
//    give a lower bound to sessions whose bytes out the sensor did not see;
//  - rare_user_agent: a user agent no other host of the organisation uses (RITA's rare
//    signature);
//  - blank_host_header: HTTP requests without a Host header (RITA's missing host header);
//  - files_sent: files the host's connections carried out (files.log);
//  - dns_tunnel: many unique names under one registered domain few hosts ask for (RITA's DNS
//    tunnelling view; T1071.004, T1048).
// Called from score_activity (score/factors.cc); fills Finding::dns for the writers.
#pragma once
#include "outflow/score/factors.h"

namespace outflow {

// Thresholds of dns_tunnel (unique names under one registered domain, per host).
inline constexpr uint64_t kDnsTunnelNames = 300;        // points start
inline constexpr uint64_t kDnsTunnelNamesHigh = 3000;
inline constexpr uint64_t kDnsShowNames = 20;           // domains listed in a finding from this many
inline constexpr uint64_t kBlankHostMinRequests = 3;
// ids_alert: an IDS policy or command-and-control signature on an outbound session (context
// for a finding, never one alone: it is not an activity factor).
inline constexpr double kIdsAlertPoints = 3;

// Returns whether an activity factor fired (an upload worth a look, a DNS tunnel).
bool score_app_evidence(const ScoreContext& sc, const ProcessActivity& a, Finding& f);
// The DNS domains of this activity's host that the finding shows (and dns_tunnel judges): a
// flow-only host's all; a monitored host's those asked of a resolver this activity talked to.
std::vector<const DnsDomainStats*> dns_domains_of(const DnsView& dns, const ProcessActivity& a);
// Techniques the factors above imply (after assign_techniques).
void add_app_techniques(Finding& f);

}  // namespace outflow
