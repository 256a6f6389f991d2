// Small helpers for outflow_bench_gen: PRNG, buffered writer, time formatting, JSON escaping.
#pragma once

#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

namespace bench {

// xoshiro256** seeded through splitmix64: fast, deterministic on every platform.
class Rng {
 public:
  explicit Rng(std::uint64_t seed) {
    for (auto& w : s_) {
      seed += 0x9e3779b97f4a7c15ULL;
      std::uint64_t z = seed;
      z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
      z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
      w = z ^ (z >> 31);
    }
  }
  std::uint64_t next() {
    const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const std::uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }
  // Uniform in [0, n) for 0 < n < 2^32 (Lemire's multiply-shift; the tiny bias does not matter here).
  std::uint64_t below(std::uint64_t n) { return ((next() >> 32) * n) >> 32; }
  std::int64_t range(std::int64_t lo, std::int64_t hi) { return lo + static_cast<std::int64_t>(below(static_cast<std::uint64_t>(hi - lo + 1))); }
  double unit() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
  bool chance(double p) { return unit() < p; }
  double exponential(double mean) { return -std::log(1.0 - unit()) * mean; }

 private:
  static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  std::uint64_t s_[4];
};

// Buffered file writer: a fixed buffer, so memory does not depend on how much is written.
class Sink {
 public:
  explicit Sink(const char* path) : path_(path), buf_(kCap) {
    f_ = std::fopen(path, "wb");
    if (f_ == nullptr) {
      std::fprintf(stderr, "outflow_bench_gen: cannot open %s for writing\n", path);
      std::exit(1);
    }
  }
  Sink(const Sink&) = delete;
  Sink& operator=(const Sink&) = delete;
  ~Sink() { close(); }

  void put(std::string_view s) {
    if (n_ + s.size() > kCap) flush();
    std::memcpy(buf_.data() + n_, s.data(), s.size());
    n_ += s.size();
  }
  void put(char c) {
    if (n_ + 1 > kCap) flush();
    buf_[n_++] = c;
    if (c == '\n') ++lines_;
  }
  void num(std::int64_t v) {
    if (n_ + 24 > kCap) flush();
    n_ = static_cast<std::size_t>(std::to_chars(buf_.data() + n_, buf_.data() + n_ + 24, v).ptr - buf_.data());
  }
  // Zero-padded decimal of a fixed width.
  void padded(std::uint64_t v, int width) {
    char tmp[24];
    for (int i = width - 1; i >= 0; --i, v /= 10) tmp[i] = static_cast<char>('0' + v % 10);
    put(std::string_view(tmp, static_cast<std::size_t>(width)));
  }
  void hex(std::uint64_t v, int width) {
    static constexpr char kDigits[] = "0123456789abcdef";
    char tmp[16];
    for (int i = width - 1; i >= 0; --i, v >>= 4) tmp[i] = kDigits[v & 15];
    put(std::string_view(tmp, static_cast<std::size_t>(width)));
  }
  void ip(std::uint32_t a) {
    num(a >> 24), put('.'), num((a >> 16) & 255), put('.'), num((a >> 8) & 255), put('.'), num(a & 255);
  }
  // Seconds with six decimals, as Zeek writes ts and duration.
  void micros(std::int64_t us) {
    num(us / 1000000);
    put('.');
    padded(static_cast<std::uint64_t>(us % 1000000), 6);
  }
  void flush() {
    if (n_ != 0 && std::fwrite(buf_.data(), 1, n_, f_) != n_) {
      std::fprintf(stderr, "outflow_bench_gen: write to %s failed\n", path_.c_str());
      std::exit(1);
    }
    written_ += n_;
    n_ = 0;
  }
  void close() {
    if (f_ == nullptr) return;
    flush();
    if (std::fclose(f_) != 0) {
      std::fprintf(stderr, "outflow_bench_gen: closing %s failed\n", path_.c_str());
      std::exit(1);
    }
    f_ = nullptr;
  }
  std::uint64_t bytes() const { return written_ + n_; }
  std::uint64_t lines() const { return lines_; }

 private:
  static constexpr std::size_t kCap = 1 << 22;
  std::string path_;
  std::vector<char> buf_;
  std::FILE* f_ = nullptr;
  std::size_t n_ = 0;
  std::uint64_t written_ = 0;
  std::uint64_t lines_ = 0;
};

// Formats "YYYY-MM-DD?HH:MM:SS" from Unix seconds, caching the last second formatted.
class TimeFmt {
 public:
  explicit TimeFmt(char date_time_sep, char date_sep = '-', char time_sep = ':')
      : sep_(date_time_sep), dsep_(date_sep), tsep_(time_sep) {}
  std::string_view format(std::int64_t sec) {
    if (sec != cached_) {
      cached_ = sec;
      std::int64_t days = sec / 86400, rem = sec % 86400;
      if (rem < 0) rem += 86400, --days;
      // Howard Hinnant's civil_from_days.
      const std::int64_t z = days + 719468;
      const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
      const std::int64_t doe = z - era * 146097;
      const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
      const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
      const std::int64_t mp = (5 * doy + 2) / 153;
      const std::int64_t d = doy - (153 * mp + 2) / 5 + 1;
      const std::int64_t m = mp < 10 ? mp + 3 : mp - 9;
      const std::int64_t y = yoe + era * 400 + (m <= 2);
      const std::int64_t fields[] = {y, m, d, rem / 3600, rem / 60 % 60, rem % 60};
      const int widths[] = {4, 2, 2, 2, 2, 2};
      const char seps[] = {dsep_, dsep_, sep_, tsep_, tsep_, '\0'};
      char* p = buf_;
      for (int i = 0; i < 6; ++i) {
        std::int64_t v = fields[i];
        for (int k = widths[i] - 1; k >= 0; --k, v /= 10) p[k] = static_cast<char>('0' + v % 10);
        p += widths[i];
        if (seps[i] != '\0') *p++ = seps[i];
      }
    }
    return {buf_, 19};
  }

 private:
  char sep_, dsep_, tsep_;
  std::int64_t cached_ = INT64_MIN;
  char buf_[20] = {};
};

inline std::string json_escape(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 8);
  for (const char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default: out += c;
    }
  }
  return out;
}

inline std::uint32_t parse_ipv4(const char* s) {
  std::uint32_t a = 0;
  for (int i = 0; i < 4; ++i) {
    char* end = nullptr;
    a = (a << 8) | static_cast<std::uint32_t>(std::strtoul(s, &end, 10));
    s = (*end == '.') ? end + 1 : end;
  }
  return a;
}

}  // namespace bench
