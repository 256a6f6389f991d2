// The state file: round trips, refusal of a second user and of foreign files, and SIGKILL at
// random instants during saves never losing the last committed state.
#include "outflow/baseline/state_store.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <random>

namespace outflow {
namespace {

std::string temp_path(const char* name) {
  const auto dir = std::filesystem::temp_directory_path() / ("outflow-state-test-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  const auto p = dir / name;
  std::filesystem::remove(p);
  std::filesystem::remove(p.string() + "-journal");
  return p.string();
}

Baselines sample(int run, size_t extra = 0) {
  Baselines b;
  b.runs = static_cast<uint64_t>(run);
  b.add_host("ws1");
  b.add_host("ws2");
  b.add_volume("rclone.exe", "workstation", "NT AUTHORITY\\SYSTEM", 5'000'000);
  b.add_volume("chrome.exe", "workstation", "CORP\\alice", 20'000);
  b.add_dest("dropbox.com", "ws1", "CORP\\alice", 100);
  b.add_dest("dropbox.com", "ws2", "CORP\\bob", 50);
  b.add_pair("winword.exe", "powershell.exe", "ws1", 7);
  b.add_image_user("powershell.exe", "CORP\\alice");
  b.add_host_day("ip:10.1.0.11", "backup_server", 45'000'000'000);  // a flow-only host's day
  b.add_host_day("ip:10.1.0.11", "backup_server", 40'000'000'000);
  for (size_t i = 0; i < extra; ++i) b.add_dest("d" + std::to_string(i) + ".example", "ws1", "", static_cast<TimeNs>(i));
  b.cover(10, 20 + run);
  return b;
}

TEST(StateStore, RoundTrip) {
  const std::string path = temp_path("rt.db");
  const Baselines b = sample(3);
  {
    StateStore s;
    std::string err;
    ASSERT_TRUE(s.open(path, true, err)) << err;
    Baselines empty;
    ASSERT_TRUE(s.load(empty, err)) << err;
    EXPECT_EQ(empty.runs, 0u);
    ASSERT_TRUE(s.save(b, err)) << err;
  }
  StateStore s;
  std::string err;
  ASSERT_TRUE(s.open(path, false, err)) << err;
  Baselines l;
  ASSERT_TRUE(s.load(l, err)) << err;
  EXPECT_EQ(l.runs, 3u);
  EXPECT_EQ(l.first, 10);
  EXPECT_EQ(l.last, 23);
  EXPECT_EQ(l.hosts, b.hosts);
  ASSERT_EQ(l.dests.count("dropbox.com"), 1u);
  EXPECT_EQ(l.dests.at("dropbox.com").hosts, 2u);
  EXPECT_EQ(l.dests.at("dropbox.com").first_seen, 50);
  EXPECT_EQ(l.dest_host, b.dest_host);
  EXPECT_EQ(l.dest_user, b.dest_user);
  EXPECT_EQ(l.pairs.at(Baselines::key2("winword.exe", "powershell.exe")).hosts, 1u);
  EXPECT_EQ(l.image_user, b.image_user);
  EXPECT_EQ(l.image_total, b.image_total);
  const auto& h = l.volume.at(Baselines::volume_key_name("rclone.exe"));
  EXPECT_EQ(h.n, 1u);
  EXPECT_EQ(h.b, b.volume.at(Baselines::volume_key_name("rclone.exe")).b);
  // Flow-only hosts' days, per host and per role, are learned and loaded like the rest.
  EXPECT_EQ(l.volume.at(Baselines::volume_key_host_day("ip:10.1.0.11")).n, 2u);
  EXPECT_EQ(l.volume.at(Baselines::volume_key_role_day("backup_server")).b,
            b.volume.at(Baselines::volume_key_role_day("backup_server")).b);
  // Merging the loaded state with the same observations does not double-count hosts.
  l.merge(b);
  EXPECT_EQ(l.dests.at("dropbox.com").hosts, 2u);
  EXPECT_EQ(l.runs, 6u);
}

TEST(StateStore, ASecondRunIsRefusedWhileTheFirstHoldsIt) {
  const std::string path = temp_path("lock.db");
  StateStore a, b;
  std::string err;
  ASSERT_TRUE(a.open(path, true, err)) << err;
  EXPECT_FALSE(b.open(path, true, err));
  EXPECT_NE(err.find("in use by another outflow run"), std::string::npos) << err;
  a.close();
  EXPECT_TRUE(b.open(path, true, err)) << err;
}

TEST(StateStore, ForeignAndMissingFilesAreRefused) {
  std::string err;
  StateStore s;
  EXPECT_FALSE(s.open(temp_path("missing.db"), false, err));
  EXPECT_NE(err.find("outflow learn"), std::string::npos) << err;
  const std::string text = temp_path("text.db");
  std::ofstream(text) << "this is not a database, just some text that is long enough to have a header\n";
  EXPECT_FALSE(s.open(text, true, err));
  EXPECT_NE(err.find("not an Outflow state file"), std::string::npos) << err;
}

TEST(StateStore, SigkillDuringSavesKeepsTheLastCommittedState) {
  // A child saves states with runs = 1, 2, 3... (each a few MB of rows), reporting each commit
  // through a pipe; the parent kills it at a random instant. The file must open and hold a
  // committed state: the last one reported, or the one in flight if its commit had landed.
  const std::string path = temp_path("kill.db");
  std::mt19937 rng(12345);
  int last_committed = 0;
  for (int round = 0; round < 12; ++round) {
    int fds[2];
    ASSERT_EQ(pipe(fds), 0);
    const pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      close(fds[0]);
      StateStore s;
      std::string err;
      if (!s.open(path, true, err)) _exit(3);
      for (int run = last_committed + 1;; ++run) {
        if (!s.save(sample(run, 20'000), err)) _exit(4);
        if (write(fds[1], &run, sizeof run) != sizeof run) _exit(5);
      }
    }
    close(fds[1]);
    usleep(std::uniform_int_distribution<int>(20'000, 400'000)(rng));
    kill(pid, SIGKILL);
    int status = 0;
    waitpid(pid, &status, 0);
    ASSERT_TRUE(WIFSIGNALED(status)) << "child exited with " << WEXITSTATUS(status);
    int r = 0;
    while (read(fds[0], &r, sizeof r) == sizeof r) last_committed = r;
    close(fds[0]);

    StateStore s;
    std::string err;
    ASSERT_TRUE(s.open(path, false, err)) << err;
    Baselines l;
    ASSERT_TRUE(s.load(l, err)) << err;
    EXPECT_TRUE(static_cast<int>(l.runs) == last_committed || static_cast<int>(l.runs) == last_committed + 1)
        << "round " << round << ": loaded runs " << l.runs << ", last reported commit " << last_committed;
    if (l.runs > 0) {
      EXPECT_EQ(l.dests.size(), 20'001u);  // never a half-written state
    }
    last_committed = static_cast<int>(l.runs);
  }
}

}  // namespace
}  // namespace outflow
