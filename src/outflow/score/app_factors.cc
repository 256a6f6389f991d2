#include "outflow/score/app_factors.h"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>

#include "outflow/score/hunter.h"

namespace outflow {

namespace {

// Factor fields in the order observed, threshold, baseline, detail (Factor's own order).
void push(Finding& f, std::string name, double points, std::string observed, std::string threshold, std::string baseline,
          std::string detail) {
  Factor x;
  x.name = std::move(name);
  x.contribution = points;
  x.observed = std::move(observed);
  x.threshold = std::move(threshold);
  x.baseline = std::move(baseline);
  x.detail = std::move(detail);
  f.factors.push_back(std::move(x));
}

bool has(const Finding& f, std::string_view n) {
  return std::any_of(f.factors.begin(), f.factors.end(), [&](const Factor& x) { return x.name == n; });
}

}  // namespace

std::vector<const DnsDomainStats*> dns_domains_of(const DnsView& dns, const ProcessActivity& a) {
  std::vector<const DnsDomainStats*> out;
  const auto* v = a.flow_only() ? dns.of_address(a.entity_ip) : a.host != kNoHost ? dns.of_host(a.host) : nullptr;
  if (!v) return out;
  for (const auto& d : *v) {
    if (!a.flow_only()) {
      // A monitored host's queries go to the process (or unattributed traffic) that talked to
      // the resolver they were asked of.
      const bool talked = std::any_of(a.dests.begin(), a.dests.end(), [&](const DestActivity& x) {
        return x.port == 53 && std::find(d.resolvers.begin(), d.resolvers.end(), x.ip) != d.resolvers.end();
      });
      if (!talked) continue;
    }
    out.push_back(&d);
  }
  std::sort(out.begin(), out.end(), [](const DnsDomainStats* x, const DnsDomainStats* y) {
    const uint64_t ux = x->unique_names(), uy = y->unique_names();
    return ux != uy ? ux > uy : x->domain < y->domain;
  });
  return out;
}

bool score_app_evidence(const ScoreContext& sc, const ProcessActivity& a, Finding& f) {
  const DetectConfig& c = sc.cfg;
  const AppEvidence& e = a.app;
  bool active = false;
  const bool rarity_known = sc.org_hosts >= c.rarity_min_hosts;

  // --- HTTP uploads and files sent -------------------------------------------------------
  if (e.uploads > 0) {
    const bool big = e.upload_body >= c.volume_notable;
    std::string where = e.uris.empty() ? "" : " (most to " + e.uris.front().text + ")";
    std::string bounded = e.sessions_bounded
                              ? fmt::format("; {} session(s) whose bytes out the sensor did not see are known at least from them",
                                            e.sessions_bounded)
                              : "";
    push(f, "http_upload", big ? 4 : 0, fmt::format("{} POST/PUT, {} in request bodies", e.uploads, human_bytes(e.upload_body)),
        fmt::format(">= {} scored", human_bytes(c.volume_notable)), "",
        fmt::format("HTTP requests sent data out{}{}", where, bounded));
    active |= big;
  }
  if (e.files_sent > 0) {
    const bool big = e.file_bytes >= c.volume_notable;
    const auto& top = e.files.empty() ? AppEvidence::Item{} : e.files.front();
    push(f, "files_sent", big ? 4 : 0, fmt::format("{} file(s), {}", e.files_sent, human_bytes(e.file_bytes)),
        fmt::format(">= {} scored", human_bytes(c.volume_notable)), "",
        fmt::format("files.log saw this host send files out, e.g. {}{}", top.text, top.detail.empty() ? "" : " (" + top.detail + ")"));
    active |= big;
  }
  // --- IDS alerts on outbound sessions (join/ids_alerts.h): context, and a few points for a
  // policy or command-and-control signature; never an activity factor (no finding alone).
  if (e.ids_alerts > 0) {
    const auto& top = e.alerts.empty() ? AppEvidence::Item{} : e.alerts.front();
    push(f, "ids_alert", e.ids_relevant > 0 ? kIdsAlertPoints : 0,
        fmt::format("{} alert(s), {} policy / command-and-control", e.ids_alerts, e.ids_relevant),
        "policy or command-and-control signature scored", "",
        fmt::format("the IDS alerted on this host's outbound sessions, e.g. \"{}\" ({})", top.text, top.detail));
  }
  // --- User agents and Host headers (RITA's rare signature and missing host header) ------
  for (const auto& ua : e.agents) {
    auto it = sc.base.dests.find(user_agent_key(ua.text));
    f.agent_hosts.push_back(it == sc.base.dests.end() ? 0 : it->second.hosts);
  }
  if (rarity_known) {
    const AppEvidence::Item* rare = nullptr;
    uint32_t rare_hosts = 0;
    for (size_t i = 0; i < e.agents.size(); ++i) {
      const auto& ua = e.agents[i];
      const uint32_t hosts = f.agent_hosts[i];
      if (hosts > c.rare_max_hosts) continue;
      if (!rare || ua.count > rare->count) rare = &ua, rare_hosts = hosts;
    }
    if (rare) {
      push(f, "rare_user_agent", rare->count >= 10 ? 6 : 3, rare->text, fmt::format("<= {} host(s)", c.rare_max_hosts),
          fmt::format("used by {} of {} hosts", rare_hosts, sc.org_hosts),
          fmt::format("{} HTTP request(s) with a user agent no other host of the organisation uses", rare->count));
    }
  }
  if (e.blank_host >= kBlankHostMinRequests) {
    push(f, "blank_host_header", 4, fmt::format("{} of {} requests", e.blank_host, e.http_requests),
        fmt::format(">= {}", kBlankHostMinRequests), "",
        "HTTP requests without a Host header: a tool, not a browser, and no name to judge the server by");
  }

  // --- DNS tunnelling ----------------------------------------------------------------------
  if (sc.dns) {
    const auto domains = dns_domains_of(*sc.dns, a);
    for (const DnsDomainStats* d : domains) {
      if (d->unique_names() < kDnsShowNames || f.dns.size() >= 3) break;
      f.dns.push_back(*d);
    }
    if (!domains.empty() && domains.front()->unique_names() >= kDnsTunnelNames) {
      const DnsDomainStats& d = *domains.front();
      const uint32_t hosts = sc.dns->hosts_querying(d.domain);
      const uint32_t common_hosts = std::max<uint32_t>(3, (sc.org_hosts + 3) / 4);
      // A domain many hosts ask for many names of is a service (CDN, anti-virus lookups).
      if (!rarity_known || hosts < common_hosts) {
        const uint64_t n = d.unique_names();
        double pts = n >= kDnsTunnelNamesHigh
                         ? 25 + std::min(5.0, 5 * std::log10(static_cast<double>(n) / kDnsTunnelNamesHigh))
                         : 15 + 10 * std::log10(static_cast<double>(n) / kDnsTunnelNames);
        const double share = d.typed ? static_cast<double>(d.txt_null) / static_cast<double>(d.typed) : 0;
        if (share >= 0.5) pts += 5;
        push(f, "dns_tunnel", std::round(pts * 10) / 10,
            fmt::format("{}{} unique names under {}, {} queries", d.names.exact() ? "" : "~", n, d.domain, d.queries),
            fmt::format(">= {} unique names under one domain", kDnsTunnelNames),
            fmt::format("{} of {} hosts ask for names under it", hosts, sc.org_hosts),
            fmt::format("data encoded in DNS names (T1071.004, T1048){}",
                        d.typed ? fmt::format("; {:.0f}% of its queries are TXT or NULL", 100 * share) : ""));
        active = true;
      }
    }
  }
  return active;
}

void add_app_techniques(Finding& f) {
  auto push = [&](const char* t) {
    if (std::find(f.techniques.begin(), f.techniques.end(), t) == f.techniques.end()) f.techniques.push_back(t);
  };
  if (has(f, "dns_tunnel")) push("T1071.004"), push("T1048");
  if (has(f, "http_upload") || has(f, "files_sent")) push("T1041");
}

}  // namespace outflow
