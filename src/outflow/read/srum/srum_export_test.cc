#include "outflow/read/srum/srum_export.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>

#include "outflow/read/input.h"
#include "outflow/read/srum/srudb_reader.h"

namespace outflow::srum {
namespace {

constexpr TimeNs kT = 1646930100LL * kNsPerSec;  // 2022-03-10T16:35:00Z

const char* kSrumECmd =
    "\xEF\xBB\xBFId,Timestamp,ExeInfo,ExeInfoDescription,ExeTimestamp,SidType,Sid,UserName,UserId,AppId,BytesReceived,"
    "BytesSent,InterfaceLuid,InterfaceType,L2ProfileFlags,L2ProfileId,ProfileName\r\n"
    "1,2022-03-10 16:35:00,,,,,,,2,1,131866573,1721816,1689399632855040,IF_TYPE_ETHERNET_CSMACD,0,0,\r\n"
    "2,2022-03-10 16:35:00,\\device\\harddiskvolume3\\tmp\\nbtscan.exe,\"a, description\",,UnknownOrUserSid,"
    "S-1-5-21-1-2-3-1000,TestUser,178,285,615,70104,1689399632855040,IF_TYPE_ETHERNET_CSMACD,0,0,\r\n"
    "3,not a time,x.exe,,,,,,1,1,1,1,0,,0,0,\r\n";

TEST(SrumExport, ReadsSrumECmdCsv) {
  EXPECT_EQ(detect_export(kSrumECmd), ExportShape::srumecmd_csv);
  UsageFile f;
  read_export(kSrumECmd, ExportShape::srumecmd_csv, "n.csv", f);
  ASSERT_TRUE(f.error.empty()) << f.error;
  ASSERT_EQ(f.rows.size(), 2u);
  EXPECT_EQ(f.bad_rows, 1u);
  EXPECT_TRUE(f.rows[0].interface_total);
  const UsageRecord& r = f.rows[1];
  EXPECT_FALSE(r.interface_total);
  EXPECT_EQ(r.end, kT);
  EXPECT_EQ(r.program, "\\device\\harddiskvolume3\\tmp\\nbtscan.exe");
  EXPECT_EQ(r.kind, ProgramKind::path);
  EXPECT_EQ(r.user_sid, "S-1-5-21-1-2-3-1000");
  EXPECT_EQ(r.user_name, "TestUser");
  EXPECT_EQ(r.bytes_sent, 70104u);
  EXPECT_EQ(r.bytes_recvd, 615u);
  EXPECT_EQ(r.app_id, 285);
  EXPECT_EQ(r.interface_luid, 1689399632855040u);
  EXPECT_EQ(f.source, "srumecmd-csv");
  EXPECT_EQ(f.sha256.size(), 64u);
}

const char* kChainsaw =
    R"([{"Id":2,"Name":"MSysObjects","Table":"MSysObjects","TableName":"MSysObjects","Type":1},)"
    R"({"AppId":1,"AppName":null,"AutoIncId":1,"BytesRecvd":131866573,"BytesSent":1721816,"InterfaceLuid":1689399632855040,)"
    R"("L2ProfileFlags":0,"L2ProfileId":0,"Table":"{973F5D5C-1D90-4944-BE8E-24B94231A174}","TableName":"Network Data Usage",)"
    R"("TimeStamp":"2022-03-10T16:34:59Z","UserId":2,"UserName":null,"UserSID":null},)"
    R"({"AppId":285,"AppName":"\\device\\harddiskvolume3\\tmp\\nbtscan.exe","AutoIncId":2,"BytesRecvd":615,"BytesSent":70104,)"
    R"("InterfaceLuid":1689399632855040,"L2ProfileId":0,"Table":"{973F5D5C-1D90-4944-BE8E-24B94231A174}",)"
    R"("TableName":"Network Data Usage","TimeStamp":"2022-03-10T16:34:59Z","UserId":178,"UserName":"TestUser",)"
    R"("UserSID":"S-1-5-21-1-2-3-1000"},)"
    R"({"AppId":3,"AutoIncId":9,"Table":"{D10CA2FE-6FCF-4F6D-848E-B2E99266FA89}","TableName":"App","TimeStamp":"2022-03-10T16:34:59Z"}])";

TEST(SrumExport, ReadsChainsawJsonNetworkUsageRowsOnly) {
  EXPECT_EQ(detect_export(kChainsaw), ExportShape::chainsaw_json);
  UsageFile f;
  read_export(kChainsaw, ExportShape::chainsaw_json, "c.json", f);
  ASSERT_TRUE(f.error.empty()) << f.error;
  ASSERT_EQ(f.rows.size(), 2u);
  EXPECT_EQ(f.bad_rows, 0u);
  EXPECT_TRUE(f.rows[0].interface_total);
  EXPECT_EQ(f.rows[1].program, "\\device\\harddiskvolume3\\tmp\\nbtscan.exe");
  EXPECT_EQ(f.rows[1].end, kT - kNsPerSec);  // Chainsaw's cut time stamp, as written
  EXPECT_EQ(f.rows[1].row_id, 2);
}

const char* kVelociraptor =
    R"({"SRUMId":1,"TimeStamp":"2022-03-10T16:35:00Z","App":"","UserSid":"","User":"","UserId":2,"BytesSent":1721816,)"
    R"("BytesRecvd":131866573,"InterfaceLuid":1689399632855040,"L2ProfileId":0,"L2ProfileFlags":0})"
    "\n"
    R"({"SRUMId":2,"TimeStamp":"2022-03-10T16:35:00Z","App":"\\device\\harddiskvolume3\\tmp\\nbtscan.exe",)"
    R"("UserSid":"S-1-5-21-1-2-3-1000","User":"TestUser","UserId":178,"BytesSent":"70104","BytesRecvd":615,)"
    R"("InterfaceLuid":1689399632855040,"L2ProfileId":0,"L2ProfileFlags":0})"
    "\n"
    R"({"SRUMId":3,"TimeStamp":"2022-03-10T16:35:00Z","App":"x","UserId":3,"BytesSent":-5,"BytesRecvd":1})"
    "\n"
    R"({"SRUMId":4,"TimeStamp":"2022-03-10T16:34:59.9999Z","App":"y.exe","UserId":3,"BytesSent":5,"BytesRecvd":1})"
    "\n";

TEST(SrumExport, ReadsVelociraptorRows) {
  EXPECT_EQ(detect_export(kVelociraptor), ExportShape::velociraptor_json);
  UsageFile f;
  read_export(kVelociraptor, ExportShape::velociraptor_json, "v.json", f);
  ASSERT_TRUE(f.error.empty()) << f.error;
  ASSERT_EQ(f.rows.size(), 3u);
  EXPECT_EQ(f.bad_rows, 1u);  // negative bytes
  EXPECT_EQ(f.rows[2].end, kT);  // the OLE date's double printed with a fraction: rounded
  EXPECT_TRUE(f.rows[0].interface_total);
  EXPECT_EQ(f.rows[1].end, kT);
  EXPECT_EQ(f.rows[1].bytes_sent, 70104u);  // a number as a string
  EXPECT_EQ(f.rows[1].user_sid, "S-1-5-21-1-2-3-1000");
  EXPECT_EQ(f.rows[1].row_id, 2);
}

TEST(SrumExport, OtherSrumLikeJsonIsNotAnExport) {
  const char* oracle =
      R"({"AutoIncId": 1, "TimeStamp": "2022-03-10T16:34:59Z", "AppId": 1, "AppName": null, "UserId": 2, "BytesSent": 1, "BytesRecvd": 2})";
  EXPECT_EQ(detect_export(oracle), ExportShape::none);
  EXPECT_TRUE(srum_like_json(oracle));
  EXPECT_FALSE(srum_like_json(R"({"EventID":1,"Hostname":"h"})"));
  EXPECT_FALSE(srum_like_json(kChainsaw));
}

TEST(SrumExport, BrokenJsonSaysSo) {
  UsageFile f;
  read_export("[{\"Table\":", ExportShape::chainsaw_json, "b.json", f);
  EXPECT_NE(f.error.find("b.json: not valid JSON"), std::string::npos) << f.error;
  UsageFile g;
  read_export("", ExportShape::srumecmd_csv, "e.csv", g);
  EXPECT_FALSE(g.error.empty());
}

TEST(SrumExport, InputDetectionNamesSrumFormats) {
  EXPECT_EQ(detect_format(kSrumECmd), InputFormat::srum_export);
  EXPECT_EQ(detect_format(kChainsaw), InputFormat::srum_export);
  EXPECT_EQ(detect_format(kVelociraptor), InputFormat::srum_export);
  EXPECT_EQ(detect_format(std::string_view("\x12\x34\x56\x78\xEF\xCD\xAB\x89\x20\x06\0\0", 12)), InputFormat::srudb);
  EXPECT_EQ(detect_format(R"({"EventID":1,"Hostname":"h"})"), InputFormat::windows_json);
}

// A source that gives `bytes` in small steps, then fails.
class FailingSource final : public ByteSource {
 public:
  explicit FailingSource(std::string bytes) : bytes_(std::move(bytes)) {}
  long read(char* buf, size_t n) override {
    if (pos_ == bytes_.size()) {
      error_ = "disk on fire";
      return -1;
    }
    n = std::min<size_t>({n, 7, bytes_.size() - pos_});
    std::memcpy(buf, bytes_.data() + pos_, n);
    pos_ += n;
    return static_cast<long>(n);
  }
  uint64_t raw_bytes_read() const override { return pos_; }

