// What a Suricata flow's addresses and ports mean: ICMP's type and code, a flow picked up
// midstream (the side Suricata saw first was the server), a file's direction.
#pragma once
#include "outflow/model/events.h"
#include "outflow/read/suricata/eve_event.h"

namespace outflow::suricata {

// Sets f.proto and the ports (ICMP: orig_p = type, resp_p = code, as Zeek and Community ID do).
// False when the protocol is not understood.
bool eve_ports(const EveEvent& ev, FlowRecord& f);

// Suricata's src is the side whose packet it saw first. A flow picked up midstream (the sensor
// started, or the flow table dropped the flow, during the connection) can start with the
// server's packet: src port a service port (below 1024), dest port not, and for TCP no SYN from
// src when Suricata logged the flags. Such a flow is turned round (client as orig, its bytes as
// orig_bytes). Returns true when it swapped.
bool midstream_swap(const EveEvent& ev, FlowRecord& f);

// A fileinfo event's file: 1 sent by the client (an upload), 0 by the server, -1 unknown. From
// "direction" when logged (to_server / to_client), else the ports (the file flows src -> dest).
int8_t file_sent_by_client(const EveEvent& ev);

}  // namespace outflow::suricata
