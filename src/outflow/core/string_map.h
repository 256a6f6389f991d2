// A hash map keyed by std::string that is looked up by std::string_view without building a
// string (C++20 heterogeneous lookup): the join's name tables are probed once per record, and a
// temporary std::string per probe (an allocation for names past 15 bytes) was measurable.
#pragma once
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace outflow {

struct StringViewHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>()(s); }
};

template <class V>
using StringMap = std::unordered_map<std::string, V, StringViewHash, std::equal_to<>>;

}  // namespace outflow
