#include "outflow/features/usage_rows.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace outflow {

namespace {

bool by_group_then_time(const UsageRowStore::Stored& a, const UsageRowStore::Stored& b) {
  if (a.group != b.group) return a.group < b.group;
  return a.end < b.end;
}

}  // namespace

UsageRowStore::UsageRowStore(size_t rows_in_memory) : limit_(std::max<size_t>(rows_in_memory, 1)) {}

UsageRowStore::~UsageRowStore() {
  if (file_) std::fclose(file_);
}

uint32_t UsageRowStore::intern(const std::string& s) {
  auto it = ids_.find(s);
  if (it == ids_.end()) {
    it = ids_.emplace(s, static_cast<uint32_t>(strings_.size())).first;
    strings_.push_back(&it->first);  // unordered_map nodes do not move
  }
  return it->second;
}

void UsageRowStore::add(const srum::UsageRecord& r, uint32_t group, uint32_t input) {
  buf_.push_back({r.end, r.interface_luid, r.bytes_sent, r.bytes_recvd, r.app_id, r.user_id, r.l2_profile_id, r.row_id,
                  group, input, intern(r.program), intern(r.user_sid), intern(r.user_name), r.kind, r.interface_total});
  ++rows_;
  if (buf_.size() >= limit_ && spill_error_.empty()) spill();
}

// The rows in memory, sorted by group and time (stably: the order added stays within both), as
// one more run at the end of the temporary file.
void UsageRowStore::spill() {
  if (!file_) {
    file_ = std::tmpfile();  // unlinked: gone with the process, whatever happens
    if (!file_) {
      spill_error_ = std::string("no temporary file (") + std::strerror(errno) + ")";
      return;
    }
  }
  std::stable_sort(buf_.begin(), buf_.end(), by_group_then_time);
  if (std::fwrite(buf_.data(), sizeof(Stored), buf_.size(), file_) != buf_.size() || std::fflush(file_) != 0) {
    spill_error_ = std::string("cannot write the temporary file (") + std::strerror(errno) + ")";
    return;  // the rows stay in memory; the runs written before are still good
  }
  Run run;
  for (size_t i = 0; i < buf_.size(); ++i)
    if (i == 0 || buf_[i].group != buf_[i - 1].group) {
      if (!run.segments.empty()) run.segments.back().end = file_rows_ + i;
      run.segments.push_back({buf_[i].group, file_rows_ + i, 0});
    }
  if (!run.segments.empty()) run.segments.back().end = file_rows_ + buf_.size();
  file_rows_ += buf_.size();
  runs_.push_back(std::move(run));
  buf_.clear();
}

bool UsageRowStore::read_rows(uint64_t first, size_t n, std::vector<Stored>& out) {
  out.resize(n);
  const size_t want = n * sizeof(Stored);
  size_t got = 0;
  while (got < want) {
    const ssize_t r = ::pread(fileno(file_), reinterpret_cast<char*>(out.data()) + got, want - got,
                              static_cast<off_t>(first * sizeof(Stored) + got));
    if (r <= 0) {
      if (r < 0 && errno == EINTR) continue;
      return false;
    }
    got += static_cast<size_t>(r);
  }
  return true;
}

void UsageRowStore::fill(srum::UsageRecord& r, const Stored& s) const {
  r.end = s.end;
  r.interface_luid = s.luid;
  r.bytes_sent = s.sent;
  r.bytes_recvd = s.recvd;
  r.app_id = s.app_id;
  r.user_id = s.user_id;
  r.l2_profile_id = s.l2_profile_id;
  r.row_id = s.row_id;
  r.program = *strings_[s.program];
  r.user_sid = *strings_[s.user_sid];
  r.user_name = *strings_[s.user_name];
  r.kind = s.kind;
  r.interface_total = s.interface_total;
}

