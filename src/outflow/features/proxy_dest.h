// The destination behind an explicit web proxy. A session whose requests named a host to a
// proxy (Zeek http.log: CONNECT host:port, an absolute URI; join/app_names.h) is, for the
// detector, a session to THAT host and port: its destination key (prevalence, rarity,
// first-seen), its pair (a name pair), a finding's destination. The proxy's address is kept
// beside it (DestActivity::via_proxy) and is never the destination. The session itself (the
// client leg, client:port -> proxy:port) is unchanged, so the join to the process still sees
// the 5-tuple Sysmon 3 and the sensor logged.
// A connection that carried requests for several hosts belongs to the first one named (the
// others are counted in AppNames::ConnApp::proxy_other_hosts, not split).
#pragma once
#include <cstdint>
#include <string_view>

#include "outflow/core/ip.h"
#include "outflow/join/app_names.h"

namespace outflow {

struct ProxiedDest {
  bool named = false;         // the session went through a proxy to a named host
  std::string_view name;      // the host name (empty when the target is an address literal)
  uint32_t name_id = AppNames::kNone;  // its id in AppNames (kNone for a literal)
  IpAddr ip;                  // the target's address when the request named one, else unset
  uint16_t port = 0;
};

// What `c`'s proxy requests named; `named` false when none (or `apps`/`c` null).
ProxiedDest proxied_dest(const AppNames* apps, const AppNames::ConnApp* c);

// The key of a destination known by name only (no address): distinct from address keys.
uint64_t named_dest_key(std::string_view name, uint16_t port, uint8_t proto);

}  // namespace outflow
