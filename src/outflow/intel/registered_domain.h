// Registered domains from the Public Suffix List (libpsl, with Debian's `publicsuffix` list read
// at first use; libpsl's built-in copy when that file is absent). "x.attacker.github.io" is
// registered as "attacker.github.io" (github.io is a public suffix of the list's private
// section: a hosting service's tenants), "a.b.dropbox.com" as "dropbox.com".
#pragma once
#include <string>
#include <string_view>

namespace outflow {

// The registered domain of a lower-case name ("" when the name is itself a public suffix or
// not a name).
std::string psl_registered_domain(std::string_view name);
// The name is a tenant of a hosting service: its public suffix comes from the private section
// of the list (github.io, herokuapp.com, s3.amazonaws.com...), or is one of the few storage
// suffixes the list does not carry (blob.core.windows.net, storage.googleapis.com...).
bool hosted_tenant(std::string_view name);
// Which list is in use (for `outflow config` and coverage): a file path or "built-in".
std::string public_suffix_source();

}  // namespace outflow
