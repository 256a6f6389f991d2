#include "outflow/eval/eval_inputs.h"

#include <simdjson.h>

#include "outflow/core/ip.h"
#include "outflow/lineage/host_registry.h"

namespace outflow::eval {

namespace {

using simdjson::dom::element;

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
  return out;
}

std::string_view str_at(element e, std::string_view pointer) {
  std::string_view v;
  if (e.at_pointer(pointer).get_string().get(v)) return {};
  return v;
}

TimeNs time_at(element e, std::string_view pointer) {
  TimeNs t = kNoTime;
  const auto s = str_at(e, pointer);
  if (s.empty() || !parse_datetime(s, t)) return kNoTime;
  return t;
}

// Calls fn(line_number, element) for each non-blank line that is a JSON object.
template <typename Fn>
void each_object(std::string_view text, std::vector<ParseProblem>& problems, Fn fn) {
  simdjson::dom::parser parser;
  size_t n = 0, pos = 0;
  while (pos < text.size()) {
    size_t eol = text.find('\n', pos);
    if (eol == std::string_view::npos) eol = text.size();
    std::string_view line = text.substr(pos, eol - pos);
    pos = eol + 1;
    ++n;
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t')) line.remove_suffix(1);
    if (line.empty()) continue;
    element doc;
    if (auto err = parser.parse(line.data(), line.size()).get(doc)) {
      problems.push_back({n, std::string("not JSON: ") + simdjson::error_message(err)});
      continue;
    }
    if (!doc.is_object()) {
      problems.push_back({n, "not a JSON object"});
      continue;
    }
    fn(n, doc);
  }
}

}  // namespace

std::string normalise_guid(std::string_view g) {
  while (!g.empty() && (g.front() == '{' || g.front() == ' ')) g.remove_prefix(1);
  while (!g.empty() && (g.back() == '}' || g.back() == ' ')) g.remove_suffix(1);
  return lower(g);
}

std::string host_key(std::string_view h) { return HostRegistry::canonical(h); }

std::string normalise_ip(std::string_view ip) {
  IpAddr a;
  return IpAddr::parse(ip, a) ? a.to_string() : lower(ip);
}

std::string finding_host_key(const Labels& labels, const Finding& f) {
  IpAddr a;
  if (!f.host.empty() && !IpAddr::parse(f.host, a)) return host_key(f.host);
  auto by_ip = [&](const std::string& ip) {
    const auto it = labels.host_by_ip.find(ip);
    return it == labels.host_by_ip.end() ? std::string() : host_key(it->second);
  };
  if (!f.host.empty())
    if (auto k = by_ip(normalise_ip(f.host)); !k.empty()) return k;
  for (const auto& ip : f.host_ips)
    if (auto k = by_ip(ip); !k.empty()) return k;
  return {};
}

bool parse_labels(std::string_view text, Labels& out, std::vector<ParseProblem>& problems) {
  each_object(text, problems, [&](size_t n, element doc) {
    element org;
    if (!doc["organisation"].get(org)) {
      int64_t v = 0;
      if (!org["hosts"].get_int64().get(v)) out.hosts = v;
      if (!org["days"].get_int64().get(v)) out.days = v;
      simdjson::dom::array hl;
      if (!org["host_list"].get_array().get(hl))
        for (auto h : hl) {
          const auto name = str_at(h, "/name"), ip = str_at(h, "/ip");
          if (!name.empty() && !ip.empty()) out.host_by_ip[normalise_ip(ip)] = std::string(name);
        }
      return;
    }
    LabelledInstance l;
    l.scenario = str_at(doc, "/scenario");
    l.technique = str_at(doc, "/technique");
    l.host = str_at(doc, "/host");
    if (l.scenario.empty() || l.host.empty()) {
      problems.push_back({n, "label without scenario or host"});
      return;
    }
    simdjson::dom::array a;
    if (!doc["process_guids"].get_array().get(a))
      for (auto g : a) {
        std::string_view s;
        if (!g.get_string().get(s)) l.guids.push_back(normalise_guid(s));
      }
    if (!doc["destinations"].get_array().get(a))
      for (auto d : a) {
        std::string_view s;
        if (!d.get_string().get(s)) l.destinations.push_back(lower(s));
      }
    l.start = time_at(doc, "/start");
    l.end = time_at(doc, "/end");
    out.instances.push_back(std::move(l));
  });
  return true;
}

bool parse_findings(std::string_view text, std::vector<Finding>& out, std::vector<ParseProblem>& problems) {
  each_object(text, problems, [&](size_t n, element doc) {
    Finding f;
    f.line = n;
    f.host = str_at(doc, "/host/name");
    simdjson::dom::array ips;
    if (const auto ip = str_at(doc, "/host/ip"); !ip.empty()) f.host_ips.push_back(normalise_ip(ip));
    else if (!doc.at_pointer("/host/ip").get_array().get(ips))
      for (auto e : ips) {
        std::string_view s;
        if (!e.get_string().get(s) && !s.empty()) f.host_ips.push_back(normalise_ip(s));
      }
    if (f.host.empty() && f.host_ips.empty()) {
      problems.push_back({n, "finding without host.name or host.ip"});
      return;
    }
    f.guid = normalise_guid(str_at(doc, "/process/entity_id"));
    const auto entity = str_at(doc, "/outflow/entity");
    if (entity == "process" || (entity.empty() && !f.guid.empty())) {
      f.entity = Entity::process;
    } else if (entity == "program") {
      f.entity = Entity::process;
      simdjson::dom::array ivs, ps;
      if (!doc.at_pointer("/outflow/srum/busiest_intervals").get_array().get(ivs))
        for (auto iv : ivs)
          if (!iv["processes"].get_array().get(ps))
            for (auto p : ps)
              if (const auto g = str_at(p, "/entity_id"); !g.empty()) f.candidate_guids.push_back(normalise_guid(g));
    } else if (entity == "host" || entity.empty()) {
      f.entity = Entity::host;
      f.guid.clear();  // a host finding is matched by host and destination, whatever else it carries
    } else {
      problems.push_back({n, "outflow.entity is neither \"process\", \"program\" nor \"host\""});
      return;
    }
    f.process = str_at(doc, "/process/executable");
    int64_t rank = 0;
    f.rank = doc.at_pointer("/outflow/rank").get_int64().get(rank) ? static_cast<int64_t>(out.size() + 1) : rank;
    f.id = str_at(doc, "/outflow/finding_id");
    if (f.id.empty())
      f.id = (f.host.empty() ? f.host_ips.front() : host_key(f.host)) + (f.entity == Entity::host ? "|host" : "|" + f.guid);
    for (const char* p : {"/destination/ip", "/destination/domain"})
      if (const auto s = str_at(doc, p); !s.empty()) f.destinations.push_back(lower(s));
    simdjson::dom::array dests;
    if (!doc.at_pointer("/outflow/destinations").get_array().get(dests))
      for (auto d : dests)
        if (const auto s = str_at(d, "/ip"); !s.empty()) f.destinations.push_back(lower(s));
    simdjson::dom::array intel;
    if (!doc.at_pointer("/outflow/intel").get_array().get(intel))
      for (auto x : intel)
        f.intel |= str_at(x, "/kind") == "malicious" || str_at(x, "/kind") == "suspicious";
    f.start = time_at(doc, "/event/start");
    f.end = time_at(doc, "/event/end");
    if (f.start == kNoTime) f.start = time_at(doc, "/@timestamp");
    if (f.end == kNoTime) f.end = f.start;
    out.push_back(std::move(f));
  });
  return true;
}

}  // namespace outflow::eval
