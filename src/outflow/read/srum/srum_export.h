// The SRUM network usage exports responders already have, recognised from their headers or
// fields (never their file names), read into the same records as SRUDB.dat:
//  - SrumECmd's *_SrumECmd_NetworkUsages_Output.csv (header "Id,Timestamp,ExeInfo,...,
//    BytesReceived,BytesSent,InterfaceLuid,...": UTC "yyyy-MM-dd HH:mm:ss");
//  - Chainsaw's `analyse srum` JSON (one array of every table's rows, each with "Table" and
//    "TableName"; the rows of table {973F5D5C-...} are network usage; its TimeStamp is cut, not
//    rounded, to the second, so up to a second early);
//  - Velociraptor's Windows.Forensics.SRUM/Network Usage rows (JSON lines or an array: SRUMId,
//    TimeStamp, App, UserSid, User, UserId, BytesSent, BytesRecvd, InterfaceLuid, ...).
#pragma once
#include <string>
#include <string_view>

#include "outflow/read/byte_source.h"

#include "outflow/read/srum/srum_usage.h"

namespace outflow::srum {

enum class ExportShape { none, srumecmd_csv, chainsaw_json, velociraptor_json };
const char* export_shape_name(ExportShape s);

// The shape of a file from its first bytes (decompressed; a UTF-8 BOM and leading blanks are
// skipped).
ExportShape detect_export(std::string_view head);

// JSON whose first record has SRUM's network usage fields (BytesSent, BytesRecvd) in none of
// the shapes above (a derived oracle, another tool's export): not understood.
bool srum_like_json(std::string_view head);

// Reads an export from `src`, each row to out.sink (else out.rows) as it is read: the CSV and
// JSON lines a line at a time (memory follows the longest line, not the file); a JSON array
// (Chainsaw's only form) is parsed whole, at most `max_bytes`. out.sha256 is of every byte of
// the input. Malformed rows are counted in out.bad_rows; an export that cannot be read at all
// (not JSON, no header, a read error before any row) sets out.error; a read error after some
// rows is a note, and those rows stand.
void read_export(ByteSource& src, ExportShape shape, const std::string& path, UsageFile& out,
                 uint64_t max_bytes = uint64_t{2} << 30);
// The same over bytes in memory (tests, fuzzers).
void read_export(std::string_view bytes, ExportShape shape, const std::string& path, UsageFile& out);

}  // namespace outflow::srum
