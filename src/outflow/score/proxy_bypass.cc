#include "outflow/score/proxy_bypass.h"

#include <fmt/format.h>

#include "outflow/score/finding.h"
#include "outflow/score/hunter.h"

namespace outflow {

namespace {

bool web_port(uint16_t port) { return port == 80 || port == 443 || port == 8080 || port == 8443; }

}  // namespace

void score_proxy_bypass(const ScoreContext& sc, const ProcessActivity& a, Finding& f) {
  const auto proxies = sc.pipe.proxies().list();
  bool in_use = false;
  for (const auto& p : proxies) {
    in_use |= p.configured || p.detected();
    if (p.ip == a.local || (!a.entity_ip.is_unset() && p.ip == a.entity_ip)) return;  // the proxy's own traffic
  }
  if (!in_use) return;
  uint64_t sessions = 0, bytes = 0, through = 0;
  const DestActivity* top = nullptr;
  for (const auto& d : a.dests) {
    if (!d.via_proxy.is_unset()) {
      through += d.sessions;
      continue;
    }
    if (d.ip.is_unset() || d.proto != kProtoTcp || !web_port(d.port) || sc.cfg.internal_networks.contains(d.ip)) continue;
    sessions += d.sessions;
    bytes += d.bytes_out;
    if (!top || d.bytes_out > top->bytes_out) top = &d;
  }
  if (!sessions) return;
  f.factors.push_back(Factor{"proxy_bypass", fmt::format("{} direct web session(s), {} out", sessions, human_bytes(bytes)),
                             "any, while the organisation uses a proxy",
                             through ? fmt::format("{} session(s) through the proxy", through) : "",
                             fmt::format("web traffic straight to the Internet around the organisation's proxy (largest: {}:{})",
                                         top->domain.empty() ? top->ip.to_string() : top->domain, top->port),
                             kProxyBypassPoints});
}

}  // namespace outflow
