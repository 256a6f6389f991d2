#include "outflow/write/async_writer.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <string>

namespace outflow {
namespace {

TEST(AsyncWriter, EveryByteInOrderAcrossManyHandOvers) {
  std::FILE* f = std::tmpfile();
  ASSERT_NE(f, nullptr);
  std::string want;
  {
    AsyncWriter w(f, 1000);  // small chunks: hundreds of hand-overs
    for (int i = 0; i < 20'000; ++i) {
      const std::string line = "{\"n\":" + std::to_string(i) + "}\n";
      w.buffer() += line;
      want += line;
      ASSERT_TRUE(w.maybe_flush());
    }
    EXPECT_TRUE(w.finish());
    EXPECT_TRUE(w.finish()) << "a second finish gives the same result";
  }
  std::rewind(f);
  std::string got(want.size() + 1, '\0');
  got.resize(std::fread(got.data(), 1, got.size(), f));
  std::fclose(f);
  EXPECT_EQ(got, want);
}

TEST(AsyncWriter, AFailedWriteIsReportedAndWhatFollowsIsDropped) {
  // A stream opened for reading only: every fwrite fails.
  std::FILE* f = std::fopen("/dev/null", "r");
  ASSERT_NE(f, nullptr);
  AsyncWriter w(f, 10);
  bool refused = false;
  for (int i = 0; i < 1'000 && !refused; ++i) {
    w.buffer() += "0123456789abcdef";
    refused = !w.maybe_flush();
  }
  EXPECT_TRUE(refused) << "the caller learns of the failure while it writes";
  EXPECT_FALSE(w.finish());
  std::fclose(f);
}

TEST(AsyncWriter, DestroyedWithoutFinishStillWritesEverything) {
  std::FILE* f = std::tmpfile();
  ASSERT_NE(f, nullptr);
  {
    AsyncWriter w(f, 4);
    w.buffer() += "abcdef";
    EXPECT_TRUE(w.maybe_flush());
    w.buffer() += "gh";
  }
  std::rewind(f);
  char got[16] = {};
  EXPECT_EQ(std::fread(got, 1, sizeof got, f), 8u);
  EXPECT_EQ(std::string(got, 8), "abcdefgh");
  std::fclose(f);
}

}  // namespace
}  // namespace outflow
