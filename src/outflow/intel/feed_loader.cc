#include "outflow/intel/feed_loader.h"

#include <algorithm>
#include <filesystem>
#include <sys/stat.h>

#include "outflow/intel/feed_formats.h"
#include "outflow/read/byte_source.h"

namespace outflow {

namespace fs = std::filesystem;

bool parse_intel_arg(std::string_view arg, const std::vector<FeedSpec>& configured, FeedSpec& out, std::string& err) {
  out = FeedSpec{};
  const size_t colon = arg.find(':');
  IntelKind k;
  if (colon != std::string_view::npos && colon > 1 && parse_intel_kind(arg.substr(0, colon), k)) {
    out.kind = k;
    out.path = std::string(arg.substr(colon + 1));
  } else {
    const std::string_view prefix = arg.substr(0, colon);
    if (colon != std::string_view::npos && colon > 1 && !fs::exists(std::string(arg)) &&
        prefix.find('/') == std::string_view::npos) {
      err = "--intel " + std::string(arg) + ": unknown kind '" + std::string(prefix) +
            "' (malicious, suspicious, trusted_abused, popular, label)";
      return false;
    }
    out.path = std::string(arg);
    for (const auto& c : configured)
      if (c.path == out.path) out = c;  // the config's kind, weight and max age
  }
  if (out.path.empty()) {
    err = "--intel: no path";
    return false;
  }
  // A MISP warning list is always list.json: its folder names it.
  if (out.name.empty()) {
    const fs::path p(out.path);
    out.name = p.filename() == "list.json" && p.has_parent_path() ? p.parent_path().filename().string() : p.filename().string();
  }
  if (out.name.empty()) out.name = out.path;
  return true;
}

bool load_intel(const std::vector<FeedSpec>& specs, IntelSet& set, std::string& err) {
  for (const auto& spec : specs) {
    if (!spec.enabled) continue;
    std::error_code ec;
    std::vector<std::pair<std::string, std::string>> files;  // path, feed name
    if (fs::is_directory(spec.path, ec)) {
      for (const auto& e : fs::directory_iterator(spec.path, ec))
        if (e.is_regular_file(ec)) files.emplace_back(e.path().string(), spec.name + "/" + e.path().filename().string());
      if (ec) {
        err = "intel feed " + spec.path + ": " + ec.message();
        return false;
      }
      std::sort(files.begin(), files.end());
    } else {
      files.emplace_back(spec.path, spec.name);
    }
    for (const auto& [path, name] : files) {
      std::string open_err;
      auto src = open_byte_source(path, open_err);
      if (!src) {
        err = "intel feed " + name + ": " + open_err;
        return false;
      }
      FeedSpec one = spec;
      one.path = path;
      one.name = name;
      const uint16_t id = set.add_feed(one);
      read_feed(*src, path, id, set);
      FeedStats& st = set.stats(id);
      if (st.newest == kNoTime) {
        // No date inside: the file's modification time says how old the list is.
        struct stat sb;
        if (::stat(path.c_str(), &sb) == 0) st.newest = static_cast<TimeNs>(sb.st_mtime) * kNsPerSec;
      }
    }
  }
  set.finish();
  return true;
}

std::vector<std::string> stale_feed_warnings(const IntelSet& set, TimeNs ref) {
  std::vector<std::string> w;
  for (size_t i = 0; i < set.feeds().size(); ++i) {
    const FeedSpec& f = set.feeds()[i];
    const FeedStats& st = set.stats()[i];
    if (f.max_age <= 0 || ref == kNoTime || st.newest == kNoTime || st.newest >= ref - f.max_age) continue;
    w.push_back("intel feed " + f.name + " is older than its max_age of " + std::to_string(f.max_age / (86400 * kNsPerSec)) +
                " day(s): newest date " + format_time(st.newest).substr(0, 10) + ", data up to " + format_time(ref).substr(0, 10));
  }
  return w;
}

}  // namespace outflow
