// JsonSplitter: where each element of a streamed array begins and ends, whatever the chunking,
// the strings and the nesting; what stays in the skeleton; limits and truncation.
#include "outflow/intel/json_split.h"

#include <gtest/gtest.h>

namespace outflow {
namespace {

struct Split {
  std::vector<std::string> elements;
  std::vector<int> arrays;
  uint64_t too_large = 0;
  std::string skeleton, error;
  bool ok = false;
};

// Fed in chunks of `step` bytes (0: whole).
Split run(const std::string& doc, size_t step = 0, JsonSplitter::Limits lim = {}, std::vector<std::string> keys = {"objects", "response"}) {
  Split r;
  JsonSplitter s(std::move(keys), [&](std::string_view t, int a, bool big) {
    r.elements.emplace_back(t);
    r.arrays.push_back(a);
    r.too_large += big;
  }, lim);
  bool fed = true;
  if (step == 0) fed = s.feed(doc);
  else
    for (size_t i = 0; i < doc.size() && fed; i += step) fed = s.feed(std::string_view(doc).substr(i, step));
  r.ok = fed && s.finish();
  r.error = s.error();
  r.skeleton = s.skeleton();
  return r;
}

const std::string kBundle = R"( {"type": "bundle", "id": "bundle--1",
  "objects": [
    {"type": "indicator", "pattern": "[domain-name:value = 'a\"]}b.example']", "name": "x, [y] {z}"},
    {"type": "malware", "aliases": ["p", "q"], "nested": {"objects": [1, 2]}},
    {"type": "indicator", "pattern": "[ipv4-addr:value = '198.51.100.7']", "esc": "\\\\\"", "objects": "not a key"}
  ],
  "spec": "objects"} )";

TEST(JsonSplitter, StreamsTheObjectsOfABundleAndKeepsTheRest) {
  const Split whole = run(kBundle);
  ASSERT_TRUE(whole.ok) << whole.error;
  ASSERT_EQ(whole.elements.size(), 3u);
  EXPECT_EQ(whole.elements[0], R"({"type": "indicator", "pattern": "[domain-name:value = 'a\"]}b.example']", "name": "x, [y] {z}"})");
  EXPECT_EQ(whole.elements[1], R"({"type": "malware", "aliases": ["p", "q"], "nested": {"objects": [1, 2]}})");
  EXPECT_EQ(whole.elements[2], R"({"type": "indicator", "pattern": "[ipv4-addr:value = '198.51.100.7']", "esc": "\\\\\"", "objects": "not a key"})");
  EXPECT_EQ(whole.arrays, (std::vector<int>{0, 0, 0}));
  EXPECT_EQ(whole.skeleton, R"( {"type": "bundle", "id": "bundle--1",
  "objects": [],
  "spec": "objects"} )");
  // Every chunking gives the same split: element, string and escape boundaries across chunks.
  for (size_t step : {1, 2, 3, 7, 64}) {
    const Split s = run(kBundle, step);
    EXPECT_TRUE(s.ok) << step;
    EXPECT_EQ(s.elements, whole.elements) << step;
    EXPECT_EQ(s.skeleton, whole.skeleton) << step;
  }
}

TEST(JsonSplitter, TopLevelArrayOfAnyValues) {
  const std::string doc = R"([{"Event": {"info": "a"}}, "s,]\"", 12.5e3 , true,null,[1,[2]], {}])";
  for (size_t step : {0, 1, 5}) {
    const Split s = run(doc, step);
    ASSERT_TRUE(s.ok) << s.error;
    EXPECT_EQ(s.elements, (std::vector<std::string>{R"({"Event": {"info": "a"}})", R"("s,]\"")", "12.5e3", "true", "null", "[1,[2]]", "{}"}))
        << step;
    EXPECT_EQ(s.arrays, std::vector<int>(7, JsonSplitter::kTopLevelArray));
    EXPECT_EQ(s.skeleton, "[]");
  }
}

TEST(JsonSplitter, ArraysOtherThanTheNamedOnesStayInTheSkeleton) {
  // A warning list's "list", a MISP event's "Attribute": parsed whole, not streamed.
  const std::string doc = R"({"list": ["a.example", "b.example"], "name": "x", "type": "hostname", "Event": {"objects": [1]}})";
  const Split s = run(doc, 3);
  ASSERT_TRUE(s.ok);
  EXPECT_TRUE(s.elements.empty());
  EXPECT_EQ(s.skeleton, doc);
  // A MISP search result, and both keys in one document.
  const Split r = run(R"({"response": [{"Event": {}}, {"Event": {"info": "b"}}], "objects": [{"type": "x"}]})");
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(r.arrays, (std::vector<int>{1, 1, 0}));
  EXPECT_EQ(r.skeleton, R"({"response": [], "objects": []})");
  // "objects" whose value is not an array is not streamed; a later array of another key neither.
  const Split o = run(R"({"objects": {"a": [1, 2]}, "x": [3]})");
  EXPECT_TRUE(o.elements.empty());
}

TEST(JsonSplitter, OversizedElementIsSkippedAndTheNextOnesRead) {
  const std::string big = "{\"type\": \"indicator\", \"pad\": \"" + std::string(5000, 'x') + "\"}";
  const std::string doc = R"({"objects": [{"a": 1}, )" + big + R"(, {"b": 2}]})";
  JsonSplitter::Limits lim;
  lim.max_element = 1000;
  for (size_t step : {0, 1, 100}) {
    const Split s = run(doc, step, lim);
    ASSERT_TRUE(s.ok) << s.error;
    EXPECT_EQ(s.elements, (std::vector<std::string>{R"({"a": 1})", "", R"({"b": 2})"})) << step;
    EXPECT_EQ(s.too_large, 1u);
  }
}

TEST(JsonSplitter, TruncatedOrTooLargeDocumentsSayWhy) {
  Split s = run(R"({"type": "bundle", "objects": [{"a": 1}, {"b": )");
  EXPECT_FALSE(s.ok);
  EXPECT_EQ(s.elements.size(), 1u);  // what came whole was read
  EXPECT_NE(s.error.find("ends inside the array \"objects\" after 1 element"), std::string::npos) << s.error;
  s = run("[1, 2");
  EXPECT_FALSE(s.ok);
  EXPECT_NE(s.error.find("top-level array"), std::string::npos) << s.error;
  JsonSplitter::Limits lim;
  lim.max_skeleton = 100;
  s = run(R"({"list": [")" + std::string(200, 'a') + R"("], "objects": [{"a": 1}]})", 10, lim);
  EXPECT_FALSE(s.ok);
  EXPECT_NE(s.error.find("outside its arrays"), std::string::npos) << s.error;
  // Not JSON at all: nothing streamed, the skeleton holds it for the parser to refuse.
  s = run("hello");
  EXPECT_TRUE(s.ok);
  EXPECT_EQ(s.skeleton, "hello");
  // Nested a thousand levels: the scanner keeps a count, not a stack.
  s = run(std::string(1000, '[') + std::string(1000, ']'));
  EXPECT_TRUE(s.ok);
  ASSERT_EQ(s.elements.size(), 1u);
  EXPECT_EQ(s.elements[0].size(), 1998u);
}

}  // namespace
}  // namespace outflow
