// A HostEvent packed into bytes: its fixed fields, then each string as a length and its bytes.
//
// Why: records wait in the merged reader's batches between the reader that parsed them and the
// join, one batch or two per open input. As HostEvent objects (600 bytes and up to sixteen heap
// strings each) 5,000 open host files held 360 MB of them; packed, an event takes what its
// values take (about 250 bytes for a Sysmon 3 event of the simulated hosts). Unpacking into a
// reused HostEvent allocates nothing once its strings have grown.
#pragma once
#include <string>

#include "outflow/model/events.h"

namespace outflow {

// Appends `e` to `out`.
void pack_host_event(const HostEvent& e, std::string& out);
// Reads the event packed at `p` (by pack_host_event) into `e`, whose strings keep their capacity;
// returns the first byte after it.
const char* unpack_host_event(const char* p, HostEvent& e);

}  // namespace outflow
