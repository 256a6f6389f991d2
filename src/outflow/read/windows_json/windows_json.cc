// Windows events as JSON lines, in every shape found in the field (see raw_fields.h), parsed in
// place with simdjson On-Demand: only the keys Outflow uses are unescaped, everything else is
// skipped without being materialised, and a record of an unused event id is abandoned as soon
// as its id is seen.
#include <simdjson.h>

#include <charconv>
#include <string>
#include <vector>

#include "outflow/core/utf8.h"
#include "outflow/read/input.h"
#include "outflow/read/windows_event/raw_fields.h"

namespace outflow {

namespace {

using namespace simdjson;
using winevent::Field;
using winevent::RawFields;
using winevent::Scope;

enum class Walk { ok, skip, error };

// What a skipped record was, counted without building a string per record (most records of a
// Sysmon log are skipped); names are made once at the end of the file.
struct SkipKey {
  enum Kind : uint8_t { unused_id, other_provider, no_event_id } kind = unused_id;
  uint64_t id = 0;
  bool operator==(const SkipKey& o) const { return kind == o.kind && id == o.id; }
  std::string name() const {
    switch (kind) {
      case unused_id: return "windows event " + std::to_string(id);
      case other_provider: return "windows event " + std::to_string(id) + " (other provider)";
      case no_event_id: return "json records without a Windows event id";
    }
    return {};
  }
};

class WindowsJsonParser {
 public:
  // Parses one line into host_event. Returns ok, skip (unused event; `skip` says which) or
  // error (`why` is the reason).
  Walk parse(std::string_view line, HostEvent& e, std::string_view& why, SkipKey& skip) {
    raw_.clear();
    xml_scratch_.clear();
    embedded_seen_ = false;
    ondemand::document doc;
    auto err = outer_.iterate(padded_string_view(line.data(), line.size(), line.size() + LineReader::kPadding)).get(doc);
    if (err) return fail(err, why);
    ondemand::object obj;
    if ((err = doc.get_object().get(obj))) return fail(err, why);
    const Walk w = walk(obj, Scope::top, 0, why);
    if (w != Walk::ok) {
      if (w == Walk::skip) skip = {SkipKey::unused_id, event_id()};
      return w;
    }
    const auto verdict = winevent::to_host_event(raw_, e, why);
    if (verdict == winevent::Verdict::ok) return Walk::ok;
    if (verdict == winevent::Verdict::skip) {
      if (why == "no_event_id") {
        skip = {SkipKey::no_event_id, 0};
        return Walk::skip;
      }
      skip = {SkipKey::other_provider, event_id()};
      return Walk::skip;
    }
    return Walk::error;
  }

 private:
  uint64_t event_id() const {
    const auto s = raw_.get(Field::event_id);
    uint64_t id = 0;
    std::from_chars(s.data(), s.data() + s.size(), id);
    return id;
  }

  static Walk fail(error_code err, std::string_view& why) {
    switch (err) {
      case UTF8_ERROR: why = "json: invalid UTF-8"; break;
      case STRING_ERROR: why = "json: bad string escape"; break;
      case UNESCAPED_CHARS: why = "json: unescaped control character in a string"; break;
      case TAPE_ERROR: why = "json: malformed (TAPE_ERROR)"; break;
      case INCORRECT_TYPE: why = "json: not an object or unexpected value type"; break;
      case UNCLOSED_STRING: why = "json: unclosed string"; break;
      case DEPTH_ERROR: why = "json: nested too deeply"; break;
      case CAPACITY: why = "json: document too large"; break;
      case EMPTY: why = "json: empty"; break;
      default: why = "json: malformed"; break;
    }
    return Walk::error;
  }

