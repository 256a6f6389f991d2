// SRUDB.dat (an ESE database) read with Debian's libesedb, from memory: the evidence file is
// opened read-only, read whole, and libesedb is given a libbfio memory range over the copy, so
// nothing is ever written to the file (or anywhere on disk). A dirty database's header
// checksums are corrected in the copy (srum_decode.h) and the run says it was dirty. Tables:
// the network usage table {973F5D5C-1D90-4944-BE8E-24B94231A174}, SruDbIdMapTable, and the
// connectivity table {DD6636C4-8929-4683-974E-22C046A43763} (for coverage).
#pragma once
#include <string>

#include "outflow/read/byte_source.h"
#include "outflow/read/srum/srum_usage.h"

namespace outflow::srum {

inline constexpr const char* kNetworkUsageTable = "{973F5D5C-1D90-4944-BE8E-24B94231A174}";
inline constexpr const char* kIdMapTable = "SruDbIdMapTable";
inline constexpr const char* kConnectivityTable = "{DD6636C4-8929-4683-974E-22C046A43763}";

// Reads SRUDB.dat bytes already in memory (`path` names them in messages; `sha256` is left for
// the caller). Never throws; a database libesedb cannot open sets out.error to one message
// naming the file and libesedb's own error.
void read_srudb_bytes(std::string bytes, const std::string& path, UsageFile& out);

// Reads the whole source (decompressed: a SRUDB.dat.gz works too), hashes it, then as above.
// At most `max_bytes`: a larger input is refused with a message.
void read_srudb(ByteSource& src, const std::string& path, UsageFile& out, uint64_t max_bytes = uint64_t{8} << 30);

// Reads all of `src` into `out` in 64 KiB steps (memory follows the input, not `max_bytes`).
// False with `error` set on a read error or past `max_bytes`.
bool read_whole(ByteSource& src, uint64_t max_bytes, std::string& out, std::string& error);

// SHA-256 of bytes, lower-case hex.
std::string sha256_hex(std::string_view bytes);
std::string hex_lower(const unsigned char* p, size_t n);

}  // namespace outflow::srum
