// The feed readers, one per format, and the recognition of a feed's format from its content
// (never its name); gzip and zstd are opened by read/byte_source like every input.
//
//   plain      one address, CIDR, domain or URL a line; '#' comments; a leading "." or "*." =
//              every subdomain; "0.0.0.0 name" hosts-file lines give the name
//   csv        a header (or the last '#' comment line before the rows, as abuse.ch writes it)
//              naming the indicator column: dst_ip, ip, url, domain, hostname, indicator, ioc...
//   stix2.1    a bundle of indicators (intel/stix_pattern.h)
//   misp-event an event ({"Event": ...}, {"response": [...]}, a feed's <uuid>.json)
//   misp-warninglist  a warning list's list.json (cidr, hostname, string, substring)
//
// Readers never fail the run: a line or object they cannot use is counted in the feed's stats
// with file:line and the reason (the first few sampled); a file they cannot read at all sets
// FeedStats::error. JSON: the objects of a STIX bundle's "objects", of a MISP search's "response"
// and of a top-level array are read one at a time (at most 16 MB each); the rest of the document
// (a MISP event, a warning list) is parsed whole, at most kMaxJsonBytes; kMaxJsonDepth levels deep.
#pragma once
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "outflow/intel/intel_set.h"
#include "outflow/read/byte_source.h"

namespace outflow {

inline constexpr size_t kMaxJsonBytes = 512u << 20;
inline constexpr size_t kMaxJsonDepth = 64;
inline constexpr size_t kMaxFeedLine = 64u << 10;

enum class FeedFormat { plain, csv, json, unknown };
// From the first bytes of the (decompressed) feed.
FeedFormat detect_feed_format(std::string_view head);

// Reads one feed file (`where` names it in samples) into `set` under feed `feed`.
void read_feed(ByteSource& src, const std::string& where, uint16_t feed, IntelSet& set);

// The readers (feed_formats.cc, csv_feed.cc, stix_feed.cc, misp_feed.cc). `base` is the
// metadata every indicator of the file starts from (its feed).
class LineReader;
void read_plain_feed(LineReader& lines, const std::string& where, const IndicatorMeta& base, IntelSet& set);
void read_csv_feed(LineReader& lines, const std::string& where, const IndicatorMeta& base, IntelSet& set);
// JSON feeds are read as a stream (intel/json_split.h): a bundle's objects one at a time.
void read_json_feed(ByteSource& src, const std::string& where, const IndicatorMeta& base, IntelSet& set);

// "2021-04-08", "2021-04-08 10:00:00", ISO 8601, or epoch seconds: the dates feeds write.
bool parse_feed_date(std::string_view s, TimeNs& out);

}  // namespace outflow
