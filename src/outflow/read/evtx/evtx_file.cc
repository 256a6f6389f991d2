#include "outflow/read/evtx/evtx_file.h"

#include <zlib.h>

#include <cstring>

#include "outflow/read/evtx/binxml.h"
#include "outflow/read/evtx/evtx_values.h"

namespace outflow::evtx {

namespace {

constexpr uint32_t kRecordMagic = 0x00002a2a;
constexpr uint32_t kRecordHeader = 24;  // magic, size, id, FILETIME
constexpr uint32_t kMinRecord = kRecordHeader + 4;

uint32_t crc32_of(const uint8_t* p, size_t n, uint32_t crc = 0) {
  return static_cast<uint32_t>(::crc32(crc, p, static_cast<uInt>(n)));
}

bool all_zero(const uint8_t* p, size_t n) {
  for (size_t i = 0; i < n; ++i)
    if (p[i]) return false;
  return true;
}

}  // namespace

// ---- Record ----------------------------------------------------------------------------

std::string_view Record::get(std::string_view name) const {
  for (size_t i = 0; i < n_fields_; ++i)
    if (fields_[i].name == name) return fields_[i].value;
  return {};
}

void Record::reset() {
  offset = record_id = 0;
  written = time = kNoTime;
  event_id = 0;
  has_event_id = recovered = data_read = false;
  recovered_reason = nullptr;
  for (std::string* s : {&provider, &channel, &computer, &event_id_text, &record_id_text, &time_text})
    s->clear();
  n_fields_ = 0;
}

DataField& Record::add_field() {
  if (n_fields_ == fields_.size()) {
    fields_.emplace_back();
  } else {
    fields_[n_fields_].name.clear();
    fields_[n_fields_].value.clear();
  }
  return fields_[n_fields_++];
}

std::string* Record::text_for(uint8_t target) {
  using namespace detail;
  switch (target) {
    case kTProvider: return &provider;
    case kTEventId: return &event_id_text;
    case kTTime: return &time_text;
    case kTRecordId: return &record_id_text;
    case kTChannel: return &channel;
    case kTComputer: return &computer;
    case kTDataName: return n_fields_ ? &fields_[n_fields_ - 1].name : &add_field().name;
    case kTDataValue: return n_fields_ ? &fields_[n_fields_ - 1].value : &add_field().value;
    default: return &time_text;  // unreachable: callers skip kTNone
  }
}

// ---- File header -------------------------------------------------------------------------

bool parse_file_header(const uint8_t* p, size_t n, FileHeader& h) {
  h = FileHeader{};
  if (n < 128 || std::memcmp(p, "ElfFile\0", 8) != 0) return false;
  h.first_chunk = rd64(p + 8);
  h.last_chunk = rd64(p + 16);
  h.next_record_id = rd64(p + 24);
  h.minor = rd16(p + 36);
  h.major = rd16(p + 38);
  h.chunk_count = rd16(p + 42);
  h.flags = rd32(p + 120);
  h.crc_ok = crc32_of(p, 120) == rd32(p + 124);
  return true;
}

// ---- Chunks ------------------------------------------------------------------------------

struct ChunkParser::Impl {
  detail::BinXml bx;
  Record rec;
};

ChunkParser::ChunkParser() : impl_(std::make_unique<Impl>()) {}
ChunkParser::~ChunkParser() = default;

uint64_t ChunkParser::parse(const uint8_t* c, size_t size, uint64_t file_offset, RecordHandler& h) {
  if (size < kChunkHeaderSize) {
    if (!all_zero(c, size)) h.on_bad(file_offset, "evtx: chunk truncated inside its header");
    return 0;
  }
  if (std::memcmp(c, "ElfChnk\0", 8) != 0) {
    if (!all_zero(c, size)) h.on_bad(file_offset, "evtx: chunk without ElfChnk signature, skipped");
    return 0;  // an all-zero chunk is unused space
  }
  // Why the chunk's records cannot be trusted byte for byte (null: they can). Its records are
  // still read, each marked recovered with this reason.
  const char* damage = nullptr;
  auto damaged = [&](const char* bad_reason, const char* recovered_reason) {
    h.on_bad(file_offset, bad_reason);
    if (!damage) damage = recovered_reason;
  };
  if (size < kChunkSize) damaged("evtx: truncated chunk", "evtx: record recovered from a truncated chunk");
  const uint32_t hdr_crc = crc32_of(c + 128, kChunkHeaderSize - 128, crc32_of(c, 120));
  if (hdr_crc != rd32(c + 124))
    damaged("evtx: chunk header CRC32 mismatch", "evtx: record recovered from a chunk whose header CRC32 did not match");
  uint32_t data_end = rd32(c + 48);  // free space offset
  if (data_end < kChunkHeaderSize || data_end > size) {
    if (!damage)
      damaged("evtx: chunk free space offset out of range",
              "evtx: record recovered from a chunk whose free space offset was out of range");
    data_end = static_cast<uint32_t>(size);
  } else if (crc32_of(c + kChunkHeaderSize, data_end - kChunkHeaderSize) != rd32(c + 52)) {
    damaged("evtx: chunk records CRC32 mismatch", "evtx: record recovered from a chunk whose records CRC32 did not match");
  }

  Impl& m = *impl_;
  m.bx.begin_chunk(c, static_cast<uint32_t>(size));
  uint64_t delivered = 0;
  uint32_t pos = kChunkHeaderSize;
  auto valid_at = [&](uint32_t at) {
    if (data_end - at < kMinRecord || rd32(c + at) != kRecordMagic) return false;
    const uint32_t rs = rd32(c + at + 4);
    return rs >= kMinRecord && rs <= data_end - at && rd32(c + at + rs - 4) == rs;
  };
  while (data_end - pos >= kMinRecord) {
    if (!valid_at(pos)) {
      if (rd32(c + pos) == 0 && rd32(c + pos + 4) == 0) break;  // unused space
      h.on_bad(file_offset + pos, "evtx: bad record header, skipped to the next record");
      uint32_t next = pos + 1;
      while (data_end - next >= kMinRecord && !valid_at(next)) ++next;
      if (data_end - next < kMinRecord) break;
      pos = next;
      if (!damage) damage = "evtx: record recovered past damage in its chunk";  // found by resynchronisation
    }
    const uint32_t rs = rd32(c + pos + 4);
    Record& r = m.rec;
    r.reset();
    r.offset = file_offset + pos;
    r.record_id = rd64(c + pos + 8);
    r.written = filetime_to_ns(rd64(c + pos + 16));
    r.recovered = damage != nullptr;
    r.recovered_reason = damage;
    const char* why = nullptr;
    if (m.bx.read_record(pos + kRecordHeader, pos + rs - 4, r, h, why)) {
      h.on_record(r);
      ++delivered;
    } else {
      h.on_bad(file_offset + pos, why ? why : "evtx: bad binary XML");
    }
    pos += rs;
  }
  return delivered;
}

// ---- Whole file --------------------------------------------------------------------------

bool check_file_header(const uint8_t* p, size_t n, RecordHandler& h) {
  FileHeader fh;
  if (!parse_file_header(p, n, fh)) {
    h.on_bad(0, "evtx: no ElfFile file header");
    return false;
  }
  if (n < kFileHeaderSize) h.on_bad(0, "evtx: file header truncated");
  if (!fh.crc_ok) h.on_bad(0, "evtx: file header CRC32 mismatch");
  if (fh.flags & kFileFlagDirty)
    h.on_note(0, "evtx: file header marked dirty (not closed cleanly, e.g. copied from a live host); every chunk read");
  return true;
}

long read_full(ByteSource& src, uint8_t* buf, size_t n) {
  size_t got = 0;
  while (got < n) {
    const long r = src.read(reinterpret_cast<char*>(buf) + got, n - got);
    if (r < 0) return -1;
    if (r == 0) break;
    got += static_cast<size_t>(r);
  }
  return static_cast<long>(got);
}

bool read_file(ByteSource& src, RecordHandler& h, ReadTotals& totals, std::string& error) {
  std::vector<uint8_t> buf(kChunkSize);
  long n = read_full(src, buf.data(), kFileHeaderSize);
  if (n < 0) {
    error = src.error();
    return false;
  }
  totals.bytes += static_cast<uint64_t>(n);
  if (!check_file_header(buf.data(), static_cast<size_t>(n), h) || static_cast<size_t>(n) < kFileHeaderSize)
    return true;
  ChunkParser parser;
  uint64_t off = kFileHeaderSize;
  for (;;) {
    n = read_full(src, buf.data(), kChunkSize);
    if (n < 0) {
      error = src.error();
      return false;
    }
    if (n == 0) break;
    totals.bytes += static_cast<uint64_t>(n);
    totals.records += parser.parse(buf.data(), static_cast<size_t>(n), off, h);
    ++totals.chunks;
    off += static_cast<uint64_t>(n);
    if (static_cast<size_t>(n) < kChunkSize) break;
  }
  return true;
}

}  // namespace outflow::evtx
