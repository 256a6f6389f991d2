#include "outflow/simulate/destinations.h"

#include <array>

namespace outflow::sim {

namespace {

struct ServiceSpec {
  std::vector<std::string_view> domains;
  std::vector<uint32_t> prefixes;  // /16 networks (host order, low 16 bits zero)
};

constexpr uint32_t net(uint32_t a, uint32_t b) { return (a << 24) | (b << 16); }

const std::array<ServiceSpec, static_cast<size_t>(Service::kCount)>& specs() {
  static const std::array<ServiceSpec, static_cast<size_t>(Service::kCount)> k = {{
      // web
      {{"www.google.com", "www.bing.com", "www.linkedin.com", "www.bbc.co.uk", "en.wikipedia.org",
        "stackoverflow.com", "www.amazon.com", "corp.my.salesforce.com", "login.microsoftonline.com",
        "www.office.com", "www.reuters.com", "cdn.jsdelivr.net", "fonts.gstatic.com", "www.youtube.com",
        "i.ytimg.com", "www.nytimes.com", "static.xx.fbcdn.net", "www.ft.com", "slack.com",
        "app.hubspot.com", "docs.google.com", "ssl.gstatic.com", "www.gov.uk", "update.googleapis.com",
        "edge.microsoft.com", "ocsp.digicert.com", "ctldl.windowsupdate.com", "clients2.google.com",
        "www.atlassian.com", "corp.atlassian.net", "zendesk.com", "www.dropbox.com"},
       {net(142, 250), net(172, 217), net(151, 101), net(104, 16), net(23, 54), net(13, 32), net(185, 199),
        net(199, 232), net(52, 84)}},
      // office365
      {{"outlook.office365.com", "outlook.office.com", "substrate.office.com", "officeclient.microsoft.com",
        "officecdn.microsoft.com", "login.live.com"},
       {net(52, 96), net(52, 97), net(40, 99)}},
      // onedrive
      {{"corp-my.sharepoint.com", "corp.sharepoint.com", "onedrive.live.com", "skyapi.onedrive.live.com",
        "g.live.com"},
       {net(13, 107)}},
      // teams
      {{"teams.microsoft.com", "presence.teams.microsoft.com", "teams.events.data.microsoft.com",
        "statics.teams.cdn.office.net"},
       {net(52, 113), net(52, 114)}},
      // teams_media
      {{"worldaz.relay.teams.microsoft.com", "euaz.relay.teams.microsoft.com"}, {net(52, 112)}},
      // zoom
      {{"zoom.us", "us04web.zoom.us", "us05web.zoom.us"}, {net(170, 114)}},
      // zoom_media
      {{"zoomfr.zoom.us", "zoomam.zoom.us"}, {net(206, 247)}},
      // windows_update
      {{"download.windowsupdate.com", "7.tlu.dl.delivery.mp.microsoft.com", "fe3cr.delivery.mp.microsoft.com",
        "dl.delivery.mp.microsoft.com", "au.download.windowsupdate.com", "slscr.update.microsoft.com"},
       {net(8, 241), net(8, 253), net(13, 107), net(20, 190)}},
      // defender
      {{"definitionupdates.microsoft.com", "wdcp.microsoft.com", "go.microsoft.com",
        "fe3.delivery.mp.microsoft.com"},
       {net(20, 190), net(40, 126)}},
      // azure_backup
      {{"corpbackup01.blob.core.windows.net"}, {net(20, 150)}},
      // vpn_gateway
      {{"vpn.corp-example.net"}, {net(81, 2)}},
      // ntp
      {{"time.windows.com"}, {net(20, 101)}},
      // github
      {{"github.com", "api.github.com", "codeload.github.com", "objects.githubusercontent.com"}, {net(140, 82)}},
      // spotify
      {{"spclient.wg.spotify.com", "audio-ak-spotify-com.akamaized.net", "apresolve.spotify.com"},
       {net(35, 186), net(23, 211)}},
  }};
  return k;
}

uint64_t name_hash(std::string_view s) { return stream_id(s); }

}  // namespace

std::vector<IpAddr> resolve(std::string_view domain) {
  uint64_t h = name_hash(domain);
  // Which service owns the name decides the networks.
  const std::vector<uint32_t>* prefixes = nullptr;
  for (const auto& spec : specs())
    for (const auto d : spec.domains)
      if (d == domain) prefixes = &spec.prefixes;
  std::vector<IpAddr> out;
  const size_t n = 1 + (h >> 60) % 3;
  for (size_t i = 0; i < n; ++i) {
    const uint64_t x = splitmix64(h);
    const uint32_t base = prefixes ? (*prefixes)[x % prefixes->size()] : net(45, 60);
    out.push_back(IpAddr::v4(base | static_cast<uint32_t>(((x >> 20) % 254 + 1) << 8) |
                             static_cast<uint32_t>((x >> 40) % 250 + 2)));
  }
  return out;
}

Destination pick_destination(Service s, Rng& rng) {
  const auto& spec = specs()[static_cast<size_t>(s)];
  Destination d;
  d.domain = spec.domains[rng.below(spec.domains.size())];
  const auto ips = resolve(d.domain);
  d.ip = ips[rng.below(ips.size())];
  return d;
}

IpAddr dns_forwarder(int i) { return IpAddr::v4(i == 0 ? (9u << 24) | (9u << 16) | (9u << 8) | 9u : (149u << 24) | (112u << 16) | (112u << 8) | 112u); }

IpAddr random_public_ip(Rng& rng) {
  // Broadband and hosting networks far from the service ranges above.
  static constexpr uint32_t kNets[] = {net(24, 0),   net(31, 13),  net(46, 101), net(62, 210), net(77, 88),
                                       net(82, 132), net(86, 28),  net(89, 187), net(91, 121), net(95, 216),
                                       net(109, 70), net(176, 31), net(178, 62), net(188, 166), net(213, 87),
                                       net(217, 160), net(73, 92), net(98, 207), net(68, 183), net(186, 33)};
  const uint32_t base = kNets[rng.below(std::size(kNets))];
  return IpAddr::v4(base | static_cast<uint32_t>(rng.between(0, 255) << 8) | static_cast<uint32_t>(rng.between(1, 254)));
}

IpAddr attacker_ip(int range, int n) {
  static constexpr uint32_t kNets[] = {(203u << 24) | (0u << 16) | (113u << 8), (198u << 24) | (51u << 16) | (100u << 8),
                                       (192u << 24) | (0u << 16) | (2u << 8)};
  return IpAddr::v4(kNets[range % 3] | static_cast<uint32_t>(1 + (n + 253) % 254));  // .n for n in 1..254
}

}  // namespace outflow::sim
