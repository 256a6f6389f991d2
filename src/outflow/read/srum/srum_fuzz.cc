// libFuzzer target: SRUM's own decoding (read/srum), not libesedb's: OLE dates, SIDs and id
// blobs, the ESE header check and checksum fix, and the export readers (SrumECmd CSV, Chainsaw
// and Velociraptor JSON) on arbitrary bytes. See docs/robustness.md.
#include <cstring>
#include <string>

#include "outflow/read/srum/srum_decode.h"
#include "outflow/read/srum/srum_export.h"
#include "outflow/testing/fuzz_support.h"

using namespace outflow;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  uint64_t sum = 0;
  if (size >= 8) {
    const TimeNs t = srum::ole_date_bytes_to_ns(data);
    fuzz::check(t == kNoTime || (in_record_range(t) && t % kNsPerSec == 0));
  }
  std::string s;
  if (srum::sid_to_string(data, size, s)) fuzz::check(s.starts_with("S-1-"));
  if (size > 0) {
    if (srum::decode_id_blob(data[0] & 3, data + 1, size - 1, s)) sum += fuzz::touch(s);
    sum += fuzz::touch(srum::program_of_app_info(in));
  }
  // The header fix only ever makes libesedb's checksum hold, and only where Windows' held.
  std::string copy(in);
  const srum::EseHeader before = srum::read_ese_header(copy);
  const int fixed = srum::fix_header_checksums(copy);
  fuzz::check(fixed == 0 || before.ese);
  if (before.ese && before.page_checksum_ok && size >= 4096) fuzz::check(srum::read_ese_header(copy).checksum_ok);
  if (!before.page_checksum_ok) fuzz::check(copy.compare(0, 4, in.substr(0, 4)) == 0);  // header 0 untouched
  // Every export reader on the same bytes, whatever their shape.
  for (const auto shape : {srum::ExportShape::srumecmd_csv, srum::ExportShape::chainsaw_json,
                           srum::ExportShape::velociraptor_json}) {
    srum::UsageFile f;
    srum::read_export(in, shape, "fuzz", f);
    for (const auto& r : f.rows) {
      fuzz::check(in_record_range(r.end));
      fuzz::check(r.bytes_sent <= (uint64_t{1} << 50) && r.bytes_recvd <= (uint64_t{1} << 50));
      sum += fuzz::touch(r.program) + fuzz::touch(r.user_sid) + fuzz::touch(r.user_name);
    }
  }
  (void)srum::detect_export(in);
  (void)srum::srum_like_json(in);
  return static_cast<int>(sum & 0);
}
