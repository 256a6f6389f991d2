// The fields of one Windows event, as views into the reader's buffers, gathered from whichever
// shape the record has: JSON lines (flat NXLog/Sysmon names, Winlogbeat 6/7 `event_data`/`winlog`,
// ECS `event.code`/`host.name`, Azure rows with `EventData` as embedded JSON or XML) or an EVTX
// record (System and EventData/Data). The views are valid until the next record is read.
// Both readers turn them into a HostEvent with the one to_host_event(), so a field means the same
// whatever the input.
#pragma once
#include <array>
#include <cstdint>
#include <string_view>

#include "outflow/model/events.h"

namespace outflow::winevent {

enum class Field : uint8_t {
  // identity of the record
  event_id, provider, channel,
  host_computer_name,  // winlog.computer_name / computer_name: the originating host
  host_computer,       // Computer (Azure), Hostname (NXLog)
  host_plain,          // "host" as a string (NXLog sometimes)
  host_ecs_name,       // host.name: in WEF setups this is the collector, so lowest priority
  utc_time, system_time, timestamp, time_generated, event_time,
  // process
  process_guid, parent_process_guid, process_id, parent_process_id, new_process_id,
  image, parent_image, new_process_name, parent_process_name, process_name, application,
  command_line, parent_command_line, user, subject_user, subject_domain, subject_logon_id,
  target_user, target_domain, target_logon_id, subject_user_sid, target_user_sid, integrity_level, mandatory_label,
  original_file_name, company, hashes, current_directory,
  // network
  source_ip, destination_ip, source_port, destination_port, protocol, initiated,
  source_address, dest_address, dest_port, direction,
  // dns
  query_name, query_results,
  kCount
};

struct RawFields {
  std::array<std::string_view, static_cast<size_t>(Field::kCount)> v{};
  std::array<bool, static_cast<size_t>(Field::kCount)> set{};

  // EVTX's System/TimeCreated arrives as a FILETIME, already a time: no text to parse.
  TimeNs system_time_ns = kNoTime;

  void clear() {
    set.fill(false);
    system_time_ns = kNoTime;
  }
  void put(Field f, std::string_view s) {
    const auto i = static_cast<size_t>(f);
    if (!set[i]) {  // first value wins: outer (record-level) fields are seen first
      v[i] = s;
      set[i] = true;
    }
  }
  void put_override(Field f, std::string_view s) {
    const auto i = static_cast<size_t>(f);
    v[i] = s;
    set[i] = true;
  }
  bool has(Field f) const { return set[static_cast<size_t>(f)]; }
  std::string_view get(Field f) const { return has(f) ? v[static_cast<size_t>(f)] : std::string_view{}; }
};

// Maps a key (in the context of the object it appears in) to a Field. Returns false for keys
// Outflow does not use.
enum class Scope : uint8_t { top, winlog, event_data, event, host };
bool lookup_field(Scope scope, std::string_view key, Field& out);

// Whether an event id is one Outflow uses (any provider).
inline bool interesting_event_id(uint64_t id) {
  return id == 1 || id == 3 || id == 5 || id == 22 || id == 4688 || id == 4689 || id == 5156;
}

// Whether a record of this id, provider and channel is one Outflow uses: Sysmon 1/3/5/22 from
// Sysmon, Security 4688/4689/5156 from the Security log. A record naming neither provider nor
// channel is taken on its id alone.
bool wanted_event(uint64_t id, std::string_view provider, std::string_view channel);

// Limits of what a HostEvent holds (docs/robustness.md): longer text fields are cut and end in
// "…"; a longer host name (DNS allows 253) makes the record bad.
inline constexpr size_t kMaxFieldBytes = 96 * 1024;
inline constexpr size_t kMaxHostNameBytes = 255;

enum class Verdict { ok, skip, bad };
// Builds the HostEvent. On skip (an event Outflow does not use) `why` names it for counting;
// on bad, `why` is the reason.
Verdict to_host_event(const RawFields& f, HostEvent& e, std::string_view& why);

// Parses `<EventData><Data Name="X">v</Data>...` (Azure SecurityEvent rows) into `f`. Decoded
// values are appended to `scratch` (which must not reallocate: reserve first), and the views
// point into it.
bool parse_event_data_xml(std::string_view xml, RawFields& f, std::string& scratch);

}  // namespace outflow::winevent
