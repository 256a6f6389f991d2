// The same connection logged by Zeek and by Suricata (Security Onion runs both on one tap) is
// one session: a Zeek session and a Suricata one with the same 5-tuple (either orientation:
// Suricata may have picked the flow up midstream) starting within a second of each other are
// the same connection, and the second one emitted is dropped and counted. Each sensor's own
// duplicates are the stitcher's business (uids); NetFlow and firewall sessions are not
// compared. The first one emitted is kept (both sensors saw both directions as a rule; which
// one comes first is read order). Remembered for at least `span` of record time, at most `cap`
// sessions (RecentUids: two generations of 64-bit hashes).
#pragma once
#include <cstdint>

#include "outflow/join/flow_key.h"
#include "outflow/join/recent_uids.h"
#include "outflow/model/session.h"

namespace outflow {

class CrossSensorDedup {
 public:
  explicit CrossSensorDedup(size_t cap) : seen_(cap) {}

  // True when `s` is a connection the other sensor's session already stood for (drop it);
  // else remembers it. `now` is the stitcher's record clock.
  bool duplicate(const Session& s, TimeNs now, TimeNs span) {
    const int fam = family(s.source);
    if (fam == 0 || s.start == kNoTime) return false;
    const FlowKey k = FlowKey::make(s.orig_h, s.orig_p, s.resp_h, s.resp_p, s.proto);
    const int64_t sec = s.start / kNsPerSec;
    for (int64_t d = -1; d <= 1; ++d)
      if (seen_.contains(hash(k, sec + d, 3 - fam))) {
        ++dropped_;
        return true;
      }
    seen_.add(hash(k, sec, fam), now, span);
    return false;
  }
  uint64_t dropped() const { return dropped_; }

 private:
  static int family(FlowSource s) {
    if (s == FlowSource::zeek_conn || s == FlowSource::zeek_open_conn) return 1;
    if (s == FlowSource::suricata || s == FlowSource::suricata_open) return 2;
    return 0;
  }
  static uint64_t hash(const FlowKey& k, int64_t sec, int fam) {
    uint64_t h = FlowKeyHash()(k);
    for (uint64_t v : {static_cast<uint64_t>(sec), static_cast<uint64_t>(fam)}) h = (h ^ v) * 0x9E3779B97F4A7C15ULL, h ^= h >> 31;
    return h;
  }
  RecentUids seen_;
  uint64_t dropped_ = 0;
};

}  // namespace outflow
