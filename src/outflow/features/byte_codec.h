// Fixed-width numbers in the machine's order and length-prefixed strings, with bounds checks:
// how evidence attached to an activity (AppEvidence, DistinctCounter) is written to the
// retired-activity file (score/retire.h) and read back, on the same machine in the same run.
#pragma once
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <type_traits>

namespace outflow::codec {

template <class T>
void put(std::string& out, T v) {
  static_assert(std::is_trivially_copyable_v<T>);
  out.append(reinterpret_cast<const char*>(&v), sizeof v);
}
template <class T>
bool take(std::string_view& in, T& v) {
  if (in.size() < sizeof v) return false;
  std::memcpy(&v, in.data(), sizeof v);
  in.remove_prefix(sizeof v);
  return true;
}
inline void put_str(std::string& out, const std::string& s) {
  put(out, static_cast<uint32_t>(s.size()));
  out.append(s);
}
inline bool take_str(std::string_view& in, std::string& s) {
  uint32_t n = 0;
  if (!take(in, n) || in.size() < n) return false;
  s.assign(in.data(), n);
  in.remove_prefix(n);
  return true;
}

}  // namespace outflow::codec
