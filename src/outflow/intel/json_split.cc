#include "outflow/intel/json_split.h"

namespace outflow {

namespace {

bool blank(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

}  // namespace

JsonSplitter::JsonSplitter(std::vector<std::string> keys, OnElement on_element, Limits limits)
    : keys_(std::move(keys)), on_element_(std::move(on_element)), limits_(limits), seen_(keys_.size(), false) {}

bool JsonSplitter::streamed(int array) const {
  if (array == kTopLevelArray) return seen_top_;
  return array >= 0 && static_cast<size_t>(array) < seen_.size() && seen_[static_cast<size_t>(array)];
}

int JsonSplitter::key_index() const {
  for (size_t i = 0; i < keys_.size(); ++i)
    if (keys_[i] == key_) return static_cast<int>(i);
  return -2;
}

void JsonSplitter::flush(const char* from, const char* to) {
  if (from >= to) return;
  const size_t n = static_cast<size_t>(to - from);
  if (tgt_ == Target::skeleton) {
    if (!error_.empty()) return;
    if (skeleton_.size() + n > limits_.max_skeleton) {
      error_ = "JSON larger than " + std::to_string(limits_.max_skeleton >> 20) + " MB outside its arrays of objects: not read";
      return;
    }
    skeleton_.append(from, n);
  } else if (tgt_ == Target::element && !too_large_) {
    if (element_.size() + n > limits_.max_element) {
      too_large_ = true;
      std::string().swap(element_);  // give the memory back
      return;
    }
    element_.append(from, n);
  }
}

void JsonSplitter::switch_to(Target t, const char* p) {
  flush(mark_, p);
  tgt_ = t;
  mark_ = p;
}

void JsonSplitter::end_element(const char* p) {
  switch_to(Target::none, p);
  in_elem_ = false;
  ++elements_;
  if (stream_ == kTopLevelArray) seen_top_ = true;
  else seen_[static_cast<size_t>(stream_)] = true;
  on_element_(too_large_ ? std::string_view{} : std::string_view(element_), stream_, too_large_);
  too_large_ = false;
  element_.clear();
  if (element_.capacity() > (1u << 20)) std::string().swap(element_);  // one large object does not pin its size
}

bool JsonSplitter::feed(std::string_view bytes) {
  if (!error_.empty()) return false;
  const char* p = bytes.data();
  const char* const end = p + bytes.size();
  mark_ = p;
  while (p < end) {
    if (in_str_) {
      if (!key_capture_) {
        // Most of a feed is string contents: skip to the next quote or backslash.
        while (p < end && !esc_ && *p != '"' && *p != '\\') ++p;
        if (p == end) break;
      }
      const char c = *p;
      if (esc_) esc_ = false;
      else if (c == '\\') esc_ = true;
      else if (c == '"') {
        in_str_ = false;
        if (key_capture_) key_capture_ = false, key_done_ = true;
        if (in_elem_ && kind_ == Kind::string && depth_ == arr_depth_) {
          end_element(p + 1);
        }
        ++p;
        continue;
      }
      if (key_capture_ && key_.size() < 64) key_ += c;
      ++p;
      continue;
    }
    const char c = *p;
    // A bare scalar element (a number, true, null) ends at the first byte that cannot be in it.
    if (in_elem_ && kind_ == Kind::scalar && (c == ',' || c == ']' || c == '}' || blank(c))) end_element(p);
    // Between the elements of a streamed array: blanks and commas are dropped (the skeleton keeps
    // "[]"), its closing bracket ends it, anything else begins an element.
    if (stream_ != -2 && !in_elem_ && depth_ == arr_depth_) {
      if (blank(c) || c == ',') {
        ++p;
        continue;
      }
      if (c == ']' || c == '}') {
        switch_to(Target::skeleton, p);
        --depth_;
        stream_ = -2;
        ++p;
        continue;
      }
      switch_to(Target::element, p);
      in_elem_ = true;
      kind_ = c == '"' ? Kind::string : (c == '{' || c == '[') ? Kind::composite : Kind::scalar;
    }
    switch (c) {
      case '"':
        in_str_ = true;
        if (root_ == '{' && depth_ == 1 && expect_key_) {
          key_capture_ = true;
          key_done_ = false;
          key_.clear();
        }
        break;
      case '{':
      case '[':
        if (depth_ == 0 && root_ == 0) {
          root_ = c;
          if (c == '[') {
            // A top-level array: its elements are streamed.
            depth_ = 1;
            stream_ = kTopLevelArray;
            arr_depth_ = 1;
            switch_to(Target::none, p + 1);
            ++p;
            continue;
          }
          depth_ = 1;
          expect_key_ = true;
          break;
        }
        if (c == '[' && root_ == '{' && depth_ == 1 && pending_ >= 0 && stream_ == -2) {
          depth_ = 2;
          stream_ = pending_;
          arr_depth_ = 2;
          pending_ = -2;
          switch_to(Target::none, p + 1);
          ++p;
          continue;
        }
        ++depth_;
        break;
      case '}':
      case ']':
        if (depth_ > 0) --depth_;
        if (in_elem_ && kind_ == Kind::composite && depth_ == arr_depth_) {
          end_element(p + 1);
          ++p;
          continue;
        }
        break;
      case ',':
        if (root_ == '{' && depth_ == 1) expect_key_ = true, pending_ = -2;
        break;
      case ':':
        if (root_ == '{' && depth_ == 1 && key_done_) {
          pending_ = key_index();
          expect_key_ = false;
          key_done_ = false;
        }
        break;
      default:
        if (depth_ == 0 && root_ == 0 && !blank(c)) root_ = 's';
        break;
    }
    ++p;
  }
  flush(mark_, end);
  mark_ = nullptr;
  return error_.empty();
}

bool JsonSplitter::finish() {
  if (!error_.empty()) return false;
  if (in_elem_ && kind_ == Kind::scalar && !in_str_) end_element(nullptr);
  if (stream_ != -2) {
    const std::string which = stream_ == kTopLevelArray ? "the top-level array" : "the array \"" + keys_[static_cast<size_t>(stream_)] + "\"";
    error_ = "JSON ends inside " + which + " after " + std::to_string(elements_) + " element(s): the rest is missing";
    return false;
  }
  return true;
}

}  // namespace outflow
