// Binary XML walker (internal). A record's binary XML is usually one template instance: a
// template definition (stored once per chunk) plus an array of substitution values. Each
// definition is compiled once per chunk into a Plan: the few places that feed the fields we
// keep (System/Provider/@Name, EventID, TimeCreated/@SystemTime, EventRecordID, Channel,
// Computer, EventData/Data/@Name and its text) as literal text or substitution indexes, plus
// the substitutions that hold nested binary XML. Applying a plan to a record decodes only
// those values; no XML text is built.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "outflow/read/evtx/evtx_file.h"

namespace outflow::evtx::detail {

enum class Kind : uint8_t {
  root, event, system, provider, event_id, time_created, record_id, channel, computer,
  event_data, data, other
};

enum Target : uint8_t {
  kTNone = 0, kTProvider, kTEventId, kTTime, kTRecordId, kTChannel, kTComputer, kTDataName,
  kTDataValue
};

inline constexpr int kMaxElementDepth = 64;  // elements open at once in one fragment
inline constexpr int kMaxNesting = 8;        // nested binary XML / template instances
// Tokens walked plus plan steps applied for one record: substitutions can reuse a nested
// binary XML value many times over, so damaged input could otherwise multiply the work.
inline constexpr uint64_t kMaxWorkPerRecord = 1u << 20;

struct PlanOp {
  enum Code : uint8_t { data_begin, literal, subst };
  Code code = literal;
  uint8_t target = kTNone;
  Kind ctx = Kind::other;  // element the op sits in (base for nested binary XML)
  uint16_t index = 0;      // substitution index
  uint32_t lit_off = 0, lit_len = 0;
};

struct Plan {
  uint32_t def_off = 0;
  Kind base = Kind::root;
  bool ok = false;
  const char* why = nullptr;
  std::vector<PlanOp> ops;
  std::string lits;
};

class BinXml {
 public:
  void begin_chunk(const uint8_t* chunk, uint32_t size);
  // Reads one record's binary XML, chunk bytes [pos, end), into rec. Returns false with `why`
  // on malformed input (rec may then be partly filled).
  bool read_record(uint32_t pos, uint32_t end, Record& rec, RecordHandler& h, const char*& why);

 private:
  struct Ctx {
    Record* rec = nullptr;
    RecordHandler* h = nullptr;
    bool decided = false, skip_data = false;
  };
  struct Value {
    uint32_t pos, size;
    uint8_t type;
  };

  bool walk(uint32_t pos, uint32_t end, Kind base, int depth, Plan* plan, Ctx* ctx, const char*& why);
  bool template_instance(uint32_t& pos, uint32_t end, Kind base, int depth, Ctx& ctx, const char*& why);
  const Plan* plan_for(uint32_t def_off, Kind base, int depth, const char*& why);
  bool apply(const Plan& plan, size_t vbase, size_t nvals, int depth, Ctx& ctx, const char*& why);
  bool read_name(uint32_t& pos, uint32_t end, uint32_t& name_off) const;
  bool name_is(uint32_t name_off, const char* s) const;
  Kind classify(Kind parent, uint32_t name_off) const;
  uint8_t classify_attr(Kind elem, uint32_t name_off) const;
  void emit_data_begin(Plan* plan, Ctx* ctx, Kind k);
  void emit_text(Plan* plan, Ctx* ctx, uint8_t target, Kind k, const std::string& s);
  void decide(Ctx& ctx);

  const uint8_t* b_ = nullptr;
  uint32_t size_ = 0;
  std::vector<std::unique_ptr<Plan>> plans_;  // reused across chunks
  size_t n_plans_ = 0;
  std::vector<Value> vals_;  // stack of substitution arrays
  std::string tmp_, name_;
  uint64_t work_ = 0;
  std::vector<std::pair<uint32_t, uint32_t>> items_;
};

}  // namespace outflow::evtx::detail