 private:
  std::string bytes_;
  size_t pos_ = 0;
};

struct CountingSink final : UsageRowSink {
  size_t rows = 0;
  uint64_t sent = 0;
  void on_usage(const UsageRecord& r) override {
    ++rows;
    sent += r.bytes_sent;
  }
};

TEST(SrumExport, StreamsRowsToASinkAndHashesEveryByte) {
  for (const auto shape : {ExportShape::srumecmd_csv, ExportShape::velociraptor_json}) {
    std::string text = shape == ExportShape::srumecmd_csv ? std::string(kSrumECmd) : std::string();
    if (shape == ExportShape::velociraptor_json)
      for (int i = 0; i < 3; ++i)
        text += "{\"SRUMId\": " + std::to_string(i) +
                ", \"TimeStamp\": \"2022-03-10T16:35:00Z\", \"App\": \"x.exe\", \"UserId\": 5, \"BytesSent\": 10, "
                "\"BytesRecvd\": 1}\n";
    UsageFile f;
    CountingSink sink;
    f.sink = &sink;
    const auto src = memory_byte_source(text);
    read_export(*src, shape, "s", f);
    ASSERT_TRUE(f.error.empty()) << f.error;
    EXPECT_TRUE(f.rows.empty());  // given to the sink, not kept
    EXPECT_EQ(sink.rows, shape == ExportShape::srumecmd_csv ? 2u : 3u);
    EXPECT_EQ(f.rows_read, sink.rows);
    EXPECT_EQ(f.interface_totals_read, shape == ExportShape::srumecmd_csv ? 1u : 0u);
    EXPECT_EQ(f.sha256, sha256_hex(text));
  }
}

TEST(SrumExport, AReadErrorAfterRowsKeepsThemWithANote) {
  FailingSource src(kSrumECmd);
  UsageFile f;
  read_export(src, ExportShape::srumecmd_csv, "s.csv", f);
  EXPECT_TRUE(f.error.empty()) << f.error;
  EXPECT_EQ(f.rows.size(), 2u);
  ASSERT_EQ(f.notes.size(), 1u);
  EXPECT_NE(f.notes[0].find("disk on fire"), std::string::npos);
  FailingSource none("");
  UsageFile g;
  read_export(none, ExportShape::srumecmd_csv, "t.csv", g);
  EXPECT_EQ(g.error, "t.csv: disk on fire");
}

}  // namespace
}  // namespace outflow::srum
