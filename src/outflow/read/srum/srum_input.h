// One SRUM input (SRUDB.dat or an export of it) read from a path or an opened source. See
// docs/srum.md.
#pragma once
#include <string>

#include "outflow/read/byte_source.h"
#include "outflow/read/input.h"
#include "outflow/read/srum/srum_usage.h"

namespace outflow::srum {

// Reads `path` (from `opened` when set: an input read only once) as `format` (srudb or
// srum_export). Never throws; out.error says why an input could not be read.
void read_srum_input(const std::string& path, ByteSource* opened, InputFormat format, UsageFile& out);

}  // namespace outflow::srum
