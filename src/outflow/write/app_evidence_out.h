// The application-log evidence of a finding in `hunt --explain` text and in the JSON findings:
// HTTP uploads (requests, bytes, methods, top URIs, user agents with their rarity), files sent
// (files.log) and the DNS tunnelling view (score/app_factors.h). Nothing when there is none.
#pragma once
#include <string>

#include "outflow/score/finding.h"
#include "outflow/write/json_out.h"

namespace outflow {

std::string app_evidence_text(const Finding& f, uint32_t org_hosts);
// Members "http", "files_sent", "dns" of the finding's "outflow" object.
void app_evidence_json(JsonOut& j, const Finding& f);

}  // namespace outflow
