#include "outflow/read/evtx/chunk_events.h"

namespace outflow::evtx {

namespace {

// The System fields and EventData of a record, as the shared Windows-event fields: the mapping
// to a HostEvent is the JSON reader's own.
void gather(const Record& r, winevent::RawFields& f) {
  using winevent::Field;
  f.clear();
  if (r.has_event_id) f.put(Field::event_id, r.event_id_text);
  f.put(Field::provider, r.provider);
  f.put(Field::channel, r.channel);
  f.put(Field::host_computer_name, r.computer);
  f.system_time_ns = r.time;
  for (const auto& d : r.data()) {
    Field fld;
    if (winevent::lookup_field(winevent::Scope::event_data, d.name, fld)) f.put(fld, d.value);
  }
}

}  // namespace

void ChunkEvents::reset() {
  n_ev = 0;
  bad.clear();
  recovered.clear();
  skipped.clear();
  records = 0;
}

void ChunkWorker::parse(const uint8_t* chunk, size_t size, uint64_t file_offset, ChunkEvents& out) {
  out.reset();
  out_ = &out;
  parser_.parse(chunk, size, file_offset, *this);
  out_ = nullptr;
}

bool ChunkWorker::want_data(const Record& r) {
  if (r.has_event_id && winevent::wanted_event(r.event_id, r.provider, r.channel)) return true;
  const uint32_t id = r.has_event_id ? r.event_id : ChunkEvents::kNoEventId;
  for (auto& s : out_->skipped)
    if (s.first == id) {
      ++s.second;
      return false;
    }
  out_->skipped.emplace_back(id, 1);
  return false;
}

void ChunkWorker::on_record(const Record& r) {
  ChunkEvents& o = *out_;
  ++o.records;
  // Every record of a damaged chunk is counted as recovered, wanted or not: the count says how
  // much of the log was read from damaged chunks.
  if (r.recovered) o.recovered.emplace_back(r.offset, r.recovered_reason);
  if (!r.data_read) return;
  if (o.n_ev == o.ev.size()) o.ev.emplace_back();
  HostEvent& e = o.ev[o.n_ev];
  gather(r, raw_);
  std::string_view why;
  switch (winevent::to_host_event(raw_, e, why)) {
    case winevent::Verdict::ok: {
      e.recovered = r.recovered;
      // UTF-16 that does not convert (a lone surrogate) became U+FFFD: flag the event, as the
      // JSON reader does, so its sessions say outflow.invalid_utf8.
      constexpr std::string_view kReplacement = "\xEF\xBF\xBD";
      if (e.type == HostEventType::process_start)
        for (const std::string* t : {&e.image, &e.command_line, &e.user, &e.parent_image, &e.original_file_name, &e.company})
          if (t->find(kReplacement) != std::string::npos) e.invalid_utf8 = true;
      ++o.n_ev;
      break;
    }
    case winevent::Verdict::bad: o.bad.emplace_back(r.offset, why.data()); break;  // literals
    case winevent::Verdict::skip: break;  // want_data() already filtered these
  }
}

void ChunkWorker::on_bad(uint64_t offset, std::string_view reason) { out_->bad.emplace_back(offset, reason.data()); }

}  // namespace outflow::evtx
