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

// parse_eve_time with the last hour remembered: Suricata's times in one file are nearly all
// "YYYY-MM-DDTHH:MM:SS.ffffff+hhmm", and consecutive ones share date, hour and offset, so
// only minutes, seconds and microseconds are read for them (a time of another shape, or a new
// hour, goes through parse_eve_time). Same results as parse_eve_time, tested against it.
class EveClock {
 public:
  EveTime parse(std::string_view s, TimeNs& out);

 private:
  static constexpr size_t kLen = 31;  // the shape above
  char hour_[kLen] = {};              // the remembered time's text (date, hour and offset used)
  TimeNs base_ = kNoTime;             // that hour's start
};

}  // namespace outflow::suricata
