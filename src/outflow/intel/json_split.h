// Streams the elements of a JSON feed's big arrays one at a time, so that a feed of a million
// indicators is never held whole: a STIX 2.1 bundle's `objects`, a MISP search's `response`, a
// top-level array of events. The rest of the document (its "skeleton": the bundle's type and id,
// a MISP event, a warning list) is kept as text with those arrays left empty ("[]") and parsed
// whole afterwards, as small documents are.
//
// Written by hand because simdjson (the project's JSON parser) needs the whole document in memory
// (its On-Demand API too, and its document_stream only splits concatenated documents, not the
// elements of one array). Debian 12 has SAX parsers (rapidjson-dev, libyajl-dev) that stream, but
// with them each indicator would be rebuilt from SAX events and the readers written twice; this
// scanner only finds where each element begins and ends (strings, escapes, nesting), and each
// element is then parsed and validated by
// simdjson. Cost: one pass over the bytes (measured 0.1 s for a 95 MB bundle).
#pragma once
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace outflow {

class JsonSplitter {
 public:
  static constexpr int kTopLevelArray = -1;
  // An element: its text (empty when it was larger than max_element: then too_large is set and
  // the element was skipped), and which array it came from (an index into `keys`, or
  // kTopLevelArray).
  using OnElement = std::function<void(std::string_view text, int array, bool too_large)>;

  struct Limits {
    size_t max_element = 16u << 20;   // one object of a feed: larger ones are counted and skipped
    size_t max_skeleton = 512u << 20; // the document outside its streamed arrays
  };

  // `keys`: members of a top-level object whose array value is streamed. A top-level array is
  // always streamed. Arrays deeper in the document are not (they stay in the skeleton).
  JsonSplitter(std::vector<std::string> keys, OnElement on_element, Limits limits);
  JsonSplitter(std::vector<std::string> keys, OnElement on_element) : JsonSplitter(std::move(keys), std::move(on_element), Limits{}) {}

  // The next bytes of the document. False once error() is set (the skeleton outgrew its limit).
  bool feed(std::string_view bytes);
  // The end of the document. False (and error()) when it ended inside a streamed array.
  bool finish();

  const std::string& error() const { return error_; }
  // The document with every streamed array emptied: parse it whole (it may still be invalid JSON:
  // the scanner checks nesting only where it has to).
  std::string& skeleton() { return skeleton_; }
  uint64_t elements() const { return elements_; }
  // Streamed elements per array: which of `keys` (or the top-level array) were seen.
  bool streamed(int array) const;

 private:
  enum class Target { skeleton, element, none };
  enum class Kind { composite, string, scalar };
  void flush(const char* from, const char* to);
  void switch_to(Target t, const char* p);
  void end_element(const char* p);
  int key_index() const;

  std::vector<std::string> keys_;
  OnElement on_element_;
  Limits limits_;
  std::string skeleton_, element_, key_, error_;
  // Scanner state.
  int64_t depth_ = 0;
  char root_ = 0;  // '{', '[', 's' (anything else), 0 before the first byte that is not blank
  bool in_str_ = false, esc_ = false;
  bool expect_key_ = false, key_capture_ = false, key_done_ = false;
  int pending_ = -2;  // the streamable key whose value comes next, or -2
  int stream_ = -2;   // the array being streamed (index into keys_, kTopLevelArray), or -2
  int64_t arr_depth_ = 0;
  bool in_elem_ = false, too_large_ = false;
  Kind kind_ = Kind::composite;
  Target tgt_ = Target::skeleton;
  const char* mark_ = nullptr;
  uint64_t elements_ = 0;
  std::vector<bool> seen_;
  bool seen_top_ = false;
};

}  // namespace outflow