void UsageRowStore::for_each(const std::vector<size_t>& rank_of, const Each& each) {
  const auto rank = [&](uint32_t g) {
    if (g == kInterfaceGroup) return SIZE_MAX;
    return g < rank_of.size() ? rank_of[g] : SIZE_MAX - 1;
  };
  srum::UsageRecord r;
  if (runs_.empty() || !spill_error_.empty()) {
    // All in memory (few rows, or no temporary file: then the runs written are merged below
    // with the rows in memory as one more run, sorted the same way).
    std::stable_sort(buf_.begin(), buf_.end(), [&](const Stored& a, const Stored& b) {
      if (a.group != b.group) return rank(a.group) < rank(b.group);
      return a.end < b.end;
    });
    if (runs_.empty()) {
      for (const Stored& s : buf_) {
        fill(r, s);
        if (!each(r, s.input, rank(s.group))) return;
      }
      return;
    }
  } else if (!buf_.empty()) {
    spill();
  }
  // Runs (and maybe the rows left in memory, after them): a group at a time, in rank order, its
  // segment of each run merged by time (the earlier run first on a tie: it was added first).
  std::vector<uint32_t> groups;
  for (const Run& run : runs_)
    for (const Segment& s : run.segments) groups.push_back(s.group);
  for (const Stored& s : buf_) groups.push_back(s.group);
  std::sort(groups.begin(), groups.end());
  groups.erase(std::unique(groups.begin(), groups.end()), groups.end());
  std::stable_sort(groups.begin(), groups.end(), [&](uint32_t a, uint32_t b) { return rank(a) < rank(b); });
  struct Cursor {
    uint64_t next = 0, end = 0;       // file rows still to read; or, for memory, indexes in buf_
    std::vector<Stored> chunk;
    size_t pos = 0;
    bool memory = false;
  };
  constexpr size_t kChunk = 1024;
  std::vector<Cursor> cursors;
  for (const uint32_t g : groups) {
    cursors.clear();
    for (const Run& run : runs_) {
      const auto it = std::lower_bound(run.segments.begin(), run.segments.end(), g,
                                       [](const Segment& s, uint32_t v) { return s.group < v; });
      if (it != run.segments.end() && it->group == g) cursors.push_back({it->begin, it->end, {}, 0, false});
    }
    if (!buf_.empty()) {  // sorted by rank, then time: the group's rows are contiguous
      const auto lo = std::find_if(buf_.begin(), buf_.end(), [&](const Stored& s) { return s.group == g; });
      auto hi = lo;
      while (hi != buf_.end() && hi->group == g) ++hi;
      if (lo != hi) cursors.push_back({static_cast<uint64_t>(lo - buf_.begin()), static_cast<uint64_t>(hi - buf_.begin()), {}, 0, true});
    }
    const auto head = [&](Cursor& c) -> const Stored* {
      if (c.memory) return c.next < c.end ? &buf_[c.next] : nullptr;
      if (c.pos == c.chunk.size()) {
        if (c.next == c.end) return nullptr;
        const size_t n = static_cast<size_t>(std::min<uint64_t>(kChunk, c.end - c.next));
        if (!read_rows(c.next, n, c.chunk)) {
          spill_error_ = std::string("cannot read the temporary file (") + std::strerror(errno) + ")";
          c.next = c.end;
          c.chunk.clear();
          c.pos = 0;
          return nullptr;
        }
        c.next += n;
        c.pos = 0;
      }
      return &c.chunk[c.pos];
    };
    for (;;) {
      Cursor* best = nullptr;
      const Stored* best_row = nullptr;
      for (Cursor& c : cursors) {
        const Stored* s = head(c);
        if (s && (!best_row || s->end < best_row->end)) best = &c, best_row = s;
      }
      if (!best) break;
      fill(r, *best_row);
      if (best->memory) ++best->next;
      else ++best->pos;
      if (!each(r, best_row->input, rank(g))) return;
    }
  }
}

}  // namespace outflow
