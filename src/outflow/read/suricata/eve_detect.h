// Suricata EVE JSON recognised from its content: a JSON object with "event_type" and the
// addresses Suricata names "src_ip" / "dest_ip" (or a "stats" event, which has none).
#pragma once
#include <string_view>

namespace outflow::suricata {

// True when `first_line` (one JSON object) is an EVE event.
bool eve_line(std::string_view first_line);

// True when an EVE file's first event is one that names destinations (dns, tls, http): a file
// per event type, read before the flow events when inputs are read one after another.
bool eve_names_line(std::string_view first_line);

}  // namespace outflow::suricata
