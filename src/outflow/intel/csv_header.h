// The columns of a CSV feed's header: which one holds the indicator (and its type), its date,
// a label (malware family, threat) and a confidence. abuse.ch's Feodo Tracker
// ("first_seen_utc","dst_ip","dst_port","c2_status","last_online","malware") and URLhaus
// (id,dateadded,url,url_status,last_online,threat,tags,urlhaus_link,reporter) are the shapes.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "outflow/intel/indicator.h"

namespace outflow {

struct CsvHeader {
  char delim = ',';
  int indicator = -1, date = -1, label = -1, confidence = -1;
  bool url = false;  // the indicator column holds URLs
};

// `line` may start with '#' (the header written as the last comment line).
CsvHeader find_csv_header(std::string_view line);
// Splits one CSV line (double quotes, "" inside them); at most 256 fields.
void split_csv(std::string_view line, char delim, std::vector<std::string_view>& out, std::string& scratch);

}  // namespace outflow
