#!/usr/bin/env python3
"""Builds the seed corpora of the libFuzzer targets: make_seeds.py OUT_DIR [SOURCE_DIR].

Writes OUT_DIR/<target>/<name> for every target. Seeds are small:
  - synthetic records written here (every Windows JSON shape, Zeek TSV/JSON conn/dns/open_conn,
    nfdump CSV, gzip/zstd streams, a pipeline input whose flows match its events);
  - excerpts of tests/fixtures (MIT, OTRF) and, when ../shared/datasets is there, of the
    datasets (a few lines or one EVTX chunk per file). Dataset excerpts are made at run time
    into the build folder and never committed (several datasets are GPL).
"""
import gzip
import os
import re
import subprocess
import sys

OUT = sys.argv[1]
SRC = sys.argv[2] if len(sys.argv) > 2 else os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA = os.path.join(SRC, "..", "shared", "datasets")
count = {}


def put(target, name, data):
    if isinstance(data, str):
        data = data.encode()
    d = os.path.join(OUT, target)
    os.makedirs(d, exist_ok=True)
    safe = re.sub(r"[^A-Za-z0-9_.-]", "_", name)[-80:]
    with open(os.path.join(d, safe), "wb") as f:
        f.write(data)
    count[target] = count.get(target, 0) + 1


def read_any(path, limit=4 << 20):
    """Decompressed bytes of a file (zstd via the zstd CLI), at most `limit`."""
    if path.endswith(".zst"):
        p = subprocess.run(["zstd", "-dc", path], capture_output=True)
        return p.stdout[:limit]
    with open(path, "rb") as f:
        return f.read(limit)


