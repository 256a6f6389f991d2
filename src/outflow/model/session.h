// A session: one connection, stitched from every flow record that describes it (both NetFlow
// directions, active-timeout pieces, Zeek open_conn snapshots and the final conn record).
#pragma once
#include <cstdint>
#include <string>

#include "outflow/core/ip.h"
#include "outflow/core/time.h"
#include "outflow/model/events.h"

namespace outflow {

// Why a direction's bytes are unknown (not zero): the sensor did not see that side's packets.
enum class VolumeGap : uint8_t {
  none,
  zeek_one_sided,        // Zeek: no packet of that side, while the other side's show it talked
                         // (SHR/OTH, history without its letters): TX offload, one-way SPAN
  netflow_one_direction, // NetFlow: only the other direction of a TCP conversation exported
  impossible_count,      // the sensor's count was more than its packets can carry (Zeek's size
                         // from sequence numbers after a broken handshake, a corrupt export)
  not_logged,            // a firewall log without byte counts (pfirewall.log; FortiGate rows without them)
};
const char* volume_gap_reason(VolumeGap g);

// What a firewall logged of a connection beyond the flow (PAN-OS, FortiGate): its user
// (User-ID, `user`/`unauthuser`), its application and the post-NAT 5-tuple (evidence; the
// pre-NAT one is the session's, the one the host's events and an inside sensor see). Empty for
// other sensors. A later record's non-empty values win (the end-of-session log's).
struct FirewallView {
  std::string user, app;
  bool has_nat = false;
  IpAddr nat_orig_h, nat_resp_h;
  uint16_t nat_orig_p = 0, nat_resp_p = 0;

  bool empty() const { return user.empty() && app.empty() && !has_nat; }
  void take(const FlowRecord& r) {
    if (!r.user.empty()) user = r.user;
    if (!r.app.empty()) app = r.app;
    if (r.has_nat) {
      has_nat = true;
      nat_orig_h = r.nat_orig_h, nat_resp_h = r.nat_resp_h;
      // A port logged as 0 (PAN-OS with only the other side translated) is not translated.
      nat_orig_p = r.nat_orig_p ? r.nat_orig_p : r.orig_p;
      nat_resp_p = r.nat_resp_p ? r.nat_resp_p : r.resp_p;
    }
  }
  void take(const FirewallView& o) {
    if (user.empty()) user = o.user;
    if (app.empty()) app = o.app;
    if (!has_nat && o.has_nat) has_nat = true, nat_orig_h = o.nat_orig_h, nat_resp_h = o.nat_resp_h,
                                nat_orig_p = o.nat_orig_p, nat_resp_p = o.nat_resp_p;
  }
};

struct Session {
  IpAddr orig_h, resp_h;  // orig = initiator (known for Zeek, inferred for NetFlow)
  uint16_t orig_p = 0, resp_p = 0;
  uint8_t proto = 0;
  TimeNs start = kNoTime, end = kNoTime;
  uint64_t orig_bytes = 0, resp_bytes = 0, orig_pkts = 0, resp_pkts = 0;
  uint64_t orig_ip_bytes = 0;    // Zeek: the originator's IP bytes, headers included (0: absent)
  uint32_t records = 0;          // flow records stitched into it
  uint32_t sensors = 1;          // sensors that saw it (counted once: the one that saw most)
  bool seen_orig_dir = false;    // NetFlow: a record for each direction was seen
  bool seen_resp_dir = false;
  bool initiator_inferred = false;
  // Bytes and packets of a direction the sensor could not see: unknown, not zero (the counters
  // then hold what was seen, usually 0). Set when the session is emitted (FlowStitcher).
  bool orig_unknown = false, resp_unknown = false;
  VolumeGap gap = VolumeGap::none;
  bool bytes_not_logged = false;  // every record of it lacked byte counts (FlowRecord::bytes_unknown)
  FlowSource source = FlowSource::other;
  std::string uid, conn_state, history, service, sensor;
  FirewallView fw;
  // Sensors of another kind that logged the same connection (join/sensor_merge.h): their
  // records were merged into this session, never counted as a session of their own.
  FlowSource merged_source = FlowSource::other;
  bool merged = false;
  bool merged_by_nat = false;  // matched on the firewall's post-NAT 5-tuple
  // A proxied session linked to the proxy's own connection out (join/relay_link.h): that
  // connection's destination address, and whether the bytes out are the outer leg's (the client
  // leg's were unknown: Squid's native format). Unset / false otherwise.
  IpAddr relay_h;
  bool orig_from_relay = false;
};

}  // namespace outflow
