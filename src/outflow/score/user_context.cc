#include "outflow/score/user_context.h"

#include <fmt/format.h>

#include "outflow/score/finding.h"

namespace outflow {

void score_user_mismatch(const ScoreContext& sc, const ProcessActivity& a, Finding& f) {
  if (a.proc == kNoProc || a.fw_users.empty()) return;
  const std::string& own = sc.pipe.processes().get(a.proc).user;
  if (own.empty() || non_personal_account(own)) return;
  uint32_t other = 0, with_user = a.fw_users.other_sessions;
  const FirewallUsers::Entry* first_other = nullptr;
  for (const auto& e : a.fw_users.users) {
    with_user += e.sessions;
    if (non_personal_account(e.user) || same_account(e.user, own)) continue;
    other += e.sessions;
    if (!first_other || e.sessions > first_other->sessions) first_other = &e;
  }
  if (!first_other) return;
  f.factors.push_back(Factor{"user_mismatch", fmt::format("firewall user {} on {} of {} session(s)", first_other->user, other, with_user),
                             "another person than the process's user", fmt::format("process user {}", own),
                             fmt::format("the firewall's User-ID names {} for this process's traffic, which runs as {}: "
                                         "another person's session, runas or credentials used on the spot",
                                         first_other->user, own),
                             kUserMismatchPoints});
}

}  // namespace outflow
