#include "outflow/core/time.h"

#include <array>
#include <cstring>

namespace outflow {

int64_t days_from_civil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

namespace {

bool digits(std::string_view s, size_t pos, size_t n, int64_t& v) {
  if (pos + n > s.size()) return false;
  v = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    const char c = s[i];
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  return true;
}

}  // namespace

void civil_from_days(int64_t z, int64_t& y, unsigned& m, unsigned& d) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  y = static_cast<int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y += (m <= 2);
}

namespace {
// The syntax of parse_datetime: seconds since the epoch and nanoseconds, without range checks
// beyond the fields' own (years 1601..9999 keep `secs` far inside int64).
bool parse_datetime_parts(std::string_view s, int64_t& secs_out, int64_t& frac_out) {
  // YYYY-MM-DD[ T]HH:MM:SS[.fraction][Z|+HH:MM|-HH:MM]
  while (!s.empty() && (s.front() == ' ' || s.front() == '"')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '"')) s.remove_suffix(1);
  int64_t y, mo, d, h, mi, se;
  if (s.size() < 19) return false;
  if (!digits(s, 0, 4, y) || s[4] != '-' || !digits(s, 5, 2, mo) || s[7] != '-' ||
      !digits(s, 8, 2, d) || (s[10] != ' ' && s[10] != 'T') || !digits(s, 11, 2, h) ||
      s[13] != ':' || !digits(s, 14, 2, mi) || s[16] != ':' || !digits(s, 17, 2, se))
    return false;
  if (y < 1601 || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 60) return false;
  size_t pos = 19;
  int64_t frac_ns = 0;
  if (pos < s.size() && (s[pos] == '.' || s[pos] == ',')) {
    ++pos;
    int64_t scale = 100'000'000;
    size_t start = pos;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
      if (scale > 0) {
        frac_ns += (s[pos] - '0') * scale;
        scale /= 10;
      }
      ++pos;
    }
    if (pos == start) return false;
  }
  int64_t offset_sec = 0;
  if (pos < s.size()) {
    const char z = s[pos];
    if (z == 'Z' || z == 'z') {
      ++pos;
    } else if (z == '+' || z == '-') {
      int64_t oh, om = 0;
      if (!digits(s, pos + 1, 2, oh)) return false;
      size_t p2 = pos + 3;
      if (p2 < s.size() && s[p2] == ':') ++p2;
      if (p2 < s.size()) {
        if (!digits(s, p2, 2, om)) return false;
        p2 += 2;
      }
      offset_sec = (oh * 3600 + om * 60) * (z == '+' ? 1 : -1);
      pos = p2;
    }
  }
  if (pos != s.size()) return false;
  const int64_t days = days_from_civil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d));
  secs_out = days * 86400 + h * 3600 + mi * 60 + se - offset_sec;
  frac_out = frac_ns;
  return true;
}
}  // namespace

TimeParse parse_record_time(std::string_view s, TimeNs& out) {
  int64_t secs, frac;
  if (!parse_datetime_parts(s, secs, frac)) return TimeParse::bad;
  if (secs < kMinRecordTime / kNsPerSec || secs >= kMaxRecordTime / kNsPerSec) return TimeParse::out_of_range;
  out = secs * kNsPerSec + frac;
  return TimeParse::ok;
}

bool parse_datetime(std::string_view s, TimeNs& out) {
  int64_t secs, frac_ns;
  if (!parse_datetime_parts(s, secs, frac_ns)) return false;
  // 1601..9999 fits comfortably in int64 nanoseconds (+-292 years around 1970 does not!), so
  // clamp: times outside what TimeNs can hold are rejected rather than wrapped.
  constexpr int64_t kMaxSecs = std::numeric_limits<int64_t>::max() / kNsPerSec - 1;
  if (secs > kMaxSecs || secs < -kMaxSecs) return false;
  out = secs * kNsPerSec + frac_ns;
  return true;
}

bool parse_epoch_seconds(std::string_view s, TimeNs& out) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  if (s.empty()) return false;
  bool neg = false;
  if (s.front() == '-') {
    neg = true;
    s.remove_prefix(1);
  }
  int64_t secs = 0, frac = 0, scale = 100'000'000;
  size_t i = 0, nd = 0;
  for (; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i, ++nd) {
    if (secs > 9'000'000'000LL) return false;  // beyond year 2255: not a real record time
    secs = secs * 10 + (s[i] - '0');
  }
  if (nd == 0 || secs > 9'000'000'000LL) return false;  // checked again after the last digit
  if (i < s.size() && s[i] == '.') {
    ++i;
    for (; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i) {
      if (scale > 0) {
        frac += (s[i] - '0') * scale;
        scale /= 10;
      }
    }
  }
  if (i != s.size()) return false;
  out = (secs * kNsPerSec + frac) * (neg ? -1 : 1);
  return true;
}

namespace {

// "00" .. "99".
constexpr auto kTwoDigits = [] {
  std::array<char, 200> t{};
  for (int v = 0; v < 100; ++v) {
    t[static_cast<size_t>(2 * v)] = static_cast<char>('0' + v / 10);
    t[static_cast<size_t>(2 * v + 1)] = static_cast<char>('0' + v % 10);
  }
  return t;
}();

void put2(char* out, int64_t v) { std::memcpy(out, &kTwoDigits[static_cast<size_t>(2 * v)], 2); }

// "YYYY-MM-DDT" of the last day formatted: times come in order, so the day rarely changes
// (civil_from_days was 1% of `outflow sessions`, which formats 3 times a line).
struct DayText {
  int64_t days = std::numeric_limits<int64_t>::min();
  char text[11];
};
thread_local DayText last_day;

}  // namespace

size_t format_time_to(TimeNs t, char* buf) {
  if (t == kNoTime) return 0;
  int64_t secs = t / kNsPerSec;
  int64_t ns = t % kNsPerSec;
  if (ns < 0) {
    ns += kNsPerSec;
    secs -= 1;
  }
  int64_t days = secs / 86400;
  int64_t rem = secs % 86400;
  if (rem < 0) {
    rem += 86400;
    days -= 1;
  }
  DayText& day = last_day;
  if (days != day.days) {
    int64_t y;
    unsigned m, d;
    civil_from_days(days, y, m, d);
    if (y < 0 || y > 9999) return 0;  // not representable as RFC 3339
    put2(day.text, y / 100);
    put2(day.text + 2, y % 100);
    day.text[4] = '-';
    put2(day.text + 5, m);
    day.text[7] = '-';
    put2(day.text + 8, d);
    day.text[10] = 'T';
    day.days = days;
  }
  // Written by hand: snprintf was a measurable share of `outflow sessions`.
  std::memcpy(buf, day.text, 11);
  put2(buf + 11, rem / 3600);
  buf[13] = ':';
  put2(buf + 14, (rem / 60) % 60);
  buf[16] = ':';
  put2(buf + 17, rem % 60);
  buf[19] = '.';
  const int64_t us = ns / 1000;
  put2(buf + 20, us / 10000);
  put2(buf + 22, us / 100 % 100);
  put2(buf + 24, us % 100);
  buf[26] = 'Z';
  return kTimeTextSize;
}

std::string format_time(TimeNs t) {
  char buf[kTimeTextSize];
  return std::string(buf, format_time_to(t, buf));
}

}  // namespace outflow