# --- synthetic records (written for this project) -------------------------------------------
GUID_P = "{11111111-2222-3333-4444-000000000001}"
GUID_C = "{11111111-2222-3333-4444-000000000002}"
FLAT = [
    '{"EventID":1,"SourceName":"Microsoft-Windows-Sysmon","Channel":"Microsoft-Windows-Sysmon/Operational","Hostname":"ws1.example.org","UtcTime":"2024-01-02 03:04:05.678","ProcessGuid":"%s","ProcessId":"4242","Image":"C:\\\\Tools\\\\up.exe","CommandLine":"up.exe --to 203.0.113.9","User":"EXAMPLE\\\\alice","ParentProcessGuid":"%s","ParentProcessId":"100","ParentImage":"C:\\\\Windows\\\\explorer.exe","IntegrityLevel":"Medium","Hashes":"SHA256=00"}' % (GUID_C, GUID_P),
    '{"EventID":3,"SourceName":"Microsoft-Windows-Sysmon","Hostname":"ws1.example.org","UtcTime":"2024-01-02 03:04:06.000","ProcessGuid":"%s","ProcessId":"4242","Image":"C:\\\\Tools\\\\up.exe","User":"EXAMPLE\\\\alice","Protocol":"tcp","Initiated":"true","SourceIp":"192.0.2.10","SourcePort":"50000","DestinationIp":"203.0.113.9","DestinationPort":"443"}' % GUID_C,
    '{"EventID":22,"SourceName":"Microsoft-Windows-Sysmon","Hostname":"ws1.example.org","UtcTime":"2024-01-02 03:04:05.900","ProcessGuid":"%s","ProcessId":"4242","QueryName":"drop.example.net","QueryResults":"::ffff:203.0.113.9;type:  5 cdn.example.net;"}' % GUID_C,
    '{"EventID":5,"SourceName":"Microsoft-Windows-Sysmon","Hostname":"ws1.example.org","UtcTime":"2024-01-02 04:00:00.000","ProcessGuid":"%s","ProcessId":"4242","Image":"C:\\\\Tools\\\\up.exe"}' % GUID_C,
    '{"EventID":"4688","SourceName":"Microsoft-Windows-Security-Auditing","Hostname":"ws1","@timestamp":"2024-01-02T03:04:05.5Z","EventTime":"2024-01-02 04:04:05","NewProcessId":"0x1092","ProcessId":"0x64","NewProcessName":"C:\\\\Tools\\\\up.exe","ParentProcessName":"C:\\\\Windows\\\\explorer.exe","SubjectUserName":"alice","SubjectDomainName":"EXAMPLE","SubjectLogonId":"0x3e7","TargetUserName":"-","MandatoryLabel":"S-1-16-8192","CommandLine":"up.exe"}',
    '{"EventID":4689,"SourceName":"Microsoft-Windows-Security-Auditing","Hostname":"ws1","@timestamp":"2024-01-02T04:04:05Z","ProcessId":"0x1092","ProcessName":"C:\\\\Tools\\\\up.exe"}',
    '{"EventID":5156,"SourceName":"Microsoft-Windows-Security-Auditing","Hostname":"ws1","@timestamp":"2024-01-02T03:04:06Z","ProcessID":"4242","Application":"\\\\device\\\\harddiskvolume2\\\\tools\\\\up.exe","Direction":"%%14593","SourceAddress":"192.0.2.10","SourcePort":"50000","DestAddress":"203.0.113.9","DestPort":"443","Protocol":"6"}',
    '{"EventID":10,"SourceName":"Microsoft-Windows-Sysmon","Hostname":"ws1"}',
]
WLB7 = '{"@timestamp":"2024-01-02T03:04:05.700Z","host":{"name":"collector"},"winlog":{"computer_name":"ws2.example.org","channel":"Microsoft-Windows-Sysmon/Operational","provider_name":"Microsoft-Windows-Sysmon","event_id":1,"event_data":{"UtcTime":"2024-01-02 03:04:05.678","ProcessGuid":"%s","ProcessId":"77","Image":"C:\\\\x.exe","CommandLine":"x.exe \\u001b[2J","User":"EXAMPLE\\\\bob","ParentProcessGuid":"%s","ParentProcessId":"1","ParentImage":"C:\\\\p.exe"}},"event":{"code":1}}' % (GUID_C, GUID_P)
WLB6 = '{"@timestamp":"2024-01-02T03:04:06.254Z","event_data":{"ProcessGuid":"%s","ProcessId":"77","Initiated":"true","SourceIp":"192.0.2.11","User":"EXAMPLE\\\\bob","Image":"C:\\\\x.exe","DestinationIp":"198.51.100.7","SourcePort":"50001","DestinationPort":"22","UtcTime":"2024-01-02 03:04:06.000","Protocol":"tcp"},"host":{"name":"collector"},"source_name":"Microsoft-Windows-Sysmon","log_name":"Microsoft-Windows-Sysmon/Operational","event_id":3,"computer_name":"ws2.example.org"}' % GUID_C
AZURE_JSON = '{"TimeGenerated":"2024-01-02T03:04:06.347Z","Provider":"Microsoft-Windows-Sysmon","Channel":"Microsoft-Windows-Sysmon/Operational","Computer":"ws3","EventData":"{\\"UtcTime\\":\\"2024-01-02T03:04:05.1230000Z\\",\\"ProcessGuid\\":\\"%s\\",\\"ProcessId\\":\\"3936\\",\\"Image\\":\\"C:\\\\\\\\srv.exe\\",\\"Protocol\\":\\"tcp\\",\\"Initiated\\":\\"false\\",\\"SourceIp\\":\\"192.0.2.12\\",\\"SourcePort\\":\\"8080\\",\\"DestinationIp\\":\\"198.51.100.8\\",\\"DestinationPort\\":\\"50452\\"}","EventID":3,"Type":"WindowsEvent"}' % GUID_C
AZURE_XML = '{"TimeGenerated":"2024-01-02T03:04:05.21Z","Computer":"ws3","EventSourceName":"Microsoft-Windows-Security-Auditing","Channel":"Security","EventData":"\\u003cEventData xmlns=\\"http://schemas.microsoft.com/win/2004/08/events/event\\"\\u003e\\r\\n  \\u003cData Name=\\"ProcessID\\"\\u003e3936\\u003c/Data\\u003e\\u003cData Name=\\"Application\\"\\u003e\\\\device\\\\srv.exe \\u0026amp; \\u0026#x41;\\u003c/Data\\u003e\\u003cData Name=\\"Direction\\"\\u003e%%14592\\u003c/Data\\u003e\\u003cData Name=\\"SourceAddress\\"\\u003e192.0.2.12\\u003c/Data\\u003e\\u003cData Name=\\"SourcePort\\"\\u003e8080\\u003c/Data\\u003e\\u003cData Name=\\"DestAddress\\"\\u003e198.51.100.8\\u003c/Data\\u003e\\u003cData Name=\\"DestPort\\"\\u003e50452\\u003c/Data\\u003e\\u003cData Name=\\"Protocol\\"\\u003e6\\u003c/Data\\u003e\\u003c/EventData\\u003e","EventID":5156,"Type":"SecurityEvent"}'
HOSTILE_JSON = [
    '{"EventID":1,"Hostname":"h\\u0000\\u001b]0;x\\u0007","UtcTime":"2024-01-02 03:04:05","ProcessGuid":"\\ud800","ProcessId":"18446744073709551615","ParentProcessId":"1180591620717411303424","CommandLine":"\\udc00\\ud83d\\ude00"}',
    '{"EventID":3,"Hostname":"h","UtcTime":"1601-01-01 00:00:00","ProcessId":"1","SourceIp":"::1","SourcePort":"70000","DestinationIp":"1.2.3.4","DestinationPort":"-1"}',
    '{"EventID":1e400,"Hostname":"h","UtcTime":"9999-12-31 23:59:59.9999999Z","ProcessId":1}',
    '[' * 64 + ']' * 64,
]
SYN_WIN = {"flat": "\n".join(FLAT) + "\n", "wlb7": WLB7 + "\n", "wlb6": WLB6 + "\n",
           "azure_json": AZURE_JSON + "\n", "azure_xml": AZURE_XML + "\n",
           "hostile": "\n".join(HOSTILE_JSON) + "\n"}

