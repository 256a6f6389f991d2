// JSON feeds: STIX 2.1 bundles, MISP events (and a MISP feed's event files), MISP warning lists.
// Which one is recognised from the document's keys.
#include <simdjson.h>

#include "outflow/intel/feed_formats.h"
#include "outflow/intel/json_split.h"
#include "outflow/intel/stix_pattern.h"

namespace outflow {

namespace {

using simdjson::dom::array;
using simdjson::dom::element;
using simdjson::dom::object;

std::string_view str(const element& e, std::string_view key) {
  std::string_view v;
  if (e[key].get_string().get(v)) return {};
  return v;
}

struct Ctx {
  const std::string& where;
  const IndicatorMeta& base;
  IntelSet& set;
  FeedStats& st;
  uint64_t item = 0;  // the object's number in the file (JSON has no useful line numbers)
  void bad(std::string_view reason, bool unevaluable = false) {
    ++(unevaluable ? st.unevaluable : st.bad);
    st.sample(where, item, std::string(unevaluable ? "cannot evaluate: " : "") + std::string(reason));
  }
};

// --- STIX 2.1 -------------------------------------------------------------------------------

void stix_indicator(Ctx& c, const element& o) {
  if (str(o, "type") != "indicator") return;
  bool revoked = false;
  if (!o["revoked"].get_bool().get(revoked) && revoked) {
    ++c.st.skipped;
    return;
  }
  const std::string_view pt = str(o, "pattern_type");
  if (!pt.empty() && pt != "stix") return c.bad("pattern_type " + std::string(pt.substr(0, 20)), true);
  const std::string_view pattern = str(o, "pattern");
  if (pattern.empty()) return c.bad("indicator without a pattern");
  IndicatorMeta m = c.base;
  TimeNs t;
  if (parse_feed_date(str(o, "valid_from"), t)) m.valid_from = t, m.created = t;
  if (parse_feed_date(str(o, "created"), t)) m.created = t;
  if (parse_feed_date(str(o, "modified"), t)) c.st.see_date(t);
  c.st.see_date(m.created);
  if (parse_feed_date(str(o, "valid_until"), t)) m.valid_until = t;
  int64_t conf = -1;
  if (!o["confidence"].get_int64().get(conf) && conf >= 0 && conf <= 100) m.confidence = static_cast<int8_t>(conf);
  std::string label(str(o, "name").substr(0, 120));
  array types;
  if (!o["indicator_types"].get_array().get(types)) {
    std::string joined;
    for (element x : types) {
      std::string_view s;
      if (!x.get_string().get(s)) joined += (joined.empty() ? "" : ",") + std::string(s.substr(0, 40));
    }
    if (!joined.empty()) label = label.empty() ? joined : label + " (" + joined + ")";
  }
  if (!label.empty()) m.label = c.set.label(label);
  std::vector<StixTerm> terms;
  std::string reason;
  if (!parse_stix_pattern(pattern, terms, reason)) return c.bad(reason + ": " + std::string(pattern.substr(0, 80)), true);
  for (const auto& x : terms)
    if (!c.set.add_typed(x.type, x.value, m, reason)) c.bad(reason + ": " + x.value.substr(0, 80));
}

// --- MISP -----------------------------------------------------------------------------------

bool to_ids(const element& a) {
  bool b = true;
  if (!a["to_ids"].get_bool().get(b)) return b;
  std::string_view s;
  if (!a["to_ids"].get_string().get(s)) return s == "1" || s == "true";
  int64_t n;
  if (!a["to_ids"].get_int64().get(n)) return n != 0;
  return true;  // absent: MISP's default for network attributes
}

void misp_attribute(Ctx& c, const element& a, const IndicatorMeta& event) {
  ++c.item;
  std::string_view type = str(a, "type"), value = str(a, "value");
  bool deleted = false;
  if (!a["deleted"].get_bool().get(deleted) && deleted) return;
  IndicatorType t;
  bool pair_ip = false;  // domain|ip: both halves
  std::string_view base_type = type.substr(0, type.find('|'));
  if (type == "domain|ip") pair_ip = true, t = IndicatorType::domain;
  else if (base_type == "ip-dst" || base_type == "ip-src") t = IndicatorType::ipv4;
  else if (base_type == "domain" || base_type == "hostname") t = IndicatorType::domain;
  else if (type == "url") t = IndicatorType::url;  // "uri" (a path alone) and "link" (a reference) name no destination
  else {
    ++c.st.skipped;
    return;
  }
  if (!to_ids(a)) {
    ++c.st.skipped;  // not for detection
    return;
  }
  IndicatorMeta m = event;
  TimeNs tm;
  std::string_view ts;
  if (!a["timestamp"].get_string().get(ts) && parse_feed_date(ts, tm)) m.created = tm;
  if (parse_feed_date(str(a, "first_seen"), tm)) m.valid_from = tm, m.created = tm;
  if (parse_feed_date(str(a, "last_seen"), tm)) m.valid_until = tm;
  c.st.see_date(m.created);
  std::string reason;
  std::string_view first = value, second;
  if (const size_t bar = value.find('|'); bar != std::string_view::npos) first = value.substr(0, bar), second = value.substr(bar + 1);
  if (!c.set.add_typed(t, first, m, reason)) c.bad(reason + ": " + std::string(first.substr(0, 80)));
  if (pair_ip && !second.empty() && !c.set.add_typed(IndicatorType::ipv4, second, m, reason))
    c.bad(reason + ": " + std::string(second.substr(0, 80)));
}

void misp_event(Ctx& c, const element& ev) {
  IndicatorMeta m = c.base;
  TimeNs t;
  if (parse_feed_date(str(ev, "date"), t)) m.created = t, c.st.see_date(t);
  std::string_view ts;
  if (!ev["timestamp"].get_string().get(ts) && parse_feed_date(ts, t)) c.st.see_date(t);
  if (const auto info = str(ev, "info"); !info.empty()) m.label = c.set.label(info.substr(0, 160));
  array attrs;
  if (!ev["Attribute"].get_array().get(attrs))
    for (element a : attrs) misp_attribute(c, a, m);
  array objs;
  if (!ev["Object"].get_array().get(objs))
    for (element o : objs)
      if (!o["Attribute"].get_array().get(attrs))
        for (element a : attrs) misp_attribute(c, a, m);
}

// --- MISP warning lists ---------------------------------------------------------------------

std::string fmt_version(int64_t v) {
  const std::string s = std::to_string(v);
  return s.substr(0, 4) + "-" + s.substr(4, 2) + "-" + s.substr(6, 2);
}

void warninglist(Ctx& c, const element& root) {
  const std::string_view type = str(root, "type");
  array list;
  if (root["list"].get_array().get(list)) return c.bad("warning list without a list");
  IndicatorMeta m = c.base;
  if (const auto name = str(root, "name"); !name.empty()) m.label = c.set.label(name.substr(0, 160));
  int64_t version;
  TimeNs t;
  // Versions are dates (20250115) in most lists: the list's date.
  if (!root["version"].get_int64().get(version) && version > 19700101 && version < 30000101 &&
      parse_feed_date(fmt_version(version), t))
    c.st.see_date(t);
  std::string reason;
  for (element e : list) {
    ++c.item;
    std::string_view v;
    if (e.get_string().get(v)) {
      c.bad("entry is not a string");
      continue;
    }
    bool ok = true;
    if (type == "cidr") ok = c.set.add_text(v, m, reason);
    else if (type == "hostname" || type == "string") ok = c.set.add_typed(IndicatorType::domain, v, m, reason);
    else if (type == "substring") ok = c.set.add_substring(v, m, reason);
    else {
      c.bad("warning list type " + std::string(type.substr(0, 20)), true);
      continue;
    }
    if (!ok) {
      // A 'string' list may hold things that are not names (e-mail addresses, words): not ours.
      if (type == "string") ++c.st.skipped;
      else c.bad(reason + ": " + std::string(v.substr(0, 80)));
    }
  }
}


// The whole-document readers: a small document, or what JsonSplitter left of a big one.
void read_json_root(Ctx& c, const element& root) {
  FeedStats& st = c.st;
  auto event_of = [](const element& e, element& ev) { return !e["Event"].get(ev); };
  element ev;
  array arr;
  if (str(root, "type") == "bundle" || str(root, "type") == "indicator") {
    st.format = "stix2.1";
    array objs;
    if (str(root, "type") == "indicator") {
      ++c.item;
      return stix_indicator(c, root);
    }
    if (root["objects"].get_array().get(objs)) return void(st.error = "STIX bundle without objects");
    for (element o : objs) {
      ++c.item;
      stix_indicator(c, o);
    }
  } else if (root.is_object() && !root["list"].get_array().get(arr) && !str(root, "type").empty()) {
    st.format = "misp-warninglist";
    warninglist(c, root);
  } else if (root.is_object() && event_of(root, ev)) {
    st.format = "misp-event";
    misp_event(c, ev);
  } else if (root.is_object() && !root["Attribute"].get_array().get(arr)) {
    st.format = "misp-event";
    misp_event(c, root);
  } else if (root.is_object() && !root["response"].get_array().get(arr)) {
    st.format = "misp-event";  // an empty search result (a full one was streamed)
  } else {
    st.error = "JSON that is neither a STIX 2.1 bundle, a MISP event nor a MISP warning list";
  }
}

// An element of a MISP search's "response" or of a top-level array: an event, or a STIX indicator.
void array_element(Ctx& c, const element& e) {
  element ev;
  if (!e["Event"].get(ev)) {
    if (c.st.format == "json") c.st.format = "misp-event";
    misp_event(c, ev);
  } else if (str(e, "type") == "indicator") {
    c.st.format = "stix2.1";
    ++c.item;
    stix_indicator(c, e);
  }
}

std::string json_error(simdjson::error_code err) {
  return err == simdjson::DEPTH_ERROR ? "JSON nested deeper than 64 levels" : std::string("not valid JSON: ") + simdjson::error_message(err);
}

}  // namespace

void read_json_feed(ByteSource& src, const std::string& where, const IndicatorMeta& base, IntelSet& set) {
  FeedStats& st = set.stats(base.feed);
  st.format = "json";
  Ctx c{where, base, set, st};
  // Objects of the streamed arrays are parsed one at a time by one parser (its buffers grow to
  // the largest object, at most JsonSplitter's max_element).
  simdjson::dom::parser parser;
  if (parser.allocate(1 << 16, kMaxJsonDepth)) {
    st.error = "cannot allocate the JSON parser";
    return;
  }
  uint64_t stix_objects = 0;  // streamed "objects" that have a type, as STIX objects do
  const std::vector<std::string> keys{"objects", "response"};  // STIX bundle, MISP search result
  JsonSplitter split(keys, [&](std::string_view text, int which, bool too_large) {
    if (which == 0) st.format = "stix2.1";
    if (too_large) {
      ++c.item;
      return c.bad("object larger than 16 MB: skipped");
    }
    element e;
    if (const auto err = parser.parse(text.data(), text.size(), true).get(e)) {
      ++c.item;
      return c.bad(json_error(err));
    }
    if (which == 0) {
      ++c.item;
      stix_objects += str(e, "type").empty() ? 0 : 1;
      stix_indicator(c, e);
    } else {
      array_element(c, e);
    }
  }, JsonSplitter::Limits{16u << 20, kMaxJsonBytes});
  for (std::string chunk;;) {
    if (!read_up_to(src, 1 << 20, chunk)) {
      st.error = src.error();
      return;
    }
    if (chunk.empty()) break;
    if (!split.feed(chunk)) break;
  }
  if (!split.finish()) {
    st.error = split.error();
    return;
  }
  // A bundle or a search result whose objects were streamed is done; anything else (a MISP
  // event, a warning list, a single indicator, an empty bundle) is read whole.
  if (split.streamed(0) && stix_objects == 0) {
    st.format = "json";
    st.error = "JSON whose \"objects\" are not STIX objects (none has a type): not a STIX 2.1 bundle";
    return;
  }
  if (split.streamed(0) || split.streamed(1) || split.streamed(JsonSplitter::kTopLevelArray)) return;
  std::string& json = split.skeleton();
  json.reserve(json.size() + simdjson::SIMDJSON_PADDING);
  element root;
  if (const auto err = parser.parse(json.data(), json.size(), false).get(root)) {
    st.error = err == simdjson::DEPTH_ERROR ? "JSON nested deeper than 64 levels: not read" : json_error(err);
    return;
  }
  if (root.is_array()) return;  // an empty top-level array
  read_json_root(c, root);
}

}  // namespace outflow
