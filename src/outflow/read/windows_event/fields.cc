#include <charconv>
#include <cstring>
#include <array>

#include "outflow/read/windows_event/raw_fields.h"

namespace outflow::winevent {

namespace {

struct Entry {
  std::string_view key;
  Field field;
};

// Event-data names: the same in Sysmon, Security, NXLog flat rows, Winlogbeat event_data and
// Azure EventData.
constexpr Entry kEventData[] = {
    {"ProcessGuid", Field::process_guid},
    {"ParentProcessGuid", Field::parent_process_guid},
    {"ProcessId", Field::process_id},
    {"ProcessID", Field::process_id},
    {"ParentProcessId", Field::parent_process_id},
    {"NewProcessId", Field::new_process_id},
    {"Image", Field::image},
    {"ParentImage", Field::parent_image},
    {"NewProcessName", Field::new_process_name},
    {"ParentProcessName", Field::parent_process_name},
    {"ProcessName", Field::process_name},
    {"Application", Field::application},
    {"CommandLine", Field::command_line},
    {"ParentCommandLine", Field::parent_command_line},
    {"User", Field::user},
    {"SubjectUserName", Field::subject_user},
    {"SubjectDomainName", Field::subject_domain},
    {"SubjectLogonId", Field::subject_logon_id},
    {"TargetUserName", Field::target_user},
    {"TargetDomainName", Field::target_domain},
    {"TargetLogonId", Field::target_logon_id},
    {"SubjectUserSid", Field::subject_user_sid},
    {"TargetUserSid", Field::target_user_sid},
    {"IntegrityLevel", Field::integrity_level},
    {"MandatoryLabel", Field::mandatory_label},
    {"OriginalFileName", Field::original_file_name},
    {"Company", Field::company},
    {"Hashes", Field::hashes},
    {"CurrentDirectory", Field::current_directory},
    {"SourceIp", Field::source_ip},
    {"DestinationIp", Field::destination_ip},
    {"SourcePort", Field::source_port},
    {"DestinationPort", Field::destination_port},
    {"Protocol", Field::protocol},
    {"Initiated", Field::initiated},
    {"SourceAddress", Field::source_address},
    {"DestAddress", Field::dest_address},
    {"DestPort", Field::dest_port},
    {"Direction", Field::direction},
    {"QueryName", Field::query_name},
    {"QueryResults", Field::query_results},
    {"UtcTime", Field::utc_time},
};

// Record-level names (flat NXLog, Winlogbeat 6 top level, Azure rows).
constexpr Entry kTop[] = {
    {"EventID", Field::event_id},
    {"event_id", Field::event_id},
    {"EventId", Field::event_id},
    {"SourceName", Field::provider},
    {"source_name", Field::provider},
    {"Provider", Field::provider},
    {"ProviderName", Field::provider},
    {"EventSourceName", Field::provider},
    {"Channel", Field::channel},
    {"log_name", Field::channel},
    {"computer_name", Field::host_computer_name},
    {"Computer", Field::host_computer},
    {"Hostname", Field::host_computer},
    {"@timestamp", Field::timestamp},
    {"TimeGenerated", Field::time_generated},
    {"TimeCreated", Field::system_time},
    {"EventTime", Field::event_time},
};

constexpr Entry kWinlog[] = {
    {"event_id", Field::event_id},
    {"provider_name", Field::provider},
    {"channel", Field::channel},
    {"computer_name", Field::host_computer_name},
};

// Every key of every used record is looked up, most of them names Outflow does not use.
// A small open-addressing table keyed on length and two characters rejects those with one
// probe and no string hashing (std::unordered_map measured slower than the linear scan it
// replaced; this is faster than both).
class FieldIndex {
 public:
  template <size_t N>
  void add(const Entry (&table)[N]) {
    for (const auto& e : table) {
      size_t i = slot(e.key);
      while (used_[i]) {
        if (keys_[i] == e.key) break;  // first table wins (kTop before kEventData)
        i = (i + 1) & kMask;
      }
      if (!used_[i]) {
        used_[i] = true;
        keys_[i] = e.key;
        fields_[i] = e.field;
      }
    }
  }
  bool find(std::string_view key, Field& out) const {
    if (key.empty()) return false;
    for (size_t i = slot(key);; i = (i + 1) & kMask) {
      if (!used_[i]) return false;
      if (keys_[i].size() == key.size() && std::memcmp(keys_[i].data(), key.data(), key.size()) == 0) {
        out = fields_[i];
        return true;
      }
    }
  }

