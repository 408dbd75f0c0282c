// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/factor.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/dataplane.h"
#include "core/generators.h"
#include "core/event.h"
#include "core/reflectors.h"
#include "core/search.h"
#include "core/units.h"
#include "util/alloc.h"

static const char *const measure_names[MEASURE_KIND_COUNT] = {
	[MEASURE_RTT] = "rtt",
	[MEASURE_LOADLAT] = "loadlat",
	[MEASURE_THROUGHPUT] = "throughput",
};

const char *measure_kind_name(enum measure_kind m)
{
	return (unsigned)m < MEASURE_KIND_COUNT ? measure_names[m] : "?";
}

bool factor_applies(enum factor_id id, const int64_t v[FACTOR_COUNT])
{
	unsigned m = factor_table[id].measures;

	if (m && !(m & MEASURE_BIT(v[F_MEASURE])))
		return false;
	return !factor_table[id].applies || factor_table[id].applies(v);
}

static const char *const machine_names[MACHINE_COUNT] = {
	[MACHINE_PC] = "pc",
	[MACHINE_Q35] = "q35",
	[MACHINE_MICROVM] = "microvm",
};

static const char *const macvtap_names[MACVTAP_MODE_COUNT] = {
	[MACVTAP_PASSTHRU] = "passthru",
	[MACVTAP_BRIDGE] = "bridge",
	[MACVTAP_VEPA] = "vepa",
	[MACVTAP_PRIVATE] = "private",
};

static const char *const vhost_names[2] = {"off", "on"};
static const char *const bg_kind_names[2] = {"netns", "qemu"};
static const char *const bg_dataplane_names[BG_DATAPLANE_COUNT] = {
	[BG_BRIDGE] = "bridge",
	[BG_VF] = "vf",
};
static const char *const load_type_names[LOAD_TYPE_COUNT] = {
	[LOAD_NONE] = "none",
	[LOAD_CPU] = "cpu",
	[LOAD_NET] = "net",
};
static const char *const protocol_names[TPUT_PROTOCOL_COUNT] = {
	[TPUT_TCP] = "tcp",
	[TPUT_UDP] = "udp",
};
static const char *const load_location_names[LOAD_LOCATION_COUNT] = {
	[LOAD_AT_SENDER] = "sender",
	[LOAD_AT_RESPONDER] = "responder",
	[LOAD_AT_BOTH] = "both",
};

/* Enum factors whose names are a plain array: count and name from it. */
#define NAMES(arr)                                                           \
	static unsigned arr##_count(void)                                    \
	{                                                                    \
		return ARRAY_SIZE(arr);                                      \
	}                                                                    \
	static const char *arr##_name(unsigned i)                            \
	{                                                                    \
		return arr[i];                                               \
	}
NAMES(bg_kind_names)
NAMES(bg_dataplane_names)
NAMES(load_type_names)
NAMES(load_location_names)
NAMES(measure_names)
NAMES(protocol_names)

const char *tput_protocol_name(enum tput_protocol p)
{
	return (unsigned)p < TPUT_PROTOCOL_COUNT ? protocol_names[p] : "?";
}

const char *bg_dataplane_name(enum bg_dataplane d)
{
	return (unsigned)d < BG_DATAPLANE_COUNT ? bg_dataplane_names[d] : "?";
}

const char *load_type_name(enum load_type t)
{
	return (unsigned)t < LOAD_TYPE_COUNT ? load_type_names[t] : "?";
}

const char *load_location_name(enum load_location l)
{
	return (unsigned)l < LOAD_LOCATION_COUNT ? load_location_names[l] :
						   "?";
}

const char *machine_name(enum machine_kind m)
{
	return (unsigned)m < MACHINE_COUNT ? machine_names[m] : "?";
}

const char *macvtap_mode_name(enum macvtap_mode m)
{
	return (unsigned)m < MACVTAP_MODE_COUNT ? macvtap_names[m] : "?";
}

/* An enum factor named by a function of its value: count and name. */
#define NAMED_BY(stem, count, fn, type)                                      \
	static unsigned stem##_count(void)                                   \
	{                                                                    \
		return count;                                                \
	}                                                                    \
	static const char *stem##_enum_name(unsigned i)                      \
	{                                                                    \
		return fn((type)i);                                          \
	}
