// Parsing one EVE line (simdjson On-Demand, one pass over the keys, nested objects read in
// place) into an EveEvent. DNS answers go straight into a DnsAnswer: its addresses, and its
// first name answer (a CNAME, or a PTR's host name) in ptr_name.
#pragma once
#include <simdjson.h>

#include <string_view>

#include "outflow/model/events.h"
#include "outflow/read/suricata/eve_event.h"

namespace outflow::suricata {

class EveParser {
 public:
  // `line` must be followed by simdjson's padding (LineReader's lines are). Returns nullptr, or
  // why the line is malformed.
  const char* parse(std::string_view line, EveEvent& ev, DnsAnswer& dns);

 private:
  simdjson::ondemand::parser parser_;
};

// An EVE timestamp ("2021-06-01T12:00:00.123456+0200"): its own UTC offset read, never assumed.
enum class EveTime { ok, bad, no_offset, out_of_range };
EveTime parse_eve_time(std::string_view s, TimeNs& out);

}  // namespace outflow::suricata