ZEEK_CONN_TSV = """#separator \\x09
#set_separator\t,
#empty_field\t(empty)
#unset_field\t-
#path\tconn
#open\t2024-01-02-03-00-00
#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\tservice\tduration\torig_bytes\tresp_bytes\tconn_state\tlocal_orig\tlocal_resp\tmissed_bytes\thistory\torig_pkts\torig_ip_bytes\tresp_pkts\tresp_ip_bytes\ttunnel_parents\t_node_name
#types\ttime\tstring\taddr\tport\taddr\tport\tenum\tstring\tinterval\tcount\tcount\tstring\tbool\tbool\tcount\tstring\tcount\tcount\tcount\tcount\tset[string]\tstring
1704164646.000000\tCabc123\t192.0.2.10\t50000\t203.0.113.9\t443\ttcp\tssl\t3600.5\t104857600\t4096\tSF\tT\tF\t0\tShADadFf\t70000\t108000000\t3000\t160000\t-\tsensor-1
1704164650.1\tCdef456\t192.0.2.10\t50001\t198.51.100.7\t53\tudp\tdns\t-\t-\t-\tS0\tT\tF\t0\tD\t1\t60\t0\t0\t(empty)\tsensor-1
1704164651\tCghi789\tfe80::1\t-\t2001:db8::2\t-\ticmp\t-\t0.1\t0\t0\tOTH\tT\tF\t0\t-\t0\t0\t5\t500\t-\tsensor-1
#close\t2024-01-02-04-00-00
"""
ZEEK_OPEN_TSV = ZEEK_CONN_TSV.replace("#path\tconn", "#path\topen_conn")
ZEEK_DNS_TSV = """#separator \\x09
#set_separator\t,
#empty_field\t(empty)
#unset_field\t-
#path\tdns
#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\tquery\tanswers\tTTLs
#types\ttime\tstring\taddr\tport\taddr\tport\tenum\tstring\tvector[string]\tvector[interval]
1704164645.5\tCdns1\t192.0.2.10\t50002\t192.0.2.1\t53\tudp\tdrop.example.net\tcdn.example.net,203.0.113.9,2001:db8::9\t60.0,60.0,60.0
1704164645.6\tCdns2\t192.0.2.10\t50003\t192.0.2.1\t53\tudp\tnothing.example\t-\t-
"""
# ssl, http, dhcp, capture_loss (used) and files, x509 (read but not used).
ZEEK_AUX_TSV = """#separator \\x09
#set_separator\t,
#empty_field\t(empty)
#unset_field\t-
#path\tssl
#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tversion\tcipher\tserver_name\tja3\tja3s
1704164646.1\tCabc123\t192.0.2.10\t50000\t203.0.113.9\t443\tTLSv12\tX\tupload.example.com\tabc\tdef
#path\topen_http
#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\ttrans_depth\tmethod\thost\turi\tuser_agent\trequest_body_len\tresponse_body_len\tstatus_code
1704164647.0\tCh1\t192.0.2.10\t50010\t198.51.100.7\t80\t1\tPOST\tdrop.example.net:8080\t/up\tcurl\t123456\t17\t201
#path\tdhcp
#fields\tts\tuids\tclient_addr\tmac\thost_name\tclient_fqdn\tassigned_addr
1704164600.0\tC1,C2\t-\taa:bb\tJohn-PC\t-\t192.0.2.10
#path\tcapture_loss
#fields\tts\tts_delta\tpeer\tgaps\tacks\tpercent_lost
1704165546.0\t900.0\tsensor-1\t125\t1000\t12.5
#path\tfiles
#fields\tts\tfuid\ttx_hosts
1704164647.0\tF1\t198.51.100.7
"""
ZEEK_JSON = "\n".join([
    '{"_path":"conn","ts":1704164646.0,"uid":"Cj1","id.orig_h":"192.0.2.10","id.orig_p":50000,"id.resp_h":"203.0.113.9","id.resp_p":443,"proto":"tcp","service":"ssl","duration":3600.5,"orig_bytes":104857600,"resp_bytes":4096,"conn_state":"SF","history":"ShADadFf","orig_pkts":70000,"orig_ip_bytes":108000000,"resp_pkts":3000,"resp_ip_bytes":160000,"community_id":"1:abc","_node_name":"s1"}',
    '{"_path":"open_conn","ts":"2024-01-02T03:04:06.000000Z","uid":"Cj2","id_orig_h":"192.0.2.10","id_orig_p":50004,"id_resp_h":"203.0.113.9","id_resp_p":443,"proto":"tcp","duration":10,"orig_bytes":"1000","resp_bytes":null}',
    '{"_path":"dns","ts":1704164645.5,"uid":"Cj3","id.orig_h":"192.0.2.10","query":"drop.example.net","answers":["cdn.example.net","203.0.113.9"]}',
    '{"ts":1704164647,"id.orig_h":"192.0.2.10","id.resp_h":"198.51.100.7","conn_state":"S0","orig_pkts":1}',
    '{"_path":"files","ts":1704164647,"duration":1.5}',
    '{"_path":"ssl","ts":1704164646.1,"uid":"Cj1","id.orig_h":"192.0.2.10","id.orig_p":50000,"id.resp_h":"203.0.113.9","id.resp_p":443,"server_name":"upload.example.com","ja3":"abc","ja3s":"def","cipher":"X"}',
    '{"ts":1704164647.0,"uid":"Ch1","id.orig_h":"192.0.2.10","id.orig_p":50010,"id.resp_h":"198.51.100.7","id.resp_p":80,"trans_depth":1,"method":"POST","host":"drop.example.net:8080","uri":"/up","request_body_len":123456,"response_body_len":17,"status_code":201}',
    '{"ts":22.3,"uids":["C1"],"client_addr":"192.0.2.10","mac":"aa:bb","host_name":"John-PC","assigned_addr":"192.0.2.10","msg_types":["REQUEST","ACK"]}',
    '{"ts":1704165546.0,"ts_delta":900.0,"peer":"sensor-1","gaps":125,"acks":1000,"percent_lost":12.5}',
    '{"ts":95.03,"id":"FK","certificate.version":3,"san.dns":["a"]}',
    '{"_path":"conn","ts":1e400,"id.orig_h":"1.1.1.1","id.resp_h":"2.2.2.2","id.orig_p":70000,"orig_bytes":-1,"duration":-5}',
]) + "\n"
NFDUMP = """ts,te,td,sa,da,sp,dp,pr,flg,fwd,stos,ipkt,ibyt,opkt,obyt,in,out
2024-01-02 03:04:06,2024-01-02 03:34:06,1800.000,192.0.2.10,203.0.113.9,50000,443,TCP,.AP.S.,0,0,40000,60000000,0,0,0,0
2024-01-02 03:04:06,2024-01-02 03:34:06,1800.000,203.0.113.9,192.0.2.10,443,50000,TCP,.AP.S.,0,0,2000,100000,0,0,0,0
2024-01-02 03:34:06,2024-01-02 04:04:06,1800.000,192.0.2.10,203.0.113.9,50000,443,TCP,.AP.SF,0,0,30000,44857600,0,0,0,0
2024-01-02 03:05:00,2024-01-02 03:05:00,0.000,192.0.2.10,198.51.100.7,0,8.0,ICMP,......,0,0,1,84,0,0,0,0
2024-01-02 03:05:00,2024-01-02 03:05:00,0.000,2001:db8::1,2001:db8::2,1,2,GRE,......,0,0,1,84,0,0,0,0
Summary
flows,bytes,packets,avg_bps,avg_pps,avg_bpp
5,104957768,72003,0,0,0
"""
NFDUMP_TD = "ts,td,sa,da,sp,dp,pr,ipkt,ibyt\n2024-01-02 03:04:06,12.5,192.0.2.10,203.0.113.9,50000,443,6,4,4000\n"


