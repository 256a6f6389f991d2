// A small streaming JSON writer. Output is always valid JSON and valid UTF-8: control
// characters are escaped, invalid UTF-8 bytes are replaced by U+FFFD (and counted), so a hostile
// command line can neither break a JSON consumer nor repaint a terminal.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "outflow/core/time.h"

namespace outflow {

class JsonOut {
 public:
  explicit JsonOut(std::string& buf) : buf_(buf) {}
  // A writer that starts inside an object whose '{' is not written (and whose '}' must not be):
  // what it writes is a run of members ("a":1,"b":2) for members() of another writer.
  static JsonOut in_object(std::string& buf) {
    JsonOut j(buf);
    j.push();
    return j;
  }

  JsonOut& begin_object(std::string_view key = {});
  JsonOut& end_object() {
    buf_.push_back('}');
    pop();
    return *this;
  }
  JsonOut& begin_array(std::string_view key = {});
  JsonOut& end_array() {
    buf_.push_back(']');
    pop();
    return *this;
  }
  JsonOut& str(std::string_view k, std::string_view v) {
    key(k);
    replaced_ += escape_into(buf_, v);
    return *this;
  }
  JsonOut& str_if(std::string_view key, std::string_view v) { return v.empty() ? *this : str(key, v); }
  JsonOut& num(std::string_view key, int64_t v);
  JsonOut& unum(std::string_view key, uint64_t v);
  JsonOut& dbl(std::string_view key, double v);
  JsonOut& boolean(std::string_view k, bool v) {
    key(k);
    buf_.append(v ? "true" : "false");
    return *this;
  }
  JsonOut& key_null(std::string_view key);
  // The same as str(key, format_time(t)) ("" for a time RFC 3339 cannot show), without a
  // std::string per call: three times a session line.
  JsonOut& time(std::string_view key, TimeNs t);
  // Members written earlier by an in_object() writer, appended as they are; `replaced` is that
  // writer's replaced_bytes(), so that this one's count stays what writing them here would give.
  JsonOut& members(std::string_view rendered, size_t replaced) {
    if (!rendered.empty()) {
      sep();
      buf_.append(rendered);
    }
    replaced_ += replaced;
    return *this;
  }
  // Array elements
  JsonOut& str_elem(std::string_view v) { return str({}, v); }

  size_t replaced_bytes() const { return replaced_; }
  static size_t escape_into(std::string& out, std::string_view s);  // returns replacements

 private:
  void sep() {
    if (depth_ < kBits) {
      const uint64_t bit = uint64_t{1} << depth_;
      if (!(first_ & bit)) buf_.push_back(',');
      first_ &= ~bit;
    } else {
      deep_sep();
    }
  }
  void key(std::string_view k) {
    sep();
    if (!k.empty()) {
      // Keys are this program's own ASCII literals (names from input are values, never keys),
      // so they are written as they are, not escaped.
      buf_.push_back('"');
      buf_.append(k);
      buf_.append("\":", 2);
    }
  }
  void push() {
    ++depth_;
    if (depth_ < kBits) first_ |= uint64_t{1} << depth_;
    else deep_.push_back(true);
  }
  void pop() {
    if (depth_ == 0) return;  // an unbalanced end: nothing to close
    if (depth_ >= kBits) deep_.pop_back();
    --depth_;
  }
  void deep_sep();

  std::string& buf_;
  // Level d (0 = top) has had no member yet: bit d of first_ for the first kBits levels (no
  // writer nests deeper than 4; std::vector<bool> was a measurable share of `outflow sessions`),
  // deep_[d - kBits] past them, so any depth stays correct.
  static constexpr size_t kBits = 64;
  uint64_t first_ = 1;
  size_t depth_ = 0;
  std::vector<bool> deep_;
  size_t replaced_ = 0;
};

}  // namespace outflow