/* A factor whose values are a table's entries: count and name. */
#define TABLE_OF(stem, table, len)                                           \
	static unsigned stem##_count(void)                                   \
	{                                                                    \
		return len;                                                  \
	}                                                                    \
	static const char *stem##_enum_name(unsigned i)                      \
	{                                                                    \
		return table[i].name;                                        \
	}
NAMES(vhost_names)
NAMED_BY(machine, MACHINE_COUNT, machine_name, enum machine_kind)
NAMED_BY(macvtap, MACVTAP_MODE_COUNT, macvtap_mode_name, enum macvtap_mode)
NAMED_BY(probe, PROBE_KIND_COUNT, probe_kind_name, enum probe_kind)
NAMED_BY(schedule, SCHEDULE_KIND_COUNT, schedule_kind_name, enum schedule_kind)
NAMED_BY(capture, CAPTURE_MODE_COUNT, capture_mode_name, enum capture_mode)
NAMED_BY(sender, PROBE_SENDER_COUNT, probe_sender_name, enum probe_sender)
NAMED_BY(wakeup, WAKEUP_MODE_COUNT, wakeup_mode_name, enum wakeup_mode)
NAMED_BY(search, SEARCH_KIND_COUNT, search_kind_name, enum search_kind)
TABLE_OF(reflector, reflector_table, reflector_table_len)
TABLE_OF(generator, generator_table, generator_table_len)
TABLE_OF(dataplane, dataplane_table, dataplane_table_len)

/* a search's resolution says nothing about a rate list's test */
static bool search_resolution_applies(const int64_t v[FACTOR_COUNT])
{
	return v[F_SEARCH] != SEARCH_NONE;
}