# Firewall and proxy logs (written for this project, in the documented layouts).
PANOS = ("<14>Oct  4 18:54:26 fw01 1,2023/10/04 18:54:26,012501002341,TRAFFIC,end,2561,2023/10/04 18:54:24,10.1.2.3,"
         "203.0.113.44,198.51.100.205,203.0.113.44,Out-Rule,\"corp\\alice\",,ssl,vsys1,trust,untrust,ethernet1/23,"
         "ethernet1/24,LOG-FP,2023/10/04 18:54:24,72568134,1,49583,443,50464,443,0x40441a,tcp,allow,7312,2228,5084,22,"
         "2023/10/04 18:53:52,16,business-and-economy,,7253419119627122716,0x8000000000000000,10.0.0.0-10.255.255.255,"
         "Japan,,12,10,tcp-rst-from-client" + "," * 68 + "\n"
         "Oct 30 09:46:17 1,2012/10/30 09:46:17,01606001116,TRAFFIC,start,1,2012/04/10 04:39:56,192.168.0.2,175.16.199.1,"
         "0.0.0.0,0.0.0.0,rule1,crusher,,web-browsing,vsys1,trust,untrust,ethernet1/2,ethernet1/1,forwardAll,"
         "2012/04/10 04:39:57,25149,1,59309,80,0,0,0x200000,tcp,allow,78,78,0,1,2012/04/10 04:39:56,0,any,0,0,0x0,"
         "192.168.0.0-192.168.255.255,United States,0,1,0\n"
         "1,2013/03/25 23:59:02,1606001116,SYSTEM,vpn,0,2012/02/25 00:53:56,,ike-config,,0,0,general,informational,x,0,0x0\n")
