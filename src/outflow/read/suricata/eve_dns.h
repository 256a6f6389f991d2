// Suricata dns events as Zeek dns.log's records (DnsAnswer): EVE logs a query and its answer as
// two events (v1, v2: "query" / "answer"; v3: "request" / "response"), Zeek one record per
// transaction. A query waits here (by flow_id, DNS id and name) for its answer and goes out
// with it, so a transaction counts once in the DNS views; an unanswered query goes out alone
// once it is kPendingWait older than the newest event, at the file's end, or when more than
// kMaxPending wait (the oldest half then goes). An answer without its query (a file of
// answers only) goes out alone. Memory: at most kMaxPending queries.
#pragma once
#include <cstdint>
#include <string>
#include <unordered_map>

#include "outflow/read/input.h"
#include "outflow/read/suricata/eve_event.h"
#include "outflow/read/zeek/zeek_fields.h"

namespace outflow::suricata {

class EveDnsPairing {
 public:
  static constexpr size_t kMaxPending = 65536;
  static constexpr TimeNs kPendingWait = 30 * kNsPerSec;

  // The record the parser fills with an event's answers.
  DnsAnswer& answer() { return cur_; }
  // One dns event (its answers already in answer()). Returns nullptr or why it is malformed.
  const char* event(const EveEvent& ev, TimeNs t, const IpAddr& src, const IpAddr& dst, ReadContext& ctx,
                    flowread::SkipCounter& skips);
  void flush_all(ReadContext& ctx);

 private:
  struct Pending {
    TimeNs time = kNoTime;
    IpAddr client, server;
    uint16_t qtype = 0;
    std::string query;
  };
  void deliver(const Pending& p, ReadContext& ctx);
  void flush_older(TimeNs before, ReadContext& ctx);

  DnsAnswer cur_, out_;
  std::unordered_map<uint64_t, Pending> pending_;
  TimeNs newest_ = kNoTime;
  uint64_t since_sweep_ = 0;
};

// Suricata's rrtype names as DNS type numbers (A 1, TXT 16, NULL 10...); 0 when unknown.
uint16_t dns_type_number(std::string_view rrtype);

}  // namespace outflow::suricata
