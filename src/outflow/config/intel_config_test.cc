// The config's `intel:` list: feeds with name, kind, weight, max_age (days) and enabled; errors
// name the key.
#include <gtest/gtest.h>

#include "outflow/config/detect_config.h"

namespace outflow {
namespace {

TEST(IntelConfig, FeedsAndTheirErrors) {
  DetectConfig c = default_config();
  EXPECT_TRUE(c.intel.empty());
  std::string err;
  ASSERT_TRUE(apply_config_yaml("intel:\n"
                                "  - {name: c2, kind: malicious, path: feeds/c2.txt, weight: 50, max_age: 7}\n"
                                "  - {path: lots.json, kind: trusted_abused, enabled: false}\n",
                                c, err))
      << err;
  ASSERT_EQ(c.intel.size(), 2u);
  EXPECT_EQ(c.intel[0].name, "c2");
  EXPECT_EQ(c.intel[0].kind, IntelKind::malicious);
  EXPECT_EQ(c.intel[0].weight, 50);
  EXPECT_EQ(c.intel[0].max_age, 7 * 86400 * kNsPerSec);
  EXPECT_EQ(c.intel[1].name, "lots.json");
  EXPECT_EQ(c.intel[1].kind, IntelKind::trusted_abused);
  EXPECT_FALSE(c.intel[1].enabled);
  DetectConfig d = default_config();
  EXPECT_FALSE(apply_config_yaml("intel:\n  - {path: x, kind: evil}\n", d, err));
  EXPECT_NE(err.find("kind must be"), std::string::npos) << err;
  EXPECT_FALSE(apply_config_yaml("intel:\n  - {name: x}\n", d, err));
  EXPECT_NE(err.find("needs a path"), std::string::npos) << err;
  EXPECT_FALSE(apply_config_yaml("intel:\n  - {path: x, colour: red}\n", d, err));
  EXPECT_NE(err.find("unknown key 'colour'"), std::string::npos) << err;
  EXPECT_FALSE(apply_config_yaml("intel:\n  - {path: x, weight: 500}\n", d, err));
  EXPECT_TRUE(d.intel.empty());
}

}  // namespace
}  // namespace outflow
