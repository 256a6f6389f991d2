// The firewall's user beside the process's (score/user_context.h, features/firewall_users.h),
// through the whole detector: Sysmon on the host, Zeek and the firewall's log of each connection.
#include "outflow/score/user_context.h"

#include <gtest/gtest.h>

#include "outflow/testing/world.h"

namespace outflow {
namespace {

using testing::World;

TEST(FirewallUsers, AccountNamesWhateverTheDomainSpelling) {
  EXPECT_EQ(account_name("CORP\\alice"), "alice");
  EXPECT_EQ(account_name("alice@corp.example"), "alice");
  EXPECT_EQ(account_name("alice"), "alice");
  EXPECT_TRUE(same_account("CORP\\Alice", "alice@corp.example"));
  EXPECT_FALSE(same_account("CORP\\alice", "CORP\\bob"));
  EXPECT_TRUE(non_personal_account("NT AUTHORITY\\SYSTEM"));
  EXPECT_TRUE(non_personal_account("corp\\WS01$"));
  EXPECT_TRUE(non_personal_account("unknown"));
  EXPECT_FALSE(non_personal_account("corp\\alice"));
}

TEST(FirewallUsers, CappedAndCountedAndRoundTripped) {
  FirewallUsers u;
  for (int i = 0; i < 6; ++i) u.add("corp\\u" + std::to_string(i), 10);
  u.add("corp\\u0", 5);
  EXPECT_EQ(u.users.size(), FirewallUsers::kMax);
  EXPECT_EQ(u.other_sessions, 2u);
  EXPECT_EQ(u.top()->user, "corp\\u0");
  EXPECT_EQ(u.top()->bytes_out, 15u);
  std::string blob;
  u.serialize(blob);
  FirewallUsers back;
  std::string_view in = blob;
  ASSERT_TRUE(back.deserialize(in));
  EXPECT_TRUE(in.empty());
  EXPECT_EQ(back.users.size(), u.users.size());
  EXPECT_EQ(back.other_sessions, 2u);
  std::string_view cut = std::string_view(blob).substr(0, blob.size() - 3);
  EXPECT_FALSE(FirewallUsers().deserialize(cut));
}

// An uploader on host WS1 run by `proc_user`; the firewall's User-ID says `fw_user`.
struct Case {
  World w;
  HuntResult r;
  const Finding* f = nullptr;
  Case(const std::string& proc_user, const std::string& fw_user) {
    w.background_hosts(6);
    w.proc("WS1", "{aaaa-1}", "", "C:\\Users\\Public\\up.exe", "C:\\Windows\\System32\\cmd.exe", proc_user);
    for (int i = 0; i < 3; ++i) {
      const std::string uid = w.conn("WS1", "{aaaa-1}", "10.1.0.5", "203.0.113.77", 443, w.t0 + (120 + i * 600) * kNsPerSec,
                                     60 * kNsPerSec, 30'000'000, 100'000);
      w.firewall_log(uid, fw_user, "198.51.100.1", 2 * kNsPerSec);
    }
    r = w.hunt();
    f = w.find(r, "{aaaa-1}");
  }
};

TEST(UserMismatch, AnotherPersonThanTheProcessUserIsAFactor) {
  Case c("CORP\\bob", "corp\\alice");
  ASSERT_NE(c.f, nullptr);
  const Factor* x = World::factor(c.f, "user_mismatch");
  ASSERT_NE(x, nullptr);
  EXPECT_EQ(x->contribution, kUserMismatchPoints);
  EXPECT_NE(x->observed.find("corp\\alice on 3 of 3"), std::string::npos) << x->observed;
  ASSERT_EQ(c.f->act->fw_users.users.size(), 1u);
  // Each connection is one session: Zeek's and the firewall's records merged, bytes once.
  EXPECT_EQ(c.f->act->sessions, 3u);
  EXPECT_LT(c.f->act->bytes_out, 100'000'000u);
  EXPECT_GE(c.f->act->bytes_out, 90'000'000u);
  EXPECT_EQ(c.w.pipe().sensor_merge().merged(), 3u);
}

TEST(UserMismatch, TheSameAccountOrAServiceIsNoDisagreement) {
  Case same("CORP\\alice", "alice@corp.example");
  ASSERT_NE(same.f, nullptr);
  EXPECT_EQ(World::factor(same.f, "user_mismatch"), nullptr);
  EXPECT_EQ(same.f->act->fw_users.top()->user, "alice@corp.example");
  Case system("NT AUTHORITY\\SYSTEM", "corp\\alice");
  ASSERT_NE(system.f, nullptr);
  EXPECT_EQ(World::factor(system.f, "user_mismatch"), nullptr) << "User-ID names whoever is logged on";
}

}  // namespace
}  // namespace outflow
