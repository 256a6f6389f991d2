// Fixed-width values appended to and read from a byte string, in the machine's order: for state
// kept on this machine for one run (score/retire.cc's file), never exchanged.
#pragma once
#include <cstring>
#include <string>
#include <string_view>
#include <type_traits>

namespace outflow::byte_io {

template <class T>
void put(std::string& o, const T& v) {
  static_assert(std::is_trivially_copyable_v<T>);
  o.append(reinterpret_cast<const char*>(&v), sizeof v);
}

// False (and `in` unchanged) when fewer than sizeof(T) bytes are left.
template <class T>
bool get(std::string_view& in, T& v) {
  static_assert(std::is_trivially_copyable_v<T>);
  if (in.size() < sizeof v) return false;
  std::memcpy(&v, in.data(), sizeof v);
  in.remove_prefix(sizeof v);
  return true;
}

}  // namespace outflow::byte_io
