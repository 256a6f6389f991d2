#include "outflow/features/app_evidence.h"

#include <algorithm>

#include "outflow/features/byte_codec.h"

namespace outflow {

namespace {

using codec::put;
using codec::put_str;
using codec::take;
using codec::take_str;

// Adds to the item named `text` or appends it; past `cap`, the item with the fewest requests
// (or bytes) makes room if the new one outweighs it, and one of them is counted as dropped.
void bump(std::vector<AppEvidence::Item>& v, size_t cap, uint64_t& dropped, std::string_view text, std::string_view detail,
          uint64_t count, uint64_t bytes) {
  for (auto& i : v)
    if (i.text == text) {
      i.count += count, i.bytes += bytes;
      if (i.detail.empty()) i.detail = detail;
      return;
    }
  if (v.size() < cap) {
    v.push_back({std::string(text), std::string(detail), count, bytes});
    return;
  }
  ++dropped;
  auto weight = [](const AppEvidence::Item& i) { return i.count + i.bytes; };
  auto low = std::min_element(v.begin(), v.end(), [&](const auto& a, const auto& b) { return weight(a) < weight(b); });
  if (weight(*low) < count + bytes) *low = {std::string(text), std::string(detail), count, bytes};
}

void put_items(std::string& out, const std::vector<AppEvidence::Item>& v) {
  put(out, static_cast<uint32_t>(v.size()));
  for (const auto& i : v) put_str(out, i.text), put_str(out, i.detail), put(out, i.count), put(out, i.bytes);
}
bool take_items(std::string_view& in, std::vector<AppEvidence::Item>& v, size_t cap) {
  uint32_t n = 0;
  if (!take(in, n) || n > cap) return false;
  v.resize(n);
  for (auto& i : v)
    if (!take_str(in, i.text) || !take_str(in, i.detail) || !take(in, i.count) || !take(in, i.bytes)) return false;
  return true;
}

}  // namespace

void AppEvidence::add(const AppNames::ConnApp& c, const AppNames& names) {
  auto name = [&](uint32_t id) -> std::string_view { return id == AppNames::kNone ? std::string_view{} : names.name(id); };
  http_requests += c.http_requests;
  uploads += c.http_uploads;
  request_body += c.http_request_body;
  upload_body += c.upload_body;
  response_body += c.http_response_body;
  blank_host += c.blank_host;
  files_sent += c.files_sent;
  file_bytes += c.file_bytes;
  if (c.http_uploads > 0) bump(uris, kMaxUris, uris_dropped, name(c.upload_uri).empty() ? "(no URI)" : name(c.upload_uri), "", c.http_uploads, c.upload_body);
  if (c.http_requests > 0 && c.user_agent != AppNames::kNone) bump(agents, kMaxAgents, agents_dropped, name(c.user_agent), "", c.http_requests, 0);
  ids_alerts += c.alerts;
  ids_relevant += c.alerts_relevant;
  if (c.alerts > 0) {
    const std::string_view cat = name(c.alert_category);
    const std::string detail = (cat.empty() ? std::string("no category") : std::string(cat)) +
                               (c.alert_severity ? ", severity " + std::to_string(c.alert_severity) : std::string());
    bump(alerts, kMaxAlerts, alerts_dropped, name(c.alert_signature).empty() ? "(no signature)" : name(c.alert_signature), detail,
         c.alerts, 0);
  }
  if (c.files_sent > 0)
    bump(files, kMaxFiles, files_dropped, name(c.file_name).empty() ? "(no name)" : name(c.file_name), name(c.file_mime), c.files_sent, c.file_bytes);
}

void AppEvidence::merge(const AppEvidence& o) {
  http_requests += o.http_requests, uploads += o.uploads;
  request_body += o.request_body, upload_body += o.upload_body, response_body += o.response_body;
  blank_host += o.blank_host, files_sent += o.files_sent, file_bytes += o.file_bytes;
  sessions_bounded += o.sessions_bounded;
  uris_dropped += o.uris_dropped, agents_dropped += o.agents_dropped, files_dropped += o.files_dropped;
  for (const auto& i : o.uris) bump(uris, kMaxUris, uris_dropped, i.text, i.detail, i.count, i.bytes);
  for (const auto& i : o.agents) bump(agents, kMaxAgents, agents_dropped, i.text, i.detail, i.count, i.bytes);
  for (const auto& i : o.files) bump(files, kMaxFiles, files_dropped, i.text, i.detail, i.count, i.bytes);
  ids_alerts += o.ids_alerts, ids_relevant += o.ids_relevant, alerts_dropped += o.alerts_dropped;
  for (const auto& i : o.alerts) bump(alerts, kMaxAlerts, alerts_dropped, i.text, i.detail, i.count, i.bytes);
}

void AppEvidence::serialize(std::string& out) const {
  for (uint64_t v : {http_requests, uploads, request_body, upload_body, response_body, blank_host, files_sent, file_bytes,
                     uris_dropped, agents_dropped, files_dropped})
    put(out, v);
  put(out, sessions_bounded);
  put_items(out, uris), put_items(out, agents), put_items(out, files);
  if (ids_alerts == 0) return;  // records without alerts keep their earlier layout
  put(out, ids_alerts), put(out, ids_relevant), put(out, alerts_dropped);
  put_items(out, alerts);
}

bool AppEvidence::deserialize(std::string_view& in) {
  for (uint64_t* v : {&http_requests, &uploads, &request_body, &upload_body, &response_body, &blank_host, &files_sent, &file_bytes,
                      &uris_dropped, &agents_dropped, &files_dropped})
    if (!take(in, *v)) return false;
  if (!(take(in, sessions_bounded) && take_items(in, uris, kMaxUris) && take_items(in, agents, kMaxAgents) &&
        take_items(in, files, kMaxFiles)))
    return false;
  if (in.empty()) return true;  // no IDS alerts (or written before they were kept)
  return take(in, ids_alerts) && take(in, ids_relevant) && take(in, alerts_dropped) && take_items(in, alerts, kMaxAlerts);
}

}  // namespace outflow