  // Reads a scalar value as text: strings unescaped, numbers and booleans as their token.
  // False for null, objects and arrays, and for a string that cannot be unescaped (`err` set:
  // a lone surrogate escape must reach the repair path, not silently drop the field).
  static bool scalar_text(ondemand::value& v, std::string_view& out, error_code& err) {
    ondemand::json_type t;
    if (v.type().get(t)) return false;
    switch (t) {
      case ondemand::json_type::string:
        err = v.get_string().get(out);
        return !err;
      case ondemand::json_type::number:
      case ondemand::json_type::boolean: {
        out = v.raw_json_token();
        while (!out.empty() && (out.back() == ' ' || out.back() == '\t' || out.back() == '\r' ||
                                out.back() == '\n' || out.back() == ',' || out.back() == '}' ||
                                out.back() == ']'))
          out.remove_suffix(1);
        return true;
      }
      default:
        return false;  // null, objects and arrays are not scalar fields
    }
  }

  Walk walk(ondemand::object& obj, Scope scope, int depth, std::string_view& why) {
    if (depth > 4) return Walk::ok;
    for (auto field_r : obj) {
      ondemand::field field;
      if (auto err = std::move(field_r).get(field)) return fail(err, why);
      std::string_view key;
      if (auto err = field.unescaped_key().get(key)) return fail(err, why);
      ondemand::value val = field.value();

      // Containers that hold fields we use.
      if (scope == Scope::top || scope == Scope::winlog) {
        Scope inner;
        bool container = true;
        if (key == "winlog" && scope == Scope::top) inner = Scope::winlog;
        else if (key == "event_data" || key == "EventData") inner = Scope::event_data;
        else if (key == "event" && scope == Scope::top) inner = Scope::event;
        else if (key == "host" && scope == Scope::top) inner = Scope::host;
        else container = false;
        if (container) {
          ondemand::json_type t;
          if (auto err = val.type().get(t)) return fail(err, why);
          if (t == ondemand::json_type::object) {
            ondemand::object sub;
            if (auto err = val.get_object().get(sub)) return fail(err, why);
            const Walk w = walk(sub, inner, depth + 1, why);
            if (w != Walk::ok) return w;
            continue;
          }
          if (t == ondemand::json_type::string) {
            std::string_view s;
            if (auto err = val.get_string().get(s)) return fail(err, why);
            if (inner == Scope::host) {
              raw_.put(Field::host_plain, s);
            } else if (inner == Scope::event_data) {
              const Walk w = embedded_event_data(s, depth, why);
              if (w != Walk::ok) return w;
            }
            continue;
          }
          continue;
        }
      }

      Field f;
      if (!winevent::lookup_field(scope, key, f)) continue;
      std::string_view text;
      error_code serr = SUCCESS;
      if (!scalar_text(val, text, serr)) {
        if (serr) return fail(serr, why);
        continue;
      }
      raw_.put(f, text);
      if (f == Field::event_id) {
        // Abandon unused events early: most of a Sysmon log is events 7, 10, 12, 13.
        uint64_t id = 0;
        const auto r = std::from_chars(text.data(), text.data() + text.size(), id);
        if (r.ec == std::errc() && !winevent::interesting_event_id(id)) return Walk::skip;
      }
    }
    return Walk::ok;
  }

  // Azure rows carry EventData as a string holding JSON (Sysmon) or XML (Security).
  Walk embedded_event_data(std::string_view s, int depth, std::string_view& why) {
    // Only the first EventData string of a record is read: the fields already taken point into
    // inner_buf_, the inner parser and xml_scratch_, which a second one would reallocate (a
    // use-after-free found by fuzzing). First value wins anyway, as everywhere in RawFields.
    if (embedded_seen_) return Walk::ok;
    embedded_seen_ = true;
    size_t i = 0;
    while (i < s.size() && (s[i] == ' ' || s[i] == '\r' || s[i] == '\n' || s[i] == '\t')) ++i;
    if (i < s.size() && s[i] == '{') {
      inner_buf_.assign(s.data(), s.size());
      inner_buf_.append(SIMDJSON_PADDING, '\0');
      ondemand::document doc;
      auto err = inner_.iterate(padded_string_view(inner_buf_.data(), s.size(), inner_buf_.size())).get(doc);
      if (err) return fail(err, why);
      ondemand::object obj;
      if ((err = doc.get_object().get(obj))) return fail(err, why);
      return walk(obj, Scope::event_data, depth + 1, why);
    }
    if (i < s.size() && s[i] == '<') {
      xml_scratch_.reserve(s.size() + 16);
      winevent::parse_event_data_xml(s, raw_, xml_scratch_);
    }
    return Walk::ok;
  }