FORTIGATE = ('<189>date=2019-05-10 time=11:37:47 devname="fw1" devid="FGT60E" logid="0000000013" type="traffic" '
             'subtype="forward" vd="root" eventtime=1557513467369913239 tz="-0700" srcip=10.1.100.11 srcport=58012 '
             'dstip=81.2.69.142 dstport=443 sessionid=105048 proto=6 action="close" transip=172.16.200.2 transport=40000 '
             'tranip=81.2.69.1 tranport=8443 app="HTTPS.BROWSER" user="alice" duration=116 sentbyte=1188 rcvdbyte=1224 '
             'sentpkt=17 rcvdpkt=16\n'
             'date=2020-04-23 time=12:14:39 logid="0000000011" type="traffic" subtype="forward" tz="-0500" srcip=192.168.1.1 '
             'srcport=62493 dstip=192.168.100.100 dstport=1235 proto=17 action="ip-conn" unauthuser="bob"\n'
             '<190>date=2020-04-23 time=12:17:48 logid="0316013056" type="utm" subtype="webfilter" eventtime=1587230269\n')
SQUID = ("1157689312.049   5006 10.105.21.199 TCP_MISS/200 19763 CONNECT login.example.com:443 alice DIRECT/175.16.199.115 -\n"
         "1570784659.019    114 127.0.0.1 TCP_MISS/503 4114 GET http://www.data/ - HIER_NONE/- text/html [a] [b]\n"
         "1773416922.391    104 10.105.21.199 58938 TCP_MISS/200 904 123 364 123 528 GET http://example.com/ 1.1 bob "
         "HIER_DIRECT/203.0.113.10 80 text/html - - \"-\" \"curl/8.14.1\" \"example.com\" \"-\" 53 -\n"
         "10.0.0.5 - bob [10/Oct/2023:13:55:36 -0700] \"GET http://Example.COM/a HTTP/1.1\" 200 5120 \"-\" \"UA x\" "
         "TCP_MISS:HIER_DIRECT\n")
WINFW = ("#Version: 1.5\n#Software: Microsoft Windows Firewall\n#Time Format: Local\n"
         "#Fields: date time action protocol src-ip dst-ip src-port dst-port size tcpflags tcpsyn tcpack tcpwin icmptype "
         "icmpcode info path pid\n\n"
         "2024-03-01 10:00:01 ALLOW TCP 10.0.0.5 203.0.113.7 50123 443 0 - - - - - - - SEND 4242\n"
         "2024-03-01 10:00:02 DROP UDP 198.51.100.9 10.0.0.5 5353 5353 120 - - - - - - - RECEIVE 4\n"
         "2024-03-01 10:00:03 ALLOW ICMPv6 fe80::1 ff02::1 - - 0 - - - - 135 0 - SEND 4\n"
         "2024-03-01 10:52:26 INFO-EVENTS-LOST - - - - - - - - - - - - 59 - -\n")


def synthetic():
    for k, v in SYN_WIN.items():
        put("windows_json_fuzz", "syn_" + k, v)
    for k, v in {"conn": ZEEK_CONN_TSV, "open_conn": ZEEK_OPEN_TSV, "dns": ZEEK_DNS_TSV,
                 "concat": ZEEK_DNS_TSV + ZEEK_CONN_TSV, "aux": ZEEK_AUX_TSV}.items():
        put("zeek_tsv_fuzz", "syn_" + k, v)
    put("zeek_json_fuzz", "syn_all", ZEEK_JSON)
    # Suricata EVE: the fixture of documented shapes (tests/fixtures/suricata, written here).
    with open(os.path.join(SRC, "tests", "fixtures", "suricata", "eve_docs.json"), "rb") as f:
        eve = f.read()
    put("eve_fuzz", "syn_docs", eve)
    for i, line in enumerate(eve.split(b"\n")[:18]):
        if line:
            put("eve_fuzz", "syn_line_%02d" % i, line + b"\n")
    put("nfdump_csv_fuzz", "syn_csv", NFDUMP)
    put("nfdump_csv_fuzz", "syn_td", NFDUMP_TD)
    put("panos_traffic_fuzz", "syn_panos", PANOS)
    put("fortigate_traffic_fuzz", "syn_fortigate", FORTIGATE)
    put("squid_access_fuzz", "syn_squid", SQUID)
    put("pfirewall_fuzz", "syn_winfw", WINFW)
    text = ("\n".join(FLAT) + "\n").encode()
    put("byte_source_fuzz", "plain", text)
    put("byte_source_fuzz", "gzip", gzip.compress(text))
    put("byte_source_fuzz", "gzip_two_members", gzip.compress(text[:300]) + gzip.compress(text[300:]))
    put("byte_source_fuzz", "gzip_truncated", gzip.compress(text)[:-9])
    z = subprocess.run(["zstd", "-q", "-c", "-3"], input=text, capture_output=True).stdout
    if z:
        put("byte_source_fuzz", "zstd", z)
        put("byte_source_fuzz", "zstd_truncated", z[:-5])
        put("pipeline_fuzz", "zstd_endpoint", z + b"\n==FLOWS==\n" + NFDUMP.encode())
    endpoint = "\n".join(FLAT + [WLB7, WLB6, AZURE_JSON, AZURE_XML]) + "\n"
    for name, flows in {"zeek_tsv": ZEEK_AUX_TSV + ZEEK_CONN_TSV + ZEEK_DNS_TSV, "zeek_json": ZEEK_JSON, "nfdump": NFDUMP,
                        "panos": PANOS, "fortigate": FORTIGATE, "winfw": WINFW, "squid": SQUID,
                        "suricata": eve.decode()}.items():
        put("pipeline_fuzz", "syn_" + name, endpoint + "\n==FLOWS==\n" + flows)
        put("hunt_fuzz", "syn_" + name, endpoint + "\n==FLOWS==\n" + flows)
    # The detector's config: the shipped file, and small variations.
    cfg_path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "config", "outflow.yaml")
    with open(cfg_path, "rb") as f:
        shipped = f.read()
    put("detect_config_fuzz", "shipped", shipped)
    put("detect_config_fuzz", "small", b"time_window: 300\ncountry_deny: [KP]\nexclusions:\n  - name: x\n    image: ['C:\\\\a\\\\*']\n    destination_network: [10.0.0.0/8]\n    destination_port: [445]\n")
    put("detect_config_fuzz", "roles", b"host_roles:\n  - {role: dc, patterns: ['dc*'], criticality: 1.5}\nuser_roles: {admin: ['adm*']}\nlong_duration_steps: [60, 120]\n")


