#include "outflow/write/clock_report.h"

#include <fmt/format.h>

#include <cmath>

#include "outflow/write/terminal.h"

namespace outflow {

namespace {

// Host time minus sensor time, the way people read a clock: "-1d 09:40:16" or "+2.1 s".
std::string skew_text(TimeNs offset) {
  const TimeNs d = -offset;
  const double s = std::fabs(static_cast<double>(d) / 1e9);
  const char* sign = d < 0 ? "-" : "+";
  if (s < 120) return fmt::format("{}{:.1f} s", sign, s);
  if (s < 7200) return fmt::format("{}{:.1f} min", sign, s / 60);
  if (s < 3 * 86400) return fmt::format("{}{:.2f} h", sign, s / 3600);
  return fmt::format("{}{:.2f} d", sign, s / 86400);
}

}  // namespace

std::string event_type_name(uint16_t id) {
  if (id == 1 || id == 3 || id == 5 || id == 22) return fmt::format("Sysmon {}", id);
  if (id >= 4000 && id < 6000) return fmt::format("Security {}", id);
  return fmt::format("event {}", id);
}

std::string clock_key_name(const ClockKey& k) {
  return event_type_name(k.event_id) + " " + time_field_name(k.field);
}

std::vector<std::string> clock_anomalies(const SessionPipeline& p, HostId host) {
  std::vector<std::string> out;
  const std::string& name = p.hosts().display_name(host);
  for (const ClockReport& r : p.offsets().report(host)) {
    const std::string key = clock_key_name(r.key);
    if (r.pieces.size() > 1) {
      std::string steps;
      for (const auto& x : r.pieces)
        steps += (steps.empty() ? "" : ", then from ") +
                 (x.from == kNoTime ? std::string("first") : format_time(x.from).substr(0, 19)) + " " + skew_text(x.offset);
      out.push_back(fmt::format("{}: the clock of {} jumped during the recording: {} (host time minus sensor time); "
                                "each stretch is corrected with its own offset",
                                name, key, steps));
    } else if (!r.pieces.empty() && std::llabs(r.pieces[0].offset) > 300 * kNsPerSec) {
      out.push_back(fmt::format("{}: {} times are {} off the flow sensor's ({}: {} sample(s)): a time zone or clock "
                                "problem; the join corrects for it",
                                name, key, skew_text(r.pieces[0].offset),
                                r.source == OffsetSource::inherited
                                    ? "taken from " + event_type_name(r.from_event) + " of the same field"
                                    : std::string(offset_source_name(r.source)),
                                r.pieces[0].samples));
    }
    if (r.disagreements > 0)
      out.push_back(fmt::format("{}: {} of {} processes connect before their own start on the corrected clocks ({} vs "
                                "their connection events): the offsets disagree",
                                name, r.disagreements, r.checks, key));
    if (is_connect_event(r.key.event_id) && r.source == OffsetSource::none && r.events > 0)
      out.push_back(fmt::format("{}: the clock of {} could not be estimated ({} events, {} unique 5-tuple matches): its "
                                "sessions are matched only within +- --window-unknown-offset",
                                name, key, r.events, r.samples));
  }
  return out;
}


void clocks_text(std::string& o, const SessionPipeline& p) {
  o += "\nCLOCKS (host time minus sensor time, per event type and time field)\n";
  o += fmt::format("  {:<28} {:<26} {:>14} {:>9} {:>8}  {}\n", "host", "events", "offset", "samples", "events", "from");
  for (HostId h : p.offsets().hosts()) {
    for (const ClockReport& r : p.offsets().report(h)) {
      const std::string off = r.pieces.empty() ? "unknown" : skew_text(r.pieces[0].offset);
      std::string from = r.source == OffsetSource::inherited ? "taken from " + event_type_name(r.from_event)
                                                             : std::string(offset_source_name(r.source));
      if (r.prior) from += " (from the survey of the inputs' first part)";
      if (r.checks) from += fmt::format("; {} start checks, {} disagree", r.checks, r.disagreements);
      if (r.outliers) from += fmt::format("; {} outliers", r.outliers);
      o += fmt::format("  {:<28} {:<26} {:>14} {:>9} {:>8}  {}\n", terminal_safe(p.hosts().display_name(h), 28),
                       clock_key_name(r.key), off, r.samples, r.events, from);
      for (size_t i = 1; i < r.pieces.size(); ++i)
        o += fmt::format("  {:<28} {:<26} {:>14} {:>9} {:>8}  from {}\n", "", "", skew_text(r.pieces[i].offset),
                         r.pieces[i].samples, "", format_time(r.pieces[i].from).substr(0, 19));
    }
  }
}

void clocks_json(JsonOut& j, const SessionPipeline& p, HostId host) {
  j.begin_array("clocks");
  for (const ClockReport& r : p.offsets().report(host)) {
    j.begin_object().unum("event_id", r.key.event_id).str("time_field", time_field_name(r.key.field));
    j.boolean("known", !r.pieces.empty()).str("source", offset_source_name(r.source)).boolean("survey", r.prior);
    if (r.source == OffsetSource::inherited) j.unum("inherited_from_event_id", r.from_event);
    j.unum("events", r.events).unum("samples", r.samples).unum("outliers", r.outliers);
    if (r.checks) j.unum("start_checks", r.checks).unum("start_disagreements", r.disagreements);
    j.begin_array("pieces");
    for (const auto& x : r.pieces) {
      j.begin_object();
      if (x.from != kNoTime) j.str("from", format_time(x.from));
      j.num("host_minus_sensor_ms", -x.offset / 1'000'000).num("mad_ms", x.mad / 1'000'000).unum("samples", x.samples);
      j.end_object();
    }
    j.end_array().end_object();
  }
  j.end_array();
}

}  // namespace outflow