const struct factor factor_table[FACTOR_COUNT] = {
	[F_DATAPLANE] = {
		.name = "dataplane",
		.kind = FACTOR_ENUM,
		.level = LEVEL_GUESTS,
		.enum_count = dataplane_count,
		.enum_name = dataplane_enum_name,
		.def = "veth-bridge",
		.doc = "how the main guests reach their server's NIC",
	},
	[F_MACHINE] = {
		.name = "machine",
		.kind = FACTOR_ENUM,
		.level = LEVEL_GUESTS,
		.enum_count = machine_count,
		.enum_name = machine_enum_name,
		.def = "pc",
		.implicit = "pc",
		.doc = "QEMU machine type of VM guests: pc, q35 or microvm "
		       "(no PCI: virtio-mmio devices)",
	},
	[F_QEMU] = {
		.name = "qemu",
		.kind = FACTOR_STRING,
		.level = LEVEL_GUESTS,
		.def = "system",
		.implicit = "system",
		.check = qemu_value_check,
		/* the identity of a QEMU build is its name, not its path */
		.identity = qemu_value_name,
		.doc = "QEMU build of VM guests, NAME or NAME:PATH (autotest's "
		       "name:path); system: qemu-system-x86_64 from PATH",
	},
	[F_NICS] = {
		.name = "nics",
		.kind = FACTOR_STRING,
		.level = LEVEL_GUESTS,
		.def = "none",
		.implicit = "none",
		.check = dataplane_nics_check,
		.doc = "more NICs of each main VM beyond its data plane's, as "
		       "data planes joined by '+' (virtio-bridge, "
		       "e1000-bridge): NIC 1, 2, ...; none: one NIC",
	},
	[F_BOND] = {
		.name = "bond",
		.kind = FACTOR_ENUM,
		.level = LEVEL_GUESTS,
		.enum_count = bond_mode_count,
		.enum_name = bond_mode_enum_name,
		.def = "none",
		.implicit = "none",
		.doc = "how a main VM with several NICs joins them: none (each "
		       "its own address), active-backup (a bond in the guest, "
		       "NIC 0 primary) or failover (QEMU's virtio-net "
		       "failover pair: a VFIO VF and a virtio-net standby)",
	},
	[F_VHOST] = {
		.name = "vhost",
		.kind = FACTOR_ENUM,
		.level = LEVEL_GUESTS,
		.enum_count = vhost_names_count,
		.enum_name = vhost_names_name,
		.def = "off",
		.implicit = "off",
		.doc = "vhost-net for virtio-net VM NICs: off or on (needs "
		       "/dev/vhost-net)",
	},
	[F_QEMU_PROPS] = {
		.name = "qemu_props",
		.kind = FACTOR_STRING,
		.level = LEVEL_GUESTS,
		.def = "none",
		.implicit = "none",
		.check = qemu_props_check,
		.doc = "extra QEMU device properties for the main VMs' NICs: "
		       "none, or a name of the campaign's qemu_props, whose "
		       "text is appended to each NIC's -device (patched "
		       "builds: autotest's ioregionfd and posted writes)",
	},
	[F_MACVTAP] = {
		.name = "macvtap",
		.kind = FACTOR_ENUM,
		.level = LEVEL_GUESTS,
		.enum_count = macvtap_count,
		.enum_name = macvtap_enum_name,
		.def = "passthru",
		.implicit = "passthru",
		.doc = "macvtap mode of the virtio-macvtap data plane: "
		       "passthru (the paper's), bridge, vepa or private",
	},
	[F_BACKGROUND] = {
		.name = "background",
		.kind = FACTOR_INT,
		.level = LEVEL_GUESTS,
		.min = 0,
		.max = 254,
		.def = "0",
		.implicit = "0",
		.doc = "background guests per server (the paper: 0, 8, 32, 64, "
		       "128): they compete with the main guests",
	},
	[F_BG_KIND] = {
		.name = "background_kind",
		.kind = FACTOR_ENUM,
		.level = LEVEL_GUESTS,
		.enum_count = bg_kind_names_count,
		.enum_name = bg_kind_names_name,
		.def = "netns",
		.implicit = "netns",
		.doc = "what background guests are: netns containers or qemu "
		       "VMs (the paper's)",
	},
	[F_BG_DATAPLANE] = {
		.name = "background_dataplane",
		.kind = FACTOR_ENUM,
		.level = LEVEL_GUESTS,
		.enum_count = bg_dataplane_names_count,
		.enum_name = bg_dataplane_names_name,
		.def = "bridge",
		.implicit = "bridge",
		.doc = "how background guests reach the NIC: bridge (the PF's "
		       "bridge) or vf (each its own VF: the paper's Section "
		       "4.4, all guests on VFs)",
	},
	[F_LOAD_TYPE] = {
		.name = "load_type",
		.kind = FACTOR_ENUM,
		.level = LEVEL_LOAD,
		.enum_count = load_type_names_count,
		.enum_name = load_type_names_name,
		.def = "none",
		.implicit = "none",
		.doc = "what the background guests do: none, cpu (busy loops) "
		       "or net (bursts to their peers on the other server)",
	},
	[F_LOAD_LOCATION] = {
		.name = "load_location",
		.kind = FACTOR_ENUM,
		.level = LEVEL_LOAD,
		.enum_count = load_location_names_count,
		.enum_name = load_location_names_name,
		.def = "sender",
		.implicit = "sender",
		.doc = "the loaded server: sender, responder or both; for net "
		       "load, the server the bursts arrive at (the paper's "
		       "definition)",
	},
	[F_PAIRS] = {
		.name = "pairs",
		.kind = FACTOR_INT,
		.level = LEVEL_GUESTS,
		.min = 1,
		.max = 8,
		.def = "1",
		.implicit = "1",
		.measures = MEASURE_BIT(MEASURE_THROUGHPUT),
		.doc = "throughput: pairs of main guests measured at once, "
		       "one sender guest and one responder guest each, all "
		       "on the test's data plane",
	},
	[F_GUESTS] = {
		.name = "guests",
		.kind = FACTOR_INT,
		.level = LEVEL_GUESTS,
		.min = 1,
		.max = 8,
		.def = "1",
		.implicit = "1",
		.measures = MEASURE_BIT(MEASURE_LOADLAT),
		.doc = "loadlat: guests under test on the responder server, "
		       "each with the test's reflector; the generator "
		       "spreads its load and latency frames over them, "
		       "frame by frame",
	},
	[F_MEASURE] = {
		.name = "measure",
		.kind = FACTOR_ENUM,
		.level = LEVEL_RUN,
		.enum_count = measure_names_count,
		.enum_name = measure_names_name,
		.def = "rtt",
		.implicit = "rtt",
		.doc = "what a matrix measures: rtt (probes, the paper's "
		       "method), loadlat (constant-rate load to a "
		       "reflector, latency histograms, loss; autotest's) or "
		       "throughput (iperf3 between the main guests, RTT "
		       "probes and CPU usage beside it)",
	},
	[F_REFLECTOR] = {
		.name = "reflector",
		.kind = FACTOR_ENUM,
		.level = LEVEL_RUN,
		.enum_count = reflector_count,
		.enum_name = reflector_enum_name,
		.def = "afpacket",
		.implicit = "afpacket",
		.measures = MEASURE_BIT(MEASURE_LOADLAT),
		.doc = "loadlat: what swaps the MACs of the load in the "
		       "responder guest: afpacket (a TPACKET ring in user "
		       "space) or xdp (XDP_TX)",
	},
	[F_RUNTIME] = {
		.name = "runtime",
		.kind = FACTOR_INT,
		.level = LEVEL_RUN,
		.min = 1,
		.max = 3600,
		.unit = "s",
		.def = "2",
		.implicit = "2",
		.measures = MEASURE_BIT(MEASURE_LOADLAT) |
			    MEASURE_BIT(MEASURE_THROUGHPUT),
		.doc = "loadlat, throughput: seconds of load per run",
	},
	[F_PROTOCOL] = {
		.name = "protocol",
		.kind = FACTOR_ENUM,
		.level = LEVEL_RUN,
		.enum_count = protocol_names_count,
		.enum_name = protocol_names_name,
		.def = "tcp",
		.implicit = "tcp",
		.measures = MEASURE_BIT(MEASURE_THROUGHPUT),
		.doc = "throughput: tcp or udp (iperf3's --udp)",
	},
	[F_STREAMS] = {
		.name = "streams",
		.kind = FACTOR_INT,
		.level = LEVEL_RUN,
		.min = 1,
		.max = 128,
		.def = "1",
		.implicit = "1",
		.measures = MEASURE_BIT(MEASURE_THROUGHPUT),
		.doc = "throughput: parallel streams per pair (iperf3's "
		       "--parallel)",
	},
	[F_MESSAGE] = {
		.name = "message",
		.kind = FACTOR_INT,
		.level = LEVEL_RUN,
		.min = 0,
		.max = 1048576,
		.unit = "B",
		.def = "0",
		.implicit = "0",
		.measures = MEASURE_BIT(MEASURE_THROUGHPUT),
		.doc = "throughput: bytes per write (iperf3's --length: a UDP "
		       "datagram's payload); 0: iperf3's default (128 KiB "
		       "for TCP, the path MTU's payload for UDP)",
	},
	[F_BITRATE] = {
		.name = "bitrate",
		.kind = FACTOR_INT,
		.level = LEVEL_RUN,
		.min = 0,
		.max = INT64_C(100000000000),
		.unit = "bps",
		.def = "0",
		.implicit = "0",
		.measures = MEASURE_BIT(MEASURE_THROUGHPUT),
		.doc = "throughput: target bits per second of each stream "
		       "(iperf3's --bitrate); 0: as fast as it can, TCP and "
		       "UDP",
	},
	[F_GENERATOR] = {
		.name = "generator",
		.kind = FACTOR_ENUM,
		.level = LEVEL_RUN,
		.enum_count = generator_count,
		.enum_name = generator_enum_name,
		.def = "builtin",
		.implicit = "builtin",
		.measures = MEASURE_BIT(MEASURE_LOADLAT),
		.doc = "loadlat: what sends the load and the latency frames: "
		       "builtin (`iovbench loadgen` in the sender's main "
		       "guest), moongen or trex (on the sender server's "
		       "DPDK port, real testbeds)",
	},
	[F_WARMUP] = {
		.name = "warmup",
		.kind = FACTOR_INT,
		.level = LEVEL_RUN,
		.min = 0,
		.max = 600,
		.unit = "s",
		.def = "0",
		.implicit = "0",
		.measures = MEASURE_BIT(MEASURE_LOADLAT),
		.doc = "loadlat: seconds of load at the test's rate sent "
		       "before each run's counting starts (not counted)",
	},
	[F_COOLDOWN] = {
		.name = "cooldown",
		.kind = FACTOR_INT,
		.level = LEVEL_RUN,
		.min = 0,
		.max = 60000,
		.unit = "ms",
		.def = "200",
		.implicit = "200",
		.measures = MEASURE_BIT(MEASURE_LOADLAT),
		.doc = "loadlat: how long the generator keeps receiving "
		       "after the load stops, for frames in flight (builtin: "
		       "fixed 200 ms; moongen: 0)",
	},
	[F_LOSS_THRESHOLD] = {
		.name = "loss_threshold",
		.kind = FACTOR_INT,
		.level = LEVEL_RUN,
		.min = 0,
		.max = 100000,
		.unit = "%",
		.scale = 1000,
		.def = "1%",
		/* as the store's SQL writes it: a number, in % */
		.implicit = "1",
		.measures = MEASURE_BIT(MEASURE_LOADLAT),
		.doc = "loadlat: the load limit is the highest rate with at "
		       "most this loss, in % of the frames sent (0.001 "
		       "steps; autotest's 1 %)",
	},
	[F_NIC] = {
		.name = "nic",
		.kind = FACTOR_INT,
		.level = LEVEL_RUN,
		.min = 0,
		.max = GUEST_NICS_MAX - 1,
		.def = "0",
		.implicit = "0",
		.measures = MEASURE_BIT(MEASURE_RTT),
		.doc = "which NIC of the main guests the probes cross (0: the "
		       "data plane's, K: the K-th of nics), each NIC in turn",
	},
	[F_EVENTS] = {
		.name = "events",
		.kind = FACTOR_STRING,
		.level = LEVEL_RUN,
		.def = "none",
		.implicit = "none",
		.measures = MEASURE_BIT(MEASURE_RTT) |
			    MEASURE_BIT(MEASURE_THROUGHPUT),
		.check = event_schedule_check,
		.doc = "what happens while the probes flow: items TIME KIND "
		       "TARGET separated by ';' (\"1s link-down responder.0; "
		       "2s link-up responder.0\"); none: nothing",
	},
	[F_PROBE] = {
		.name = "probe",
		.kind = FACTOR_ENUM,
		.level = LEVEL_RUN,
		.enum_count = probe_count,
		.enum_name = probe_enum_name,
		.def = "icmp",
		.measures = MEASURE_BIT(MEASURE_RTT) |
			    MEASURE_BIT(MEASURE_THROUGHPUT),
		.doc = "icmp: echo answered by the responder guest's kernel; "
		       "udp: echo answered by `iovbench reflect`",
	},
	[F_SCHEDULE] = {
		.name = "schedule",
		.kind = FACTOR_ENUM,
		.level = LEVEL_RUN,
		.enum_count = schedule_count,
		.enum_name = schedule_enum_name,
		.def = "fixed",
		.implicit = "fixed",
		.measures = MEASURE_BIT(MEASURE_RTT),
		.doc = "when probes leave: fixed (every 1/rate) or poisson "
		       "(exponential gaps of mean 1/rate, RFC 2330, from a "
		       "seeded generator; the gaps are checked with "
		       "Anderson-Darling)",
	},
	[F_CAPTURE] = {
		.name = "capture",
		.kind = FACTOR_ENUM,
		.level = LEVEL_RUN,
		.enum_count = capture_count,
		.enum_name = capture_enum_name,
		.def = "on",
		.implicit = "on",
		.measures = MEASURE_BIT(MEASURE_RTT),
		.doc = "on: the probes are stamped at the capture points "
		       "(prober.capture); off: not, so that a test beside "
		       "its capture: on twin measures what the capture "
		       "points add to the RTT (capture_cost_us)",
	},
	[F_WAKEUP] = {
		.name = "wakeup",
		.kind = FACTOR_ENUM,
		.level = LEVEL_RUN,
		.enum_count = wakeup_count,
		.enum_name = wakeup_enum_name,
		.def = "auto",
		.implicit = "auto",
		.measures = MEASURE_BIT(MEASURE_RTT) |
			    MEASURE_BIT(MEASURE_THROUGHPUT),
		.doc = "udp: how the reflector waits for a probe: block "
		       "(sleeps in recvmmsg), busy-poll (spins on a "
		       "non-blocking socket with SO_BUSY_POLL), pinned "
		       "(busy-poll on the guest's last CPU) or auto "
		       "(busy-poll on guests of 4 CPUs or more, else block; "
		       "prober.busy_poll: busy-poll); the mode used is "
		       "stored with each run",
	},
	[F_SENDER] = {
		.name = "sender",
		.kind = FACTOR_ENUM,
		.level = LEVEL_RUN,
		.enum_count = sender_count,
		.enum_name = sender_enum_name,
		.def = "socket",
		.implicit = "socket",
		.measures = MEASURE_BIT(MEASURE_RTT),
		.doc = "how the prober sends and receives: socket (a raw "
		       "ICMP or a UDP socket through the guest's IP stack; "
		       "hardware stamps where the NIC gives them) or ring "
		       "(Ethernet frames from AF_PACKET rings, past the "
		       "qdisc; software stamps; the target on the guest's "
		       "subnet): docs/metrics.md, Senders",
	},
	[F_SIZE] = {
		.name = "size",
		.kind = FACTOR_INT,
		.level = LEVEL_RUN,
		.min = 64,
		.max = 1518,
		.unit = "B",
		.def = "64",
		.word = size_word,
		.doc = "Ethernet frame size in bytes, FCS included (RFC 2544); "
		       "loadlat: or a mix, imix or SIZE:WEIGHT,... "
		       "(core/sizemix.h)",
	},
	[F_RATE] = {
		.name = "rate",
		.kind = FACTOR_INT,
		.level = LEVEL_RUN,
		.min = 1,
		/* real NICs' load; probes stop at PLAN_PROBE_RATE_MAX */
		.max = 200000000,
		.unit = "pps",
		.def = "1k",
		.doc = "probes per second, paced by busy waiting (at most "
		       "1M); loadlat: the offered load in frames per second "
		       "(at most 200M)",
	},
	[F_SEARCH] = {
		.name = "search",
		.kind = FACTOR_ENUM,
		.level = LEVEL_RUN,
		.enum_count = search_count,
		.enum_name = search_enum_name,
		.def = "none",
		.implicit = "none",
		.measures = MEASURE_BIT(MEASURE_LOADLAT),
		.doc = "loadlat: instead of running the listed rate, search "
		       "below it (the upper bound) by bisection: ndr (loss "
		       "<= 0.001 %), pdr (<= 0.1 %) or ndr+pdr, one run a "
		       "trial, then repetitions runs each at 10, 50 and 90 % "
		       "of the rate found (PDR; NDR if only NDR)",
	},
	[F_SEARCH_RESOLUTION] = {
		.name = "search_resolution",
		.kind = FACTOR_INT,
		.level = LEVEL_RUN,
		.min = 1,
		.max = 50000,
		.unit = "%",
		.scale = 1000,
		.def = "1%",
		/* as the store's SQL writes it: a number, in % */
		.implicit = "1",
		.measures = MEASURE_BIT(MEASURE_LOADLAT),
		.applies = search_resolution_applies,
		.doc = "loadlat searches: stop when the passing and the "
		       "failing trial rates are this close, in % of the "
		       "upper bound (0.001 steps)",
	},
	[F_COUNT] = {
		.name = "count",
		.kind = FACTOR_INT,
		.level = LEVEL_RUN,
		.min = 1,
		.max = 10000000,
		.def = "100",
		.measures = MEASURE_BIT(MEASURE_RTT) |
			    MEASURE_BIT(MEASURE_THROUGHPUT),
		.doc = "probes per run (the paper: 100); throughput: the "
		       "probes sent beside the load",
	},
	[F_REPETITIONS] = {
		.name = "repetitions",
		.kind = FACTOR_INT,
		.level = LEVEL_RUN,
		.flags = FACTOR_NOT_IN_ID,
		.min = 1,
		.max = 10000,
		.def = "10",
		.doc = "runs per test (the paper: 10); raising it later keeps "
		       "the runs already done",
	},
};