# --- excerpts of real recordings -------------------------------------------------------------
EVENT_ID = re.compile(rb'"(?:EventID|event_id)"\s*:\s*"?(\d+)')


def windows_excerpt(path, tag):
    """Up to 3 lines of each event id (more of the ones Outflow uses), 6 lines per seed."""
    data = read_any(path)
    per_id, picked = {}, []
    for line in data.split(b"\n")[:20000]:
        m = EVENT_ID.search(line)
        if not m or len(line) > 16384:
            continue
        i = int(m.group(1))
        want = 3 if i in (1, 3, 5, 22, 4688, 4689, 5156) else 1
        if per_id.get(i, 0) < want:
            per_id[i] = per_id.get(i, 0) + 1
            picked.append(line)
    for k in range(0, min(len(picked), 30), 6):
        put("windows_json_fuzz", "%s_%d" % (tag, k), b"\n".join(picked[k:k + 6]) + b"\n")
    return picked


def head_lines(path, n, limit=1 << 20):
    data = read_any(path, limit)
    lines = data.split(b"\n")
    return b"\n".join(lines[:n]) + (b"\n" if len(lines) > n else b"")


def first_line(path):
    try:
        return read_any(path, 4096).lstrip()[:1]
    except OSError:
        return b""


def evtx_excerpts(files, max_files):
    n = 0
    for p in files:
        with open(p, "rb") as f:
            head = f.read(4096 + 65536)
        if len(head) < 4096 + 512 or not head.startswith(b"ElfFile\0"):
            continue
        put("evtx_file_fuzz", os.path.basename(p), head)
        put("evtx_chunk_fuzz", os.path.basename(p), head[4096:])
        n += 1
        if n >= max_files:
            break


def walk(root):
    for d, _, names in os.walk(root):
        for name in sorted(names):
            yield os.path.join(d, name)


