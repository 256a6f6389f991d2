// Zeek logs beyond conn and dns, shared by the TSV and JSON readers: ssl.log and http.log
// (names of destinations: AppRecord), dhcp.log (host names of addresses: DhcpLease),
// capture_loss.log (the sensor's packet loss: CaptureLossRecord) and files.log (files sent on a
// connection: FileRecord). Each reader gathers a
// record's fields as text (AuxInput) and hands them here.
#pragma once
#include <array>
#include <string_view>

#include "outflow/read/zeek/zeek_fields.h"

namespace outflow::flowread {

struct AuxInput {
  TimeNs ts = kNoTime;  // parsed and range-checked by the reader
  bool have_orig_h = false, have_resp_h = false;
  IpAddr orig_h, resp_h;
  uint16_t orig_p = 0, resp_p = 0;
  std::string_view uid;
  // The other fields' texts, by ZField: a string's value, a number's digits; empty when the
  // field is absent, unset or null.
  std::array<std::string_view, kZFieldCount> text{};
  std::string_view get(ZField f) const { return text[static_cast<size_t>(f)]; }
};

// The records being filled, reused over a file.
struct AuxRecords {
  AppRecord app;
  DhcpLease dhcp;
  CaptureLossRecord loss;
  FileRecord file;
};

// Delivers the record of `log` (ssl, http, dhcp, capture_loss or files) to ctx.sink and counts it in
// ctx.stats, or counts it under a skip reason when it holds nothing Outflow uses. Returns
// nullptr, or the reason the record is malformed (the reader reports it).
const char* deliver_aux(ZeekLog log, const AuxInput& in, AuxRecords& out, ReadContext& ctx, SkipCounter& skips);

// A Host header's name: its port cut off; empty when it is an address, not a name.
std::string_view http_host_name(std::string_view host);

}  // namespace outflow::flowread
