// Which hosts have endpoint telemetry (`outflow simulate --endpoint-share F`). Real estates
// rarely have Sysmon everywhere: a share F of the hosts keep their Sysmon file, the others are
// flow-only (seen by Zeek and NetFlow alone). Every host's activity is simulated as before and
// a flow-only host's Sysmon records are dropped at the writer, so the flows, the other hosts'
// Sysmon files and the labels' attacks are the same whatever F is.
//
// Which hosts: the first round(F x hosts) (halves up) of an order of the hosts drawn from the
// seed for this purpose alone (seeded_host_order(seed, n, "endpoint share"), a stream of its own:
// the faults' hosts do not move). A smaller share's hosts are a subset of a larger one's.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>

#include "outflow/simulate/organisation.h"

namespace outflow {
class JsonOut;
}

namespace outflow::sim {

// round(share x hosts), halves up; share in [0, 1].
size_t endpoint_host_count(double share, size_t hosts);

// Sets Host::endpoint. False with a message when share is not in [0, 1].
bool apply_endpoint_share(Organisation& org, uint64_t seed, double share, std::string& error);

// For labels.jsonl, nothing when every host has endpoint telemetry (output as before the option):
// the organisation's "endpoint_share": F, "endpoint_hosts": [names], and each host_list entry's
// "endpoint": true / false.
// `any_flow_only`: some host has no endpoint telemetry (any_flow_only(org), computed once).
bool any_flow_only(const Organisation& org);
void endpoint_json(JsonOut& j, const Organisation& org, double share);
void host_endpoint_json(JsonOut& j, const Host& h, bool any_flow_only);

}  // namespace outflow::sim