def excerpts():
    fixtures = os.path.join(SRC, "tests", "fixtures", "otrf-psexec")
    host = os.path.join(fixtures, "empire_psexec_dcerpc_tcp_svcctl_2020-09-20121608.json.zst")
    picked = windows_excerpt(host, "fixture_psexec") if os.path.exists(host) else []
    for p in walk(fixtures):
        if p.endswith(".nfdump.csv"):
            put("nfdump_csv_fuzz", "fixture_" + os.path.basename(p), head_lines(p, 25))
            if picked:
                put("pipeline_fuzz", "fixture_" + os.path.basename(p),
                    b"\n".join(picked[:40]) + b"\n\n==FLOWS==\n" + head_lines(p, 60))
    if not os.path.isdir(DATA):
        print("make_seeds: %s absent: synthetic and fixture seeds only" % DATA, file=sys.stderr)
        return
    # Windows JSON shapes: flat NXLog, Azure rows, Winlogbeat 6 and 7.
    wins = []
    for sub in ("otrf-atomic-host-network", "otrf-log4shell", "otrf-mordor-winlogbeat6-mit",
                "otrf-mordor-winlogbeat7"):
        files = [p for p in walk(os.path.join(DATA, sub))
                 if (p.endswith(".json") or p.endswith(".json.zst") or p.endswith(".jsonl.zst"))]
        for p in files[:4]:
            wins += windows_excerpt(p, sub + "_" + os.path.basename(p))
    # Zeek TSV / JSON and nfdump CSV.
    tsv = js = nf = 0
    for sub in ("rita-zeek-testdata", "slips-flow-samples", "otrf-atomic-host-network", "otrf-log4shell"):
        for p in walk(os.path.join(DATA, sub)):
            base = os.path.basename(p)
            if p.endswith(".nfdump.csv") and nf < 8:
                put("nfdump_csv_fuzz", sub + "_" + base, head_lines(p, 25))
                nf += 1
            elif base.split(".")[0] in ("conn", "dns", "open_conn", "conn_long", "ssl", "http", "open_ssl", "open_http",
                                        "dhcp", "capture_loss", "files", "x509") or "conn." in base:
                c = first_line(p)
                if c == b"#" and tsv < 12:
                    put("zeek_tsv_fuzz", sub + "_" + p.replace("/", "_"), head_lines(p, 30))
                    tsv += 1
                elif c == b"{" and js < 12:
                    put("zeek_json_fuzz", sub + "_" + p.replace("/", "_"), head_lines(p, 20))
                    js += 1
    # Suricata EVE: the first lines of each event type of Stratosphere's test6.
    p = os.path.join(DATA, "slips-flow-samples", "dataset", "test6-malicious.suricata.json")
    if os.path.exists(p):
        seen = {}
        with open(p, "rb") as f:
            for line in f:
                m = re.search(rb'"event_type":"(\w+)"', line)
                t = m.group(1).decode() if m else "other"
                if seen.get(t, 0) < 3:
                    seen[t] = seen.get(t, 0) + 1
                    put("eve_fuzz", "test6_%s_%d" % (t, seen[t]), line)
    # Firewall and proxy sample logs (parser-oracles: Elastic's, DataDog's and plaso's test
    # files): whole, they are a few KiB each.
    for fmt, target in (("panos", "panos_traffic_fuzz"), ("fortigate", "fortigate_traffic_fuzz"),
                        ("squid", "squid_access_fuzz"), ("winfw", "pfirewall_fuzz")):
        d = os.path.join(DATA, "parser-oracles", fmt)
        for p in walk(d) if os.path.isdir(d) else []:
            if p.endswith(".log"):
                put(target, "oracle_" + os.path.basename(p), read_any(p, 64 << 10))
    # EVTX: header + first chunk of a few small files (both collections).
    evtx = sorted((os.path.getsize(p), p) for p in walk(DATA) if p.endswith(".evtx"))
    evtx_excerpts([p for _, p in evtx], 24)
    # Pipeline: real events with real flows of the same run.
    pairs = os.path.join(DATA, "otrf-atomic-host-network", "pairs")
    n = 0
    for d, _, names in os.walk(pairs):
        if not d.endswith("host") or n >= 6:
            continue
        run = os.path.dirname(d)
        hosts = [os.path.join(d, x) for x in sorted(names)]
        nets = [os.path.join(run, "network", x) for x in sorted(os.listdir(os.path.join(run, "network")))
                if x.endswith(".nfdump.csv")] if os.path.isdir(os.path.join(run, "network")) else []
        if not hosts or not nets:
            continue
        data = read_any(hosts[0], 8 << 20)
        keep = [l for l in data.split(b"\n") if re.search(rb'"EventID":\s*"?(1|3|22)\b', l)][:60]
        put("pipeline_fuzz", "pair_%d" % n, b"\n".join(keep) + b"\n\n==FLOWS==\n" + head_lines(nets[0], 80))
        n += 1


def intel_seeds():
    """feed_reader_fuzz: one seed per feed format, and the real MISP warning lists (excerpts)."""
    t = "feed_reader_fuzz"
    put(t, "plain", "# c2\n203.0.113.10\n198.51.100.0/24\n2001:db8::1\n.dyn.example\n*.t.example\n"
                    "http://drop.example.org/a.php\n0.0.0.0 blocked.example.com\n10.0.0.0/33\nfe80::1%eth0\n")
    put(t, "plain_gz", gzip.compress(b"203.0.113.10\nevil.example\n"))
    put(t, "feodo_csv", '# "first_seen_utc","dst_ip","dst_port","c2_status","last_online","malware"\n'
                        '"2021-01-17 07:30:05","67.213.75.205","443","online","2023-09-18","Pikabot"\n')
    put(t, "urlhaus_csv", "# id,dateadded,url,url_status,last_online,threat,tags,urlhaus_link,reporter\n"
                          '"1","2024-09-19 14:22:07","http://198.51.100.23:44273/i","online","","malware_download","elf","x","y"\n')
    put(t, "stix", '{"type":"bundle","id":"bundle--1","objects":[{"type":"indicator","spec_version":"2.1","id":"indicator--1",'
                   '"created":"2026-11-01T00:00:00Z","valid_from":"2026-11-01T00:00:00Z","valid_until":"2026-12-01T00:00:00Z",'
                   '"confidence":85,"indicator_types":["malicious-activity"],"pattern_type":"stix","pattern":'
                   '"[ipv4-addr:value = \'198.51.100.1/32\' OR domain-name:value = \'c2.example\'] OR [url:value = \'http://x.test/a\']"},'
                   '{"type":"indicator","pattern":"[file:hashes.MD5 = \'x\'] AND [ipv4-addr:value = \'1.2.3.4\']"}]}')
    put(t, "misp", '{"Event":{"info":"x","date":"2026-11-08","Attribute":[{"type":"ip-dst","to_ids":true,"value":"203.0.113.10"},'
                   '{"type":"domain|ip","to_ids":true,"value":"a.example|198.51.100.20"},{"type":"url","to_ids":false,"value":"http://b/c"}],'
                   '"Object":[{"Attribute":[{"type":"hostname","to_ids":"1","value":"obj.example.com"}]}]}}')
    put(t, "warninglist", '{"name":"x","version":20250115,"type":"hostname","list":[".a.example","b.example"]}')
    root = os.path.join(DATA, "misp-warninglists")
    for name in sorted(os.listdir(root)) if os.path.isdir(root) else []:
        path = os.path.join(root, name, "list.json")
        if os.path.isfile(path):
            put(t, "wl_" + name, read_any(path, 16 << 10).rsplit(b",", 1)[0] + b"]}")


