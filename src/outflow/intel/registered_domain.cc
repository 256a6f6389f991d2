#include "outflow/intel/registered_domain.h"

#include <libpsl.h>

#include <cstdlib>

namespace outflow {

namespace {

struct Psl {
  const psl_ctx_t* ctx = nullptr;
  bool owned = false;
  std::string source;
  Psl() {
    // psl_latest() takes the newer of the built-in list and the distribution's file.
    if (psl_ctx_t* p = psl_latest(nullptr)) {
      ctx = p, owned = true, source = psl_dist_filename() && *psl_dist_filename() ? psl_dist_filename() : "latest";
    } else {
      ctx = psl_builtin(), source = "built-in";
    }
  }
  ~Psl() {
    if (owned) psl_free(const_cast<psl_ctx_t*>(ctx));
  }
};

const Psl& psl() {
  static const Psl p;
  return p;
}

}  // namespace

std::string psl_registered_domain(std::string_view name) {
  if (!psl().ctx || name.empty()) return "";
  const std::string n(name);
  const char* r = psl_registrable_domain(psl().ctx, n.c_str());
  return r ? std::string(r) : "";
}

bool hosted_tenant(std::string_view name) {
  // Storage and hosting suffixes whose tenants pick the first label and that Debian 12's list
  // (2023) does not carry.
  static constexpr std::string_view kExtra[] = {".blob.core.windows.net", ".file.core.windows.net", ".web.core.windows.net",
                                                ".dfs.core.windows.net", ".storage.googleapis.com", ".azureedge.net"};
  for (auto s : kExtra)
    if (name.size() > s.size() && name.ends_with(s)) return true;
  if (!psl().ctx || name.empty()) return false;
  const std::string n(name);
  const char* suffix = psl_unregistrable_domain(psl().ctx, n.c_str());
  if (!suffix || !*suffix || suffix == n.c_str()) return false;  // the name is a suffix itself
  // The suffix is public in the private section only (github.io), not an ICANN one (co.uk).
  return psl_is_public_suffix2(psl().ctx, suffix, PSL_TYPE_PRIVATE | PSL_TYPE_NO_STAR_RULE) &&
         !psl_is_public_suffix2(psl().ctx, suffix, PSL_TYPE_ICANN | PSL_TYPE_NO_STAR_RULE);
}

std::string public_suffix_source() { return psl().source; }

}  // namespace outflow
