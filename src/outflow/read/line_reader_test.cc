// The line reader on hostile input: a 200 MB line is skipped and counted in bounded memory,
// and reading goes on with the next line.
#include "outflow/read/line_reader.h"

#include <gtest/gtest.h>

#include <cstring>

#include "outflow/testing/collect_sink.h"

namespace outflow {
namespace {

// Produces `prefix`, then `n` bytes of 'A', then `suffix`, without holding the long part.
class LongLineSource final : public ByteSource {
 public:
  LongLineSource(std::string prefix, uint64_t n, std::string suffix)
      : prefix_(std::move(prefix)), n_(n), suffix_(std::move(suffix)) {}
  long read(char* buf, size_t n) override {
    const uint64_t total = prefix_.size() + n_ + suffix_.size();
    if (pos_ >= total) return 0;
    size_t k = 0;
    while (k < n && pos_ < total) {
      if (pos_ < prefix_.size()) {
        const size_t m = std::min<uint64_t>(n - k, prefix_.size() - pos_);
        std::memcpy(buf + k, prefix_.data() + pos_, m);
        k += m, pos_ += m;
      } else if (pos_ < prefix_.size() + n_) {
        const size_t m = std::min<uint64_t>(n - k, prefix_.size() + n_ - pos_);
        std::memset(buf + k, 'A', m);
        k += m, pos_ += m;
      } else {
        const uint64_t at = pos_ - prefix_.size() - n_;
        const size_t m = std::min<uint64_t>(n - k, suffix_.size() - at);
        std::memcpy(buf + k, suffix_.data() + at, m);
        k += m, pos_ += m;
      }
    }
    raw_ += k;
    return static_cast<long>(k);
  }
  uint64_t raw_bytes_read() const override { return raw_; }

 private:
  std::string prefix_;
  uint64_t n_;
  std::string suffix_;
  uint64_t pos_ = 0, raw_ = 0;
};

constexpr uint64_t k200MB = 200ull << 20;

TEST(LineReader, TwoHundredMegabyteLineIsSkippedInBoundedMemory) {
  LongLineSource src("first\n{", k200MB, "}\nlast\n");
  LineReader lines(src);
  std::string_view line;
  ASSERT_EQ(lines.next(line), LineReader::Status::line);
  EXPECT_EQ(line, "first");
  ASSERT_EQ(lines.next(line), LineReader::Status::too_long);
  EXPECT_TRUE(line.empty());
  EXPECT_EQ(lines.line_number(), 2u);
  EXPECT_EQ(lines.line_offset(), 6u);
  ASSERT_EQ(lines.next(line), LineReader::Status::line);
  EXPECT_EQ(line, "last");
  EXPECT_EQ(lines.line_number(), 3u);
  EXPECT_EQ(lines.next(line), LineReader::Status::end);
  EXPECT_EQ(lines.bytes_consumed(), 6 + 1 + k200MB + 2 + 5);
  // Memory held: the 64 MiB cap (plus padding), never the 200 MB line.
  EXPECT_LE(lines.buffer_size(), LineReader::kDefaultMaxLine + 1 + LineReader::kPadding);
}

TEST(LineReader, OverlongLastLineWithoutNewlineIsSkipped) {
  LongLineSource src("ok\n", 5000, "");
  LineReader lines(src, 1024);
  std::string_view line;
  ASSERT_EQ(lines.next(line), LineReader::Status::line);
  EXPECT_EQ(lines.next(line), LineReader::Status::too_long);
  EXPECT_EQ(lines.next(line), LineReader::Status::end);
  EXPECT_EQ(lines.bytes_consumed(), 3u + 5000u);
}

TEST(LineReader, NulBytesAreOrdinaryBytesOfALine) {
  const std::string text("a\0b\n\0\n", 6);
  auto src = memory_byte_source(text);
  LineReader lines(*src);
  std::string_view line;
  ASSERT_EQ(lines.next(line), LineReader::Status::line);
  EXPECT_EQ(line, std::string_view("a\0b", 3));
  ASSERT_EQ(lines.next(line), LineReader::Status::line);
  EXPECT_EQ(line, std::string_view("\0", 1));
}

TEST(LineReader, HugeWindowsJsonLineIsCountedAndTheNextEventRead) {
  // Through the reader: the 200 MB line is one bad record "line too long", with its line and
  // offset, and the event after it is read.
  const std::string ev =
      R"({"EventID":3,"Hostname":"h","UtcTime":"2024-01-02 03:04:05","ProcessGuid":"{g}","SourceIp":"10.0.0.1","DestinationIp":"10.0.0.2","SourcePort":"1","DestinationPort":"2"})";
  LongLineSource src("{\"CommandLine\":\"", k200MB, "\"}\n" + ev + "\n");
  LineReader lines(src);
  testing::CollectSink sink;
  Diagnostics diag;
  FileStats stats;
  const std::string file = "big.json";
  ReadContext ctx{file, sink, diag, stats};
  ASSERT_TRUE(read_windows_json(lines, ctx));
  EXPECT_EQ(sink.events.size(), 1u);
  EXPECT_EQ(diag.bad_records(), 1u);
  EXPECT_EQ(diag.bad_by_reason().at("line too long"), 1u);
  ASSERT_EQ(diag.samples().size(), 1u);
  EXPECT_EQ(diag.samples()[0].line, 1u);
  EXPECT_EQ(diag.samples()[0].offset, 0u);
  EXPECT_EQ(stats.bad, 1u);
}

}  // namespace
}  // namespace outflow
