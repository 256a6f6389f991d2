// Time in Outflow: signed nanoseconds since the Unix epoch, UTC. Always taken from records,
// never from the wall clock, so that replays are deterministic.
#pragma once
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>

namespace outflow {

using TimeNs = int64_t;
inline constexpr TimeNs kNoTime = std::numeric_limits<int64_t>::min();
inline constexpr TimeNs kNsPerSec = 1'000'000'000LL;

// The record times Outflow believes: 1970-01-01 up to (not including) 2100-01-01 UTC. Readers
// reject a record whose time lies outside (FILETIME 0 is 1601, "9999-12-31" is a sentinel) as
// malformed ("... out of range"). Within this range the join's arithmetic cannot overflow: the
// difference of two record times, plus or minus another, still fits in int64 nanoseconds.
inline constexpr TimeNs kMinRecordTime = 0;
inline constexpr TimeNs kMaxRecordTime = 4'102'444'800LL * kNsPerSec;
inline constexpr bool in_record_range(TimeNs t) { return t >= kMinRecordTime && t < kMaxRecordTime; }

// Parses the timestamp spellings found in Windows and flow logs:
//   "2020-09-20 16:17:01.152", "2022-05-13T08:54:05.1230000Z", "2019-10-27T04:23:09.756Z",
//   "2020-09-20T16:17:01+02:00", and (with parse_epoch_seconds) "1517422326.539915".
// A time without a zone is taken as UTC. Returns false (and leaves `out` alone) on anything
// else, including years outside 1601..9999 and out-of-range fields.
bool parse_datetime(std::string_view s, TimeNs& out);
bool parse_epoch_seconds(std::string_view s, TimeNs& out);

// parse_datetime for record times: `bad` when the text is not a time, `out_of_range` when it is
// one outside [kMinRecordTime, kMaxRecordTime) ("1601-01-01 00:00:00", "9999-12-31 ...").
enum class TimeParse { ok, bad, out_of_range };
TimeParse parse_record_time(std::string_view s, TimeNs& out);

// "2020-09-20T16:17:01.152000Z" (microsecond precision, always UTC).
std::string format_time(TimeNs t);
// The same text written to `out` (kTimeTextSize bytes, not NUL-terminated), without a
// std::string: returns the length, kTimeTextSize, or 0 where format_time returns "".
inline constexpr size_t kTimeTextSize = 27;
size_t format_time_to(TimeNs t, char* out);

// Days since 1970-01-01 for a proleptic Gregorian date (Howard Hinnant's algorithm).
int64_t days_from_civil(int64_t y, unsigned m, unsigned d);
// The inverse: year, month, day of a day count since 1970-01-01.
void civil_from_days(int64_t days, int64_t& y, unsigned& m, unsigned& d);

}  // namespace outflow
