// The rows `outflow usage` writes a JSON line each, kept until the ranking is known (the most
// sent first, each program's intervals by time): compact (a fixed 88-byte record, the strings
// interned), and past a bound sorted into runs in an unlinked temporary file and merged when
// written, so memory stays bounded whatever the number of rows. See docs/srum.md.
#pragma once
#include <cstdint>
#include <cstdio>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "outflow/read/srum/srum_usage.h"

namespace outflow {

class UsageRowStore {
 public:
  // The group of the interface-wide totals: after every program.
  static constexpr uint32_t kInterfaceGroup = UINT32_MAX;

  // At most `rows_in_memory` rows are held before a run is written to the temporary file.
  explicit UsageRowStore(size_t rows_in_memory = size_t{1} << 17);
  ~UsageRowStore();
  UsageRowStore(const UsageRowStore&) = delete;
  UsageRowStore& operator=(const UsageRowStore&) = delete;

  // A row of `group` (its program, user and host; kInterfaceGroup) from input `input`.
  void add(const srum::UsageRecord& r, uint32_t group, uint32_t input);

  // Every row added, ordered by its group's rank (`rank_of[group]`; kInterfaceGroup last, rank
  // SIZE_MAX), then by time, then in the order added. `each` returning false stops. The record
  // passed is valid during the call only.
  using Each = std::function<bool(const srum::UsageRecord& r, uint32_t input, size_t rank)>;
  void for_each(const std::vector<size_t>& rank_of, const Each& each);

  size_t rows() const { return rows_; }
  size_t runs() const { return runs_.size(); }
  size_t rows_in_memory() const { return buf_.size(); }
  size_t strings() const { return strings_.size(); }
  // Why the temporary file could not be used ("": it could, or was not needed): the rows are
  // then all held in memory.
  const std::string& spill_error() const { return spill_error_; }

  struct Stored {
    TimeNs end;
    uint64_t luid, sent, recvd;
    int64_t app_id, user_id, l2_profile_id, row_id;
    uint32_t group, input, program, user_sid, user_name;
    srum::ProgramKind kind;
    bool interface_total;
  };

 private:
  struct Segment {
    uint32_t group;
    uint64_t begin, end;  // rows in the file
  };
  struct Run {
    std::vector<Segment> segments;  // by group
  };
  uint32_t intern(const std::string& s);
  void spill();
  bool read_rows(uint64_t first, size_t n, std::vector<Stored>& out);
  void fill(srum::UsageRecord& r, const Stored& s) const;

  size_t limit_;
  std::vector<Stored> buf_;
  std::vector<Run> runs_;
  std::FILE* file_ = nullptr;
  uint64_t file_rows_ = 0;
  size_t rows_ = 0;
  std::string spill_error_;
  std::unordered_map<std::string, uint32_t> ids_;
  std::vector<const std::string*> strings_;
};

}  // namespace outflow