 private:
  static constexpr size_t kSlots = 256, kMask = kSlots - 1;  // > 3x the entries: short probes
  static size_t slot(std::string_view k) {
    const auto a = static_cast<unsigned char>(k.front()), b = static_cast<unsigned char>(k.back());
    const auto m = static_cast<unsigned char>(k[k.size() / 2]);
    return (k.size() * 131 + a * 31 + b * 7 + m) & kMask;
  }
  std::array<std::string_view, kSlots> keys_{};
  std::array<Field, kSlots> fields_{};
  std::array<bool, kSlots> used_{};
};

template <typename... Tables>
FieldIndex make_index(const Tables&... tables) {
  FieldIndex idx;
  (idx.add(tables), ...);
  return idx;
}

}  // namespace

bool lookup_field(Scope scope, std::string_view key, Field& out) {
  switch (scope) {
    case Scope::top: {
      static const FieldIndex index = make_index(kTop, kEventData);
      return index.find(key, out);
    }
    case Scope::winlog: {
      static const FieldIndex index = make_index(kWinlog);
      return index.find(key, out);
    }
    case Scope::event_data: {
      static const FieldIndex index = make_index(kEventData);
      return index.find(key, out);
    }
    case Scope::event:
      if (key == "code") {
        out = Field::event_id;
        return true;
      }
      if (key == "provider") {
        out = Field::provider;
        return true;
      }
      return false;
    case Scope::host:
      if (key == "name") {
        out = Field::host_ecs_name;
        return true;
      }
      return false;
  }
  return false;
}

bool parse_event_data_xml(std::string_view xml, RawFields& f, std::string& scratch) {
  // Tolerant scan for <Data Name="...">value</Data>; self-closing <Data Name="x"/> is empty.
  size_t pos = 0;
  bool any = false;
  while ((pos = xml.find("<Data Name=", pos)) != std::string_view::npos) {
    pos += 11;
    if (pos >= xml.size()) break;
    const char q = xml[pos];
    if (q != '"' && q != '\'') continue;
    const size_t name_end = xml.find(q, pos + 1);
    if (name_end == std::string_view::npos) return any;
    const std::string_view name = xml.substr(pos + 1, name_end - pos - 1);
    size_t gt = xml.find('>', name_end);
    if (gt == std::string_view::npos) return any;
    std::string_view value;
    if (xml[gt - 1] == '/') {
      value = {};
      pos = gt + 1;
    } else {
      const size_t close = xml.find("</Data>", gt + 1);
      if (close == std::string_view::npos) return any;
      value = xml.substr(gt + 1, close - gt - 1);
      pos = close + 7;
    }
    Field fld;
    if (!lookup_field(Scope::event_data, name, fld)) continue;
    // Decode the five predefined XML entities and numeric references into scratch.
    const size_t start = scratch.size();
    if (scratch.capacity() - start < value.size()) continue;  // never reallocate (views live in it)
    for (size_t i = 0; i < value.size(); ++i) {
      if (value[i] != '&') {
        scratch.push_back(value[i]);
        continue;
      }
      const size_t semi = value.find(';', i);
      if (semi == std::string_view::npos || semi - i > 10) {
        scratch.push_back('&');
        continue;
      }
      const std::string_view ent = value.substr(i + 1, semi - i - 1);
      char c = 0;
      if (ent == "amp") c = '&';
      else if (ent == "lt") c = '<';
      else if (ent == "gt") c = '>';
      else if (ent == "quot") c = '"';
      else if (ent == "apos") c = '\'';
      else if (!ent.empty() && ent[0] == '#') {
        unsigned cp = 0;
        const bool hex = ent.size() > 1 && (ent[1] == 'x' || ent[1] == 'X');
        const char* b = ent.data() + (hex ? 2 : 1);
        auto r = std::from_chars(b, ent.data() + ent.size(), cp, hex ? 16 : 10);
        if (r.ec == std::errc() && cp > 0 && cp < 0x80) c = static_cast<char>(cp);
        else c = '?';
      }
      if (c == 0) {
        scratch.push_back('&');
        continue;
      }
      scratch.push_back(c);
      i = semi;
    }
    f.put(fld, std::string_view(scratch.data() + start, scratch.size() - start));
    any = true;
  }
  return any;
}

}  // namespace outflow::winevent