def srum_seeds():
    """srum_fuzz: each SRUM export shape, SIDs and id blobs, an ESE header page (dirty: Windows' checksum
    over the page), and the first pages of the SRUDB.dat samples when the datasets are there."""
    import struct
    t = "srum_fuzz"
    put(t, "srumecmd_csv", "\ufeffId,Timestamp,ExeInfo,ExeInfoDescription,ExeTimestamp,SidType,Sid,UserName,UserId,AppId,"
                           "BytesReceived,BytesSent,InterfaceLuid,InterfaceType,L2ProfileFlags,L2ProfileId,ProfileName\r\n"
                           "1,2022-03-10 16:35:00,,,,,,,2,1,131866573,1721816,1689399632855040,IF_TYPE_ETHERNET_CSMACD,0,0,\r\n"
                           "2,2022-03-10 16:35:00,\\device\\harddiskvolume3\\tmp\\x.exe,\"a, b\",,UnknownOrUserSid,"
                           "S-1-5-21-1-2-3-1000,alice,178,285,615,70104,1689399632855040,IF_TYPE_ETHERNET_CSMACD,0,0,\r\n")
    put(t, "chainsaw_json", '[{"Name":"MSysObjects","Table":"MSysObjects","TableName":"MSysObjects"},{"AppId":285,'
                            '"AppName":"\\\\device\\\\x.exe","AutoIncId":2,"BytesRecvd":615,"BytesSent":70104,'
                            '"InterfaceLuid":1689399632855040,"L2ProfileId":0,"Table":"{973F5D5C-1D90-4944-BE8E-24B94231A174}",'
                            '"TableName":"Network Data Usage","TimeStamp":"2022-03-10T16:34:59Z","UserId":178,"UserSID":"S-1-5-18"}]')
    put(t, "velociraptor_jsonl", '{"SRUMId":1,"TimeStamp":"2022-03-10T16:35:00Z","App":"","UserSid":"","User":"","UserId":2,'
                                 '"BytesSent":1721816,"BytesRecvd":131866573,"InterfaceLuid":1689399632855040}\n'
                                 '{"SRUMId":2,"TimeStamp":"2022-03-10T16:35:00Z","App":"C:\\\\x.exe","UserId":178,'
                                 '"BytesSent":"70104","BytesRecvd":615}\n')
    put(t, "sid_system", bytes([1, 1, 0, 0, 0, 0, 0, 5, 18, 0, 0, 0]))
    put(t, "ole_date", struct.pack("<d", 25569.0 + 1646930100 / 86400.0 - 1e-9))
    page = bytearray(8192)
    page[4:8] = bytes([0xEF, 0xCD, 0xAB, 0x89])
    struct.pack_into("<I", page, 8, 0x620)
    struct.pack_into("<I", page, 52, 2)
    struct.pack_into("<I", page, 236, 4096)
    page[1000] = 0x5A
    x = 0x89ABCDEF
    for i in range(4, 4096, 4):
        x ^= struct.unpack_from("<I", page, i)[0]
    struct.pack_into("<I", page, 0, x)
    page[4096:8192] = page[0:4096]
    put(t, "ese_dirty_header", bytes(page))
    root = os.path.join(DATA, "srum-samples")
    for name in sorted(os.listdir(root)) if os.path.isdir(root) else []:
        db = os.path.join(root, name, "SRUDB.dat")
        if os.path.isfile(db):
            put(t, name + "_head", read_any(db, 8192))


intel_seeds()
srum_seeds()

synthetic()
excerpts()
print("make_seeds: " + ", ".join("%s %d" % kv for kv in sorted(count.items())), file=sys.stderr)