  ondemand::parser outer_, inner_;
  std::string inner_buf_, xml_scratch_;
  bool embedded_seen_ = false;
  RawFields raw_;
};

bool blank(std::string_view s) {
  for (char c : s)
    if (c != ' ' && c != '\t' && c != '\r') return false;
  return true;
}

}  // namespace

bool read_windows_json(LineReader& lines, ReadContext& ctx) {
  WindowsJsonParser parser;
  HostEvent ev;
  std::string repaired, utf8_fixed;
  SkipKey skip;
  // Skip counts are aggregated locally in a short list (a few distinct event ids per file).
  std::vector<std::pair<SkipKey, uint64_t>> skipped;
  auto count_skip = [&](const SkipKey& k) {
    for (auto& [key, n] : skipped)
      if (key == k) {
        ++n;
        return;
      }
    skipped.emplace_back(k, 1);
  };
  auto flush_skips = [&] {
    for (const auto& [k, n] : skipped) ctx.diag.skipped(k.name(), n);
  };
  uint64_t repaired_lines = 0;
  for (;;) {
    std::string_view line;
    const auto st = lines.next(line);
    if (st == LineReader::Status::end) break;
    if (st == LineReader::Status::error) {
      ctx.diag.bad_record(ctx.file, lines.line_number(), lines.bytes_consumed(), "read error: " + lines.error());
      flush_skips();
      return false;
    }
    if (st == LineReader::Status::too_long) {
      ++ctx.stats.bad;
      ctx.diag.bad_record(ctx.file, lines.line_number(), lines.line_offset(), "line too long");
      continue;
    }
    if (blank(line)) continue;
    std::string_view why;
    Walk w = parser.parse(line, ev, why, skip);
    if (w == Walk::error && (why == "json: invalid UTF-8" || why == "json: bad string escape")) {
      // Replace invalid sequences and lone UTF-16 surrogate escapes ("\ud800") with U+FFFD
      // and try again: one bad byte in a command line must not lose the whole event.
      utf8_fixed.clear();
      repair_utf8(line, utf8_fixed);
      repaired.clear();
      repair_json_surrogates(utf8_fixed, repaired);
      const size_t n = repaired.size();
      repaired.append(LineReader::kPadding, '\0');
      w = parser.parse(std::string_view(repaired.data(), n), ev, why, skip);
      if (w != Walk::error) {
        ++repaired_lines;
        ev.invalid_utf8 = true;
      }
    }
    switch (w) {
      case Walk::ok:
        ++ctx.stats.host_events;
        ctx.sink.on_host_event(ev);
        break;
      case Walk::skip:
        count_skip(skip);
        break;
      case Walk::error:
        ++ctx.stats.bad;
        ctx.diag.bad_record(ctx.file, lines.line_number(), lines.line_offset(), std::string(why));
        break;
    }
  }
  uint64_t no_id = 0;
  for (const auto& [k, n] : skipped)
    if (k.kind == SkipKey::no_event_id) no_id = n;
  if (no_id > 0 && ctx.stats.host_events == 0 && no_id * 2 >= lines.line_number())
    ctx.diag.bad_input(ctx.file, "JSON lines, but not Windows events (no EventID / event_id / winlog.event_id): not understood");
  flush_skips();
  if (repaired_lines)
    ctx.diag.skipped("json lines with invalid UTF-8 or lone surrogates repaired (U+FFFD)", repaired_lines);
  return true;
}

}  // namespace outflow
