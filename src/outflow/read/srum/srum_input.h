// One SRUM input (SRUDB.dat or an export of it) read from a path or an opened source, and the
// host it belongs to, from the Windows event logs beside it. See docs/srum.md.
#pragma once
#include <string>
#include <vector>

#include "outflow/read/byte_source.h"
#include "outflow/read/input.h"
#include "outflow/read/srum/srum_usage.h"

namespace outflow::srum {

// Reads `path` (from `opened` when set: an input read only once) as `format` (srudb or
// srum_export). Never throws; out.error says why an input could not be read.
void read_srum_input(const std::string& path, ByteSource* opened, InputFormat format, UsageFile& out);

// The host name Windows events in `paths` (Sysmon or Security, JSON lines or EVTX) name most
// often, "" when none does. Reads them whole (they are the same host's logs, collected beside
// its SRUDB.dat).
std::string host_of_event_logs(const std::vector<std::string>& paths);

}  // namespace outflow::srum
