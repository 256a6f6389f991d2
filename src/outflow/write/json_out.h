// A small streaming JSON writer. Output is always valid JSON and valid UTF-8: control
// characters are escaped, invalid UTF-8 bytes are replaced by U+FFFD (and counted), so a hostile
// command line can neither break a JSON consumer nor repaint a terminal.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace outflow {

class JsonOut {
 public:
  explicit JsonOut(std::string& buf) : buf_(buf) {}

  JsonOut& begin_object(std::string_view key = {});
  JsonOut& end_object();
  JsonOut& begin_array(std::string_view key = {});
  JsonOut& end_array();
  JsonOut& str(std::string_view key, std::string_view v);
  JsonOut& str_if(std::string_view key, std::string_view v) { return v.empty() ? *this : str(key, v); }
  JsonOut& num(std::string_view key, int64_t v);
  JsonOut& unum(std::string_view key, uint64_t v);
  JsonOut& dbl(std::string_view key, double v);
  JsonOut& boolean(std::string_view key, bool v);
  JsonOut& key_null(std::string_view key);
  // Array elements
  JsonOut& str_elem(std::string_view v) { return str({}, v); }

  size_t replaced_bytes() const { return replaced_; }
  static size_t escape_into(std::string& out, std::string_view s);  // returns replacements

 private:
  void sep();
  void key(std::string_view k);
  std::string& buf_;
  std::vector<bool> first_{true};
  size_t replaced_ = 0;
};

}  // namespace outflow
