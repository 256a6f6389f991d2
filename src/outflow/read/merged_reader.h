// Reading inputs merged by time.
//
// Each open input is read by its format's reader on a fiber (core/fiber_pool.h: one thread per
// core runs the fibers of every input file; stdin, a pipe or a FIFO, whose reads may block for as
// long as the writer likes, gets a thread of its own) into small batches of records; the calling thread merges
// the inputs' records by time and hands them to the sink. An endpoint event and the flows it
// explains then arrive near each other whatever the files are (one Sysmon log per host, a
// collector's file of every host, hourly Zeek logs), which is what lets the join forget old
// state: memory follows the hours in flight, not the input. And the files are parsed on other
// cores than the join.
//
// The order is by key:
//  - endpoint events: their time minus `lead`, so the endpoint side is read that far ahead of
//    the flows: a host whose clock is fast by up to `lead` still has its events in before the
//    sensor's records of the same connections;
//  - flow records: their end (sensors write a connection when it ends), else their start;
//  - DNS answers, Zeek ssl/http (AppRecord), dhcp and capture_loss records: their time (an
//    ssl or http record then comes before the record of its connection, keyed by its end).
// A record without a time, or one that jumps more than kMaxStep past its input's clock (a wild
// timestamp, a gap in logging), is keyed at most kMaxStep ahead, so one bad record cannot hold
// back the rest of its file. Ties go to the input listed first, and a thread only ever reads
// ahead in its own file: the delivered order does not depend on thread timing.
//
// An input is opened when the merge reaches the key of its first record (probe_first_time), so
// a folder of many short recordings does not hold them all open at once.
#pragma once
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "outflow/read/input.h"

namespace outflow {

struct MergeInput {
  std::string path;             // "-" is stdin
  TimeNs first = kNoTime;       // time of its first records (probe_first_time); kNoTime: open at once
  bool endpoint = false;        // for `first`: its records are keyed time - lead
  // An input read only once, already open (DetectedInput::once): read from here, not `path`.
  std::shared_ptr<ByteSource> once{};
};

struct MergeOptions {
  static constexpr TimeNs kMaxStep = 3600 * kNsPerSec;
  TimeNs lead = 12 * 3600 * kNsPerSec;
  // Records per hand-over between threads, and each open text input's line buffer (it grows
  // for long lines). Measured on 50 per-host files + conn.log, 1.25 GB: 64/64 KiB cost 10-15%
  // more CPU than 128/128 KiB (more reads and wake-ups), 256/256 KiB no less than 128/128 and
  // 17 MB more memory.
  size_t batch = 128;
  size_t line_buffer = 128u << 10;
  // With many inputs (an incident collection: a file per host, all open at once since they
  // cover the same days), each input's batches and line buffer shrink so that all of them
  // together stay within these totals, down to kMinBatch records and kMinLineBuffer bytes (a
  // longer line still grows its buffer). 600 host files held 83 MB of batches and 66 MB of
  // line buffers at full size (heaptrack); up to 64 inputs nothing changes. Measured on those 600
  // files with a thread per input: peak RSS 351 -> 262 MB at 0-4% more time with batches of 64;
  // batches of 16 went to 214 MB but cost 30-40% more time (six times the context switches).
  // With fibers and packed endpoint events, batches of 16 cost nothing measurable there
  // (3.67-3.76 s against 3.53-3.85 s with 64) and 5,000 host files hold 100 MB less.
  static constexpr size_t kMinBatch = 16, kMinLineBuffer = 16u << 10;
  size_t batch_total = 128 * 64;
  size_t line_buffer_total = size_t{128u << 10} * 64;
  // These options with batch and line_buffer as each of `inputs` inputs gets them.
  MergeOptions for_inputs(size_t inputs) const;
  unsigned threads = 1;               // EVTX parse threads per file
  // An endpoint event's clock offset (added to its time to key it on the sensor's clock: a
  // host whose connection events are days behind is read next to the flows they explain).
  // Called on the merging thread. Empty: no shift (join/clock_survey.h makes one).
  std::function<TimeNs(const HostEvent&)> endpoint_shift;
  // Called with the merge clock (the highest key delivered so far) before each record.
  std::function<void(TimeNs)> on_clock;
  // Called when an input is opened (progress display).
  std::function<void(size_t opened, size_t total, const std::string& path)> on_open;
};

// Reads every input, merged by time, into `sink`. `stats` gets one entry per input, in input
// order; each input's diagnostics are merged into `diag` in input order. Returns false with
// `error` when an input cannot be read (missing, unrecognised, I/O or decompression error), as
// read_input_file does; the other inputs are then abandoned.
bool read_merged(const std::vector<MergeInput>& inputs, RecordSink& sink, const MergeOptions& o,
                 Diagnostics& diag, std::vector<FileStats>& stats, std::string& error);

// The earliest record time among the records in the first 128 KiB (decompressed) of `path`,
// kNoTime if there is none (or the file cannot be read: reading it properly will say why).
// An input that cannot be opened again (stdin, a pipe, a FIFO: see reopenable()) is not
// touched: kNoTime, it is opened at once. With `shift` (MergeOptions::endpoint_shift),
// endpoint events count at their shifted time.
TimeNs probe_first_time(const std::string& path, const std::function<TimeNs(const HostEvent&)>& shift = {});

}  // namespace outflow
