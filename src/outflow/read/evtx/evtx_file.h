// Low-level EVTX access: the file header, 64 KiB chunks and their records, each record's
// System fields and EventData name/value pairs (binary XML walked directly, never rendered to
// XML text). read_evtx() maps these records to HostEvents; tests compare them field by field
// with libevtx.
//
// Layout (all little-endian): a 4096-byte file header ("ElfFile\0", CRC32 of its first 120
// bytes), then chunks of 65536 bytes ("ElfChnk\0", header CRC32 over bytes 0..120 and
// 128..512, event-records CRC32 over 512..free space offset), each holding records
// (magic 2a 2a 00 00, size, record id, FILETIME, binary XML, size again).
#pragma once
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "outflow/core/time.h"
#include "outflow/read/byte_source.h"

namespace outflow::evtx {

inline constexpr size_t kFileHeaderSize = 4096;
inline constexpr size_t kChunkSize = 65536;
inline constexpr size_t kChunkHeaderSize = 512;
inline constexpr uint32_t kFileFlagDirty = 0x1;

struct FileHeader {
  uint64_t first_chunk = 0, last_chunk = 0, next_record_id = 0;
  uint16_t minor = 0, major = 0, chunk_count = 0;
  uint32_t flags = 0;
  bool crc_ok = false;
};
// False when the magic is wrong (not an EVTX file); crc_ok tells whether the CRC matched.
bool parse_file_header(const uint8_t* p, size_t n, FileHeader& h);

struct DataField {
  std::string name, value;
};

// One record as read. Strings are UTF-8. Fields absent from the record are empty.
struct Record {
  uint64_t offset = 0;     // byte offset of the record in the file
  uint64_t record_id = 0;  // from the record header
  TimeNs written = kNoTime;   // record header FILETIME
  TimeNs time = kNoTime;      // System/TimeCreated/@SystemTime
  uint32_t event_id = 0;
  bool has_event_id = false;
  bool recovered = false;  // from a damaged chunk (checksum mismatch, truncated, read past damage)
  const char* recovered_reason = nullptr;  // why, when recovered (a string literal)
  bool data_read = false;  // EventData was decoded (see RecordHandler::want_data)
  std::string provider, channel, computer;
  std::string event_id_text, record_id_text, time_text;  // as rendered in the record

  std::span<const DataField> data() const { return {fields_.data(), n_fields_}; }
  // Value of the first EventData/Data with this Name, or empty.
  std::string_view get(std::string_view name) const;

  // Used by the parser.
  void reset();
  DataField& add_field();
  std::string* text_for(uint8_t target);

 private:
  std::vector<DataField> fields_;  // reused; only the first n_fields_ are live
  size_t n_fields_ = 0;
};

class RecordHandler {
 public:
  virtual ~RecordHandler() = default;
  // Called once System is read (provider, event id, channel, computer set), before EventData
  // is decoded: return false to skip decoding it.
  virtual bool want_data(const Record&) { return true; }
  virtual void on_record(const Record& r) = 0;
  // A damaged structure at `offset` (in the file); parsing goes on. `reason` is a literal.
  virtual void on_bad(uint64_t offset, std::string_view reason) = 0;
  // Not damage, but worth telling (the file header's dirty flag). `reason` is a literal.
  virtual void on_note(uint64_t /*offset*/, std::string_view /*reason*/) {}
};

// Parses chunks. Keeps per-chunk template state; one per thread.
class ChunkParser {
 public:
  ChunkParser();
  ~ChunkParser();
  ChunkParser(const ChunkParser&) = delete;
  ChunkParser& operator=(const ChunkParser&) = delete;
  // `chunk` holds `size` bytes (kChunkSize, or fewer for a truncated last chunk) found at
  // `file_offset`. Returns the number of records delivered.
  uint64_t parse(const uint8_t* chunk, size_t size, uint64_t file_offset, RecordHandler& h);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// What the file header says about the file as a whole, reported through `h`: false when it is
// not an EVTX file header at all. A dirty flag (the file was not closed cleanly, as in a copy
// from a live host) is a note, not damage: chunks are read whatever the header's counts say.
bool check_file_header(const uint8_t* p, size_t n, RecordHandler& h);

// Reads a whole EVTX stream sequentially, one chunk at a time (single-threaded). Returns false
// only on an I/O error (error set); damage is reported through h.on_bad.
struct ReadTotals {
  uint64_t bytes = 0, records = 0, chunks = 0;
};
bool read_file(ByteSource& src, RecordHandler& h, ReadTotals& totals, std::string& error);

// Reads exactly n bytes unless the stream ends; returns the count or -1 on error.
long read_full(ByteSource& src, uint8_t* buf, size_t n);

}  // namespace outflow::evtx
