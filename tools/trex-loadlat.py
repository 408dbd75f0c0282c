#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""One load-latency run through a running TRex server (t-rex-64 -i).

`iovbench generator trex` runs this on the sender server. It sends
constant-rate L2 load (pg_id 1, STLFlowStats) and a latency stream
(pg_id 2, STLFlowLatencyStats) to the reflector's MAC, with the
EtherType of iovbench's load-latency frames (0x88B5), for a warm-up
whose counters are cleared (CSIT's way), then for the runtime; it waits
the cool-down for frames in flight and prints, as one JSON object,
STLClient.get_stats() with an "iovbench" member of its own: the load's
duration and its send rate sampled each second (mean, sd).
core/generator_trex.c parses it. Needs TRex's Python API on the path
(--api, or PYTHONPATH).
"""
import argparse
import json
import statistics
import sys
import time

PG_LOAD, PG_LATENCY = 1, 2


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--dst-mac", required=True)
    ap.add_argument("--rate", type=int, required=True, help="load pps")
    ap.add_argument("--size", type=int, default=60, help="bytes, no FCS")
    ap.add_argument("--duration", type=int, default=10)
    ap.add_argument("--latency-rate", type=int, default=1000)
    ap.add_argument("--warmup", type=int, default=0)
    ap.add_argument("--cooldown-ms", type=int, default=100)
    ap.add_argument("--server", default="127.0.0.1")
    ap.add_argument("--api", default="/opt/trex/automation/"
                    "trex_control_plane/interactive")
    a = ap.parse_args()
    sys.path.insert(0, a.api)
    from trex.stl.api import (STLClient, STLStream, STLPktBuilder,
                              STLTXCont, STLFlowStats, STLFlowLatencyStats)
    from scapy.layers.l2 import Ether

    def stream(pps, flow):
        pad = max(0, a.size - 14)
        pkt = Ether(dst=a.dst_mac, type=0x88B5) / (b"\0" * pad)
        return STLStream(packet=STLPktBuilder(pkt=pkt), flow_stats=flow,
                         mode=STLTXCont(pps=pps))

    c = STLClient(server=a.server)
    c.connect()
    try:
        c.reset(ports=[a.port])
        c.add_streams([stream(a.rate, STLFlowStats(pg_id=PG_LOAD)),
                       stream(a.latency_rate,
                              STLFlowLatencyStats(pg_id=PG_LATENCY))],
                      ports=[a.port])
        if a.warmup:
            c.start(ports=[a.port], duration=a.warmup)
            c.wait_on_traffic(ports=[a.port])
            c.clear_stats()
        rates = []
        t0 = time.monotonic()
        c.start(ports=[a.port], duration=a.duration)
        while c.is_traffic_active(ports=[a.port]):
            time.sleep(1)
            fs = c.get_pgid_stats([PG_LOAD])["flow_stats"].get(PG_LOAD, {})
            pps = fs.get("tx_pps", {}).get(a.port)
            if pps:
                rates.append(pps)
        seconds = time.monotonic() - t0
        time.sleep(a.cooldown_ms / 1000)
        stats = c.get_stats()
    finally:
        c.disconnect()
    stats["iovbench"] = {
        "seconds": min(seconds, float(a.duration)),
        "tx_pps_mean": statistics.mean(rates) if rates else 0,
        "tx_pps_sd": statistics.pstdev(rates) if len(rates) > 1 else 0,
    }
    json.dump(stats, sys.stdout, default=str)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
