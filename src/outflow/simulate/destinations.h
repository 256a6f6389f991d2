// External destinations: the services benign software talks to (by name, as DNS resolves
// them) and the rare addresses attackers use. A name always resolves to the same few
// addresses, so DNS answers, Sysmon 22 and flows agree.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "outflow/core/ip.h"
#include "outflow/simulate/rng.h"

namespace outflow::sim {

enum class Service : uint8_t {
  web,             // browsing: many sites
  office365,       // Outlook, Office
  onedrive,        // OneDrive / SharePoint sync
  teams,           // signalling
  teams_media,     // Teams call relays (UDP 3478-3481)
  zoom,            // Zoom web and signalling
  zoom_media,      // Zoom media (UDP 8801)
  windows_update,  // Windows Update / BITS / Delivery Optimization CDN
  defender,        // Defender signature updates
  azure_backup,    // off-site backup storage
  vpn_gateway,     // the company's VPN concentrator
  ntp,
  github,
  spotify,
  kCount
};

struct Destination {
  std::string_view domain;  // empty when contacted by address
  IpAddr ip;
};

// A destination of the service: one of its names and one of that name's addresses.
Destination pick_destination(Service s, Rng& rng);
// The addresses a name resolves to (1 to 4), stable for the name.
std::vector<IpAddr> resolve(std::string_view domain);
// The company's public DNS forwarders (used by the DC).
IpAddr dns_forwarder(int i);

// A random address that looks like a home broadband or hosting customer: public, outside every
// service range above and outside the ranges scenarios use for their servers.
IpAddr random_public_ip(Rng& rng);
// Addresses for attacker infrastructure: 203.0.113.0/24, 198.51.100.0/24 and 192.0.2.0/24 (the
// documentation ranges), numbered so that two scenarios never share one.
IpAddr attacker_ip(int range, int n);

}  // namespace outflow::sim
