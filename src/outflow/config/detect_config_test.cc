#include "outflow/config/detect_config.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

namespace outflow {
namespace {

TEST(Config, ShippedFileIsTheDefault) {
  std::ifstream in(std::string(OUTFLOW_SOURCE_DIR) + "/config/outflow.yaml");
  ASSERT_TRUE(in);
  std::stringstream ss;
  ss << in.rdbuf();
  EXPECT_EQ(ss.str(), std::string(default_config_yaml()));  // compiled in, cannot drift

  const DetectConfig c = default_config();
  EXPECT_EQ(c.time_window, 900 * kNsPerSec);
  EXPECT_EQ(c.volume_session, 10'000'000u);     // AN1571
  EXPECT_EQ(c.volume_connection, 50'000'000u);  // AN0367
  EXPECT_EQ(c.burst_bytes, 1'000'000u);         // AN0988
  EXPECT_EQ(c.burst_within, 300 * kNsPerSec);
  EXPECT_DOUBLE_EQ(c.upload_ratio, 0.9);        // AN0075
  ASSERT_EQ(c.long_duration_steps.size(), 4u);  // RITA's 1, 4, 8, 12 h
  EXPECT_EQ(c.long_duration_steps[3], 12 * 3600 * kNsPerSec);
  EXPECT_DOUBLE_EQ(c.min_score, 40);
  EXPECT_GE(c.exclusions.size(), 8u);
  for (const auto& r : c.exclusions) {
    // Every shipped rule checks more than a file name: a full path and a signer or destination.
    EXPECT_FALSE(r.image.empty()) << r.name;
    EXPECT_TRUE(!r.company.empty() || !r.original_file_name.empty() || !r.hashes.empty() || !r.destination_domain.empty())
        << r.name;
  }
  IpAddr a;
  ASSERT_TRUE(IpAddr::parse("172.20.1.1", a));
  EXPECT_TRUE(c.internal_networks.contains(a));
  ASSERT_TRUE(IpAddr::parse("8.8.8.8", a));
  EXPECT_FALSE(c.internal_networks.contains(a));
}

TEST(Config, OverlayReplacesOnlyTheKeysGiven) {
  DetectConfig c = default_config();
  std::string err;
  ASSERT_TRUE(apply_config_yaml("time_window: 300\ncountry_deny: [KP, IR]\nexclusions: []\n", c, err)) << err;
  EXPECT_EQ(c.time_window, 300 * kNsPerSec);
  EXPECT_EQ(c.country_deny, (std::vector<std::string>{"KP", "IR"}));
  EXPECT_TRUE(c.exclusions.empty());
  EXPECT_EQ(c.volume_session, 10'000'000u);  // untouched
  ASSERT_TRUE(apply_config_yaml("", c, err)) << err;  // an empty file changes nothing
}

TEST(Config, ErrorsNameTheKeyAndLineAndChangeNothing) {
  DetectConfig c = default_config();
  std::string err;
  EXPECT_FALSE(apply_config_yaml("min_score: 40\ntime_windw: 300\n", c, err));
  EXPECT_EQ(err, "unknown key 'time_windw' (line 2)");
  EXPECT_FALSE(apply_config_yaml("min_score: 140\n", c, err));
  EXPECT_NE(err.find("min_score: 140 is out of range"), std::string::npos) << err;
  EXPECT_FALSE(apply_config_yaml("volume_session: -1\n", c, err));
  EXPECT_NE(err.find("out of range"), std::string::npos) << err;
  EXPECT_FALSE(apply_config_yaml("time_window: soon\n", c, err));
  EXPECT_NE(err.find("'soon' is not a valid value"), std::string::npos) << err;
  EXPECT_FALSE(apply_config_yaml("internal_networks: [10.0.0.0/8, 300.1.1.1/8]\n", c, err));
  EXPECT_NE(err.find("300.1.1.1/8"), std::string::npos) << err;
  EXPECT_FALSE(apply_config_yaml("long_duration_steps: [3600, 60]\n", c, err));
  EXPECT_NE(err.find("must increase"), std::string::npos);
  EXPECT_FALSE(apply_config_yaml("exclusions:\n  - name: x\n    imagee: [a]\n", c, err));
  EXPECT_NE(err.find("exclusions.x: unknown key 'imagee'"), std::string::npos) << err;
  EXPECT_FALSE(apply_config_yaml("exclusions:\n  - name: onlyname\n", c, err));
  EXPECT_NE(err.find("at least one field"), std::string::npos);
  EXPECT_FALSE(apply_config_yaml("volume_session: 60000000\n", c, err));  // above volume_connection
  EXPECT_NE(err.find("volume thresholds must increase"), std::string::npos) << err;
  EXPECT_FALSE(apply_config_yaml("min_score: [1\n", c, err));
  EXPECT_EQ(err.rfind("YAML: ", 0), 0u) << err;
  EXPECT_FALSE(apply_config_yaml("- a\n- b\n", c, err));
  const DetectConfig d = default_config();
  EXPECT_EQ(c.time_window, d.time_window);  // nothing applied by the failed calls
  EXPECT_EQ(c.exclusions.size(), d.exclusions.size());
}

TEST(Config, MissingFileIsAClearError) {
  DetectConfig c = default_config();
  std::string err;
  EXPECT_FALSE(load_config_file("/nonexistent/outflow.yaml", c, err));
  EXPECT_EQ(err, "/nonexistent/outflow.yaml: cannot open config file");
}

}  // namespace
}  // namespace outflow
