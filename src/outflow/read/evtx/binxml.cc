#include "outflow/read/evtx/binxml.h"

#include <charconv>
#include <cstring>

#include "outflow/read/evtx/evtx_values.h"

namespace outflow::evtx::detail {

namespace {

uint8_t content_target(Kind k) {
  switch (k) {
    case Kind::event_id: return kTEventId;
    case Kind::record_id: return kTRecordId;
    case Kind::channel: return kTChannel;
    case Kind::computer: return kTComputer;
    case Kind::data: return kTDataValue;
    default: return kTNone;
  }
}

bool is_data_target(uint8_t t) { return t == kTDataName || t == kTDataValue; }

}  // namespace

void BinXml::begin_chunk(const uint8_t* chunk, uint32_t size) {
  b_ = chunk;
  size_ = size;
  n_plans_ = 0;
}

// A name reference: u32 chunk offset; when it points right after itself the name structure
// (next u32, hash u16, length u16, UTF-16 chars, NUL) is stored inline and skipped.
bool BinXml::read_name(uint32_t& pos, uint32_t end, uint32_t& name_off) const {
  if (end - pos < 4) return false;
  name_off = rd32(b_ + pos);
  pos += 4;
  if (name_off == pos) {
    if (end - pos < 8) return false;
    const uint32_t skip = 8 + 2u * rd16(b_ + pos + 6) + 2;
    if (end - pos < skip) return false;
    pos += skip;
  }
  return name_off <= size_ && size_ - name_off >= 8 && size_ - name_off - 8 >= 2u * rd16(b_ + name_off + 6);
}

bool BinXml::name_is(uint32_t name_off, const char* s) const {
  const size_t n = std::strlen(s);
  if (rd16(b_ + name_off + 6) != n) return false;
  const uint8_t* p = b_ + name_off + 8;
  for (size_t i = 0; i < n; ++i)
    if (p[2 * i] != static_cast<uint8_t>(s[i]) || p[2 * i + 1] != 0) return false;
  return true;
}

Kind BinXml::classify(Kind parent, uint32_t name_off) const {
  switch (parent) {
    case Kind::root:
      return name_is(name_off, "Event") ? Kind::event : Kind::other;
    case Kind::event:
      if (name_is(name_off, "System")) return Kind::system;
      if (name_is(name_off, "EventData")) return Kind::event_data;
      return Kind::other;
    case Kind::system:
      switch (rd16(b_ + name_off + 6)) {
        case 7:
          if (name_is(name_off, "EventID")) return Kind::event_id;
          if (name_is(name_off, "Channel")) return Kind::channel;
          break;
        case 8:
          if (name_is(name_off, "Provider")) return Kind::provider;
          if (name_is(name_off, "Computer")) return Kind::computer;
          break;
        case 11:
          if (name_is(name_off, "TimeCreated")) return Kind::time_created;
          break;
        case 13:
          if (name_is(name_off, "EventRecordID")) return Kind::record_id;
          break;
        default: break;
      }
      return Kind::other;
    case Kind::event_data:
      return name_is(name_off, "Data") ? Kind::data : Kind::other;
    default:
      return Kind::other;
  }
}

uint8_t BinXml::classify_attr(Kind elem, uint32_t name_off) const {
  switch (elem) {
    case Kind::provider: return name_is(name_off, "Name") ? kTProvider : kTNone;
    case Kind::time_created: return name_is(name_off, "SystemTime") ? kTTime : kTNone;
    case Kind::data: return name_is(name_off, "Name") ? kTDataName : kTNone;
    default: return kTNone;
  }
}

void BinXml::decide(Ctx& ctx) {
  if (ctx.decided) return;
  ctx.decided = true;
  Record& r = *ctx.rec;
  const std::string& s = r.event_id_text;
  uint32_t id = 0;
  auto res = std::from_chars(s.data(), s.data() + s.size(), id);
  r.has_event_id = !s.empty() && res.ec == std::errc() && res.ptr == s.data() + s.size();
  r.event_id = r.has_event_id ? id : 0;
  ctx.skip_data = !ctx.h->want_data(r);
  r.data_read = !ctx.skip_data;
}

void BinXml::emit_data_begin(Plan* plan, Ctx* ctx, Kind k) {
  if (plan) {
    PlanOp op;
    op.code = PlanOp::data_begin;
    op.ctx = k;
    plan->ops.push_back(op);
    return;
  }
  decide(*ctx);
  if (!ctx->skip_data) ctx->rec->add_field();
}

void BinXml::emit_text(Plan* plan, Ctx* ctx, uint8_t target, Kind k, const std::string& s) {
  if (target == kTNone || s.empty()) return;
  if (plan) {
    PlanOp op;
    op.code = PlanOp::literal;
    op.target = target;
    op.ctx = k;
    op.lit_off = static_cast<uint32_t>(plan->lits.size());
    op.lit_len = static_cast<uint32_t>(s.size());
    plan->lits.append(s);
    plan->ops.push_back(op);
    return;
  }
  if (is_data_target(target)) {
    decide(*ctx);
    if (ctx->skip_data) return;
  }
  ctx->rec->text_for(target)->append(s);
}

bool BinXml::walk(uint32_t pos, uint32_t end, Kind base, int depth, Plan* plan, Ctx* ctx,
                  const char*& why) {
  if (depth > kMaxNesting) {
    why = "evtx: binary XML nested too deep";
    return false;
  }
  Kind stack[kMaxElementDepth];
  int sp = 0;
  stack[0] = base;
  bool in_start = false;
  uint8_t attr_target = kTNone;
  auto cur_target = [&]() { return in_start ? attr_target : content_target(stack[sp]); };
  auto need = [&](uint32_t n) { return end - pos >= n; };

  while (pos < end) {
    if (++work_ > kMaxWorkPerRecord) {
      why = "evtx: binary XML too complex (work limit)";
      return false;
    }
    const uint8_t tok = b_[pos];
    const uint8_t t = tok & 0xBF;
    switch (t) {
      case 0x00:  // end of fragment
        return true;
      case 0x0f:  // fragment header: major, minor, flags
        if (!need(4)) goto truncated;
        pos += 4;
        break;
      case 0x0c: {  // template instance
        if (plan) {
          why = "evtx: template instance inside a template definition";
          return false;
        }
        if (!template_instance(pos, end, stack[sp], depth, *ctx, why)) return false;
        break;
      }
      case 0x01: {  // open start element
        const uint32_t p0 = pos + 1;
        // [dependency id u16] size u32 name u32: the dependency id is missing in some
        // fragments, told apart by where the name offset points.
        auto name_at = [&](uint32_t at, bool inline_only) {
          if (end - at < 4) return false;
          const uint32_t n = rd32(b_ + at);
          if (n == at + 4) return true;
          // Differences, not sums: n near 2^32 must not wrap past the check (found by fuzzing).
          return !inline_only && n >= kChunkHeaderSize && n < p0 && p0 - n >= 8 &&
                 10u + 2u * rd16(b_ + n + 6) <= p0 - n;
        };
        uint32_t at;
        if (name_at(p0 + 6, true)) at = p0 + 6;
        else if (name_at(p0 + 4, true)) at = p0 + 4;
        else if (name_at(p0 + 6, false)) at = p0 + 6;
        else if (name_at(p0 + 4, false)) at = p0 + 4;
        else {
          why = "evtx: bad element name offset";
          return false;
        }
        pos = at;
        uint32_t name_off;
        if (!read_name(pos, end, name_off)) goto truncated;
        if (tok & 0x40) {
          if (!need(4)) goto truncated;
          pos += 4;  // attribute list size
        }
        if (sp + 1 >= kMaxElementDepth) {
          why = "evtx: elements nested too deep";
          return false;
        }
        const Kind k = classify(stack[sp], name_off);
        stack[++sp] = k;
        in_start = true;
        attr_target = kTNone;
        if (k == Kind::data) emit_data_begin(plan, ctx, k);
        break;
      }
      case 0x02:  // close start element
        ++pos;
        in_start = false;
        break;
      case 0x03:  // close empty element
      case 0x04:  // end element
        ++pos;
        if (sp == 0) {
          why = "evtx: end of element without a start";
          return false;
        }
        --sp;
        in_start = false;
        break;
      case 0x06: {  // attribute
        ++pos;
        uint32_t name_off;
        if (!read_name(pos, end, name_off)) goto truncated;
        attr_target = classify_attr(stack[sp], name_off);
        break;
      }
      case 0x05: {  // value text
        if (!need(2)) goto truncated;
        const uint8_t vt = b_[pos + 1];
        pos += 2;
        tmp_.clear();
        if (vt == kString || vt == kAnsiString) {
          if (!need(2)) goto truncated;
          const uint32_t n = rd16(b_ + pos);
          pos += 2;
          const uint32_t bytes = vt == kString ? 2 * n : n;
          if (!need(bytes)) goto truncated;
          append_value(vt, b_ + pos, bytes, tmp_);
          pos += bytes;
        } else {
          why = "evtx: value text of a non-string type";
          return false;
        }
        emit_text(plan, ctx, cur_target(), stack[sp], tmp_);
        break;
      }
      case 0x07:    // CDATA section
      case 0x0b: {  // PI data
        if (!need(3)) goto truncated;
        const uint32_t n = rd16(b_ + pos + 1);
        pos += 3;
        if (!need(2 * n)) goto truncated;
        if (t == 0x07) {
          tmp_.clear();
          append_utf16(b_ + pos, n, tmp_);
          emit_text(plan, ctx, cur_target(), stack[sp], tmp_);
        }
        pos += 2 * n;
        break;
      }
      case 0x08: {  // character reference
        if (!need(3)) goto truncated;
        tmp_.clear();
        append_utf16(b_ + pos + 1, 1, tmp_, false);
        pos += 3;
        emit_text(plan, ctx, cur_target(), stack[sp], tmp_);
        break;
      }
      case 0x09:    // entity reference
      case 0x0a: {  // PI target
        ++pos;
        uint32_t name_off;
        if (!read_name(pos, end, name_off)) goto truncated;
        if (t == 0x09) {
          tmp_.clear();
          if (name_is(name_off, "amp")) tmp_ = "&";
          else if (name_is(name_off, "lt")) tmp_ = "<";
          else if (name_is(name_off, "gt")) tmp_ = ">";
          else if (name_is(name_off, "quot")) tmp_ = "\"";
          else if (name_is(name_off, "apos")) tmp_ = "'";
          emit_text(plan, ctx, cur_target(), stack[sp], tmp_);
        }
        break;
      }
      case 0x0d:    // normal substitution
      case 0x0e: {  // optional substitution
        if (!need(4)) goto truncated;
        const uint16_t index = rd16(b_ + pos + 1);
        const uint8_t decl = b_[pos + 3];
        pos += 4;
        if (!plan) {
          why = "evtx: substitution outside a template";
          return false;
        }
        const uint8_t target = cur_target();
        if (target != kTNone || (decl & 0x7F) == kBinXml) {
          PlanOp op;
          op.code = PlanOp::subst;
          op.target = target;
          op.ctx = stack[sp];
          op.index = index;
          plan->ops.push_back(op);
        }
        break;
      }
      default:
        why = "evtx: unknown binary XML token";
        return false;
    }
  }
  return true;
truncated:
  why = "evtx: binary XML truncated";
  return false;
}

const Plan* BinXml::plan_for(uint32_t def_off, Kind base, int depth, const char*& why) {
  for (size_t i = 0; i < n_plans_; ++i) {
    const Plan& p = *plans_[i];
    if (p.def_off == def_off && p.base == base) {
      if (!p.ok) why = p.why;
      return p.ok ? &p : nullptr;
    }
  }
  if (n_plans_ == plans_.size()) plans_.push_back(std::make_unique<Plan>());
  Plan& p = *plans_[n_plans_++];
  p.def_off = def_off;
  p.base = base;
  p.ops.clear();
  p.lits.clear();
  p.ok = false;
  p.why = "evtx: template definition out of the chunk";
  // Definition: next offset u32, GUID 16 bytes, data size u32, data.
  if (def_off < kChunkHeaderSize || def_off > size_ || size_ - def_off < 24) {
    why = p.why;
    return nullptr;
  }
  const uint32_t dsz = rd32(b_ + def_off + 20);
  if (size_ - def_off - 24 < dsz) {
    why = p.why;
    return nullptr;
  }
  const char* w = nullptr;
  p.ok = walk(def_off + 24, def_off + 24 + dsz, base, depth + 1, &p, nullptr, w);
  if (!p.ok) {
    p.why = w;
    why = w;
    return nullptr;
  }
  return &p;
}

bool BinXml::template_instance(uint32_t& pos, uint32_t end, Kind base, int depth, Ctx& ctx,
                               const char*& why) {
  // token, unknown u8, template id u32, definition offset u32
  if (end - pos < 10) {
    why = "evtx: template instance truncated";
    return false;
  }
  const uint32_t def_off = rd32(b_ + pos + 6);
  pos += 10;
  if (def_off == pos) {  // the definition is stored here, in this record
    if (end - pos < 24 || end - pos - 24 < rd32(b_ + pos + 20)) {
      why = "evtx: template definition truncated";
      return false;
    }
    pos += 24 + rd32(b_ + pos + 20);
  }
  if (end - pos < 4) {
    why = "evtx: template values truncated";
    return false;
  }
  const uint32_t n = rd32(b_ + pos);
  pos += 4;
  if (n > (end - pos) / 4) {
    why = "evtx: too many template values";
    return false;
  }
  const size_t vbase = vals_.size();
  uint32_t vpos = pos + 4 * n;
  for (uint32_t i = 0; i < n; ++i) {
    const uint32_t sz = rd16(b_ + pos + 4 * i);
    const uint8_t type = b_[pos + 4 * i + 2];
    if (end - vpos < sz) {
      vals_.resize(vbase);
      why = "evtx: template value out of the record";
      return false;
    }
    vals_.push_back(Value{vpos, sz, type});
    vpos += sz;
  }
  pos = vpos;
  const Plan* plan = plan_for(def_off, base, depth, why);
  bool ok = plan && apply(*plan, vbase, n, depth, ctx, why);
  vals_.resize(vbase);
  return ok;
}

bool BinXml::apply(const Plan& plan, size_t vbase, size_t nvals, int depth, Ctx& ctx, const char*& why) {
  Record& r = *ctx.rec;
  if ((work_ += plan.ops.size()) > kMaxWorkPerRecord) {
    why = "evtx: binary XML too complex (work limit)";
    return false;
  }
  for (const PlanOp& op : plan.ops) {
    switch (op.code) {
      case PlanOp::data_begin:
        decide(ctx);
        if (!ctx.skip_data) r.add_field();
        break;
      case PlanOp::literal:
        if (is_data_target(op.target)) {
          decide(ctx);
          if (ctx.skip_data) break;
        }
        r.text_for(op.target)->append(plan.lits, op.lit_off, op.lit_len);
        break;
      case PlanOp::subst: {
        if (op.index >= nvals) break;  // missing value: empty
        const Value v = vals_[vbase + op.index];
        if ((v.type & 0x7F) == kBinXml) {
          if ((op.ctx == Kind::event_data || op.ctx == Kind::data) && ctx.decided && ctx.skip_data) break;
          if (!walk(v.pos, v.pos + v.size, op.ctx, depth + 1, nullptr, &ctx, why)) return false;
          break;
        }
        if (op.target == kTNone) break;
        if (is_data_target(op.target)) {
          decide(ctx);
          if (ctx.skip_data) break;
        }
        if (op.target == kTTime && v.type == kFileTime && v.size == 8) {
          r.time = filetime_to_ns(rd64(b_ + v.pos));
          break;
        }
        if (op.target == kTDataValue && (v.type & kArrayFlag)) {
          // One Data element per item, all with this element's name.
          if (!array_items(v.type, b_ + v.pos, v.size, items_)) break;
          name_ = *r.text_for(kTDataName);
          for (size_t k = 0; k < items_.size(); ++k) {
            if (k) r.add_field().name = name_;
            append_value(v.type & 0x7F, b_ + v.pos + items_[k].first, items_[k].second, *r.text_for(op.target));
          }
          break;
        }
        append_value(v.type, b_ + v.pos, v.size, *r.text_for(op.target));
        break;
      }
    }
  }
  return true;
}

bool BinXml::read_record(uint32_t pos, uint32_t end, Record& rec, RecordHandler& h, const char*& why) {
  Ctx ctx;
  ctx.rec = &rec;
  ctx.h = &h;
  vals_.clear();
  work_ = 0;
  const bool ok = walk(pos, end, Kind::root, 0, nullptr, &ctx, why);
  decide(ctx);
  if (rec.time == kNoTime && !rec.time_text.empty()) parse_datetime(rec.time_text, rec.time);
  return ok;
}

}  // namespace outflow::evtx::detail
