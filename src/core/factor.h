/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Factors: the dimensions of a test matrix. One table entry per factor;
 * the enum order is the order of the test tree, from the factor that is
 * most costly to change (it needs new guests) to the cheapest (a probe
 * setting). A new factor is a new entry in the right place: the identity
 * of a test is built from factor names, never from enum positions.
 */
#ifndef IOV_CORE_FACTOR_H
#define IOV_CORE_FACTOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum factor_id {
	/* background guests first: rebooting N costs more than 2 main ones */
	F_BACKGROUND,
	F_BG_KIND,
	F_BG_DATAPLANE,
	F_DATAPLANE,
	F_MACHINE,
	F_QEMU,
	F_VHOST,
	F_QEMU_PROPS,
	F_MACVTAP,
	F_NICS,
	F_BOND,
	F_LOAD_TYPE,
	F_LOAD_LOCATION,
	F_PAIRS,
	F_GUESTS,
	F_MEASURE,
	F_REFLECTOR,
	F_GENERATOR,
	F_PROBE,
	F_SCHEDULE,
	F_CAPTURE,
	F_WAKEUP,
	F_SENDER,
	F_SIZE,
	F_RATE,
	F_SEARCH,
	F_SEARCH_RESOLUTION,
	F_RUNTIME,
	F_PROTOCOL,
	F_STREAMS,
	F_MESSAGE,
	F_BITRATE,
	F_WARMUP,
	F_COOLDOWN,
	F_LOSS_THRESHOLD,
	F_NIC,
	F_EVENTS,
	F_COUNT,
	F_REPETITIONS,
	FACTOR_COUNT
};

enum factor_kind {
	FACTOR_ENUM,   /* value = index into the factor's names */
	FACTOR_INT,    /* value = the number */
	FACTOR_STRING, /* value = factor_string() index of the text */
};

/* What must be rebuilt when the factor's value changes between tests. */
enum factor_level {
	LEVEL_GUESTS, /* main and background guests, their data planes */
	LEVEL_LOAD,   /* the load the background guests apply */
	LEVEL_RUN,    /* nothing: a setting of the run itself */
};

enum factor_flags {
	/* Not part of a test's identity (how many runs, not what is run). */
	FACTOR_NOT_IN_ID = 1u << 0,
};

enum machine_kind { MACHINE_PC, MACHINE_Q35, MACHINE_MICROVM, MACHINE_COUNT };
enum macvtap_mode {
	MACVTAP_PASSTHRU,
	MACVTAP_BRIDGE,
	MACVTAP_VEPA,
	MACVTAP_PRIVATE,
	MACVTAP_MODE_COUNT
};

enum bg_dataplane { BG_BRIDGE, BG_VF, BG_DATAPLANE_COUNT };
/*
 * How a guest with several NICs joins them: not at all (each its own
 * address), a bond in active-backup mode inside the guest (the local
 * testbed's VF/virtio switch), or QEMU's virtio-net failover pair (a
 * VFIO VF primary, a virtio-net standby; real SR-IOV NICs only).
 */
enum bond_mode { BOND_NONE, BOND_ACTIVE_BACKUP, BOND_FAILOVER,
		 BOND_MODE_COUNT };
enum load_type { LOAD_NONE, LOAD_CPU, LOAD_NET, LOAD_TYPE_COUNT };
/* Where the load is: for net, the server its bursts arrive at. */
enum load_location { LOAD_AT_SENDER, LOAD_AT_RESPONDER, LOAD_AT_BOTH,
		     LOAD_LOCATION_COUNT };

/* What a matrix measures (its kind): the factors that apply follow. */
enum measure_kind {
	MEASURE_RTT,	 /* the prober's RTT probes (the paper's method) */
	MEASURE_LOADLAT, /* load-latency: generator, reflector, histograms */
	MEASURE_THROUGHPUT, /* iperf3 between the main pairs, probes beside */
	MEASURE_KIND_COUNT
};
#define MEASURE_BIT(m) (1u << (m))

enum tput_protocol { TPUT_TCP, TPUT_UDP, TPUT_PROTOCOL_COUNT };

enum probe_kind {
	PROBE_ICMP, /* ICMP echo, answered by the responder guest's kernel */
	PROBE_UDP,  /* UDP echo, answered by `iovbench reflect` */
	PROBE_KIND_COUNT
};

/* When probes leave (core/schedule.h). */
enum schedule_kind {
	SCHEDULE_FIXED,	  /* every 1/rate */
	SCHEDULE_POISSON, /* exponential gaps of mean 1/rate (RFC 2330) */
	SCHEDULE_KIND_COUNT
};

/* Whether a run's probes are stamped at the capture points. */
enum capture_mode { CAPTURE_ON, CAPTURE_OFF, CAPTURE_MODE_COUNT };
/* how the prober sends and receives (measure/prober_path.h's entries,
 * by these names; docs/metrics.md "Senders") */
enum probe_sender { SENDER_SOCKET, SENDER_RING, PROBE_SENDER_COUNT };

/*
 * How the UDP reflector waits for a probe (docs/metrics.md): its
 * wake-up is part of every UDP RTT, so it is a recorded choice.
 */
enum wakeup_mode {
	WAKEUP_AUTO,	  /* busy-poll with cores to spare, else block */
	WAKEUP_BLOCK,	  /* sleep in recvmmsg until a probe arrives */
	WAKEUP_BUSY_POLL, /* spin on a non-blocking socket (SO_BUSY_POLL) */
	WAKEUP_PINNED,	  /* busy-poll, pinned to the guest's last CPU */
	WAKEUP_MODE_COUNT
};

struct factor {
	const char *name;
	enum factor_kind kind;
	enum factor_level level;
	unsigned flags;
	/* FACTOR_ENUM: the value names */
	unsigned (*enum_count)(void);
	const char *(*enum_name)(unsigned i);
	/* FACTOR_INT: range and the unit word accepted after the number */
	int64_t min, max;
	const char *unit;
	/*
	 * FACTOR_INT: values are kept multiplied by scale (0: 1), so that
	 * a campaign may write decimals ("0.001%" of a loss threshold kept
	 * in thousandths of a percent is 1)
	 */
	int64_t scale;
	const char *def; /* default, as written in a campaign */
	/*
	 * The value every test implicitly had before the factor existed:
	 * a test at this value leaves the factor out of its identity, so
	 * adding a factor keeps the runs already stored. NULL for the
	 * founding factors, which are always part of the identity. Never
	 * change it once set (see plan_test_key()).
	 */
	const char *implicit;
	/* MEASURE_BIT()s of the matrix kinds it applies to; 0: every kind */
	unsigned measures;
	/* and, within them, to the tests it says yes to (NULL: all) */
	bool (*applies)(const int64_t v[FACTOR_COUNT]);
	/*
	 * FACTOR_STRING: whether text is a value (0, or -1 with why), and
	 * the part of a value that is its identity (NULL: all of it)
	 */
	int (*check)(const char *text, char *why, size_t len);
	void (*identity)(const char *value, char *buf, size_t len);
	/*
	 * FACTOR_INT: values that are words, not numbers (a size mix):
	 * text into its canonical form (0, or -1 with why). Such a value
	 * is kept as -1 - the interned canonical text; NULL: numbers only
	 */
	int (*word)(const char *text, char *canon, size_t clen, char *why,
		    size_t wlen);
	const char *doc;
};

extern const struct factor factor_table[FACTOR_COUNT];

/* Factor id by name, or -1. */
int factor_find(const char *name);

/*
 * Parse one value as written in a campaign. On error returns -EINVAL
 * (not a value of this factor) or -ERANGE (outside min..max) and leaves
 * an explanation in why (e.g. "expected one of: icmp, udp").
 */
int factor_parse(enum factor_id id, const char *text, int64_t *out,
		 char *why, size_t whylen);
/*
 * A geometric sweep of an integer factor (the matrix's `rate: {from: 50k,
 * to: 1M, times: 2}`): from, from x times, ... while at most to, each
 * value rounded and once, at most max of them; the values parsed as
 * factor_parse does. The number of values, or -1 with why.
 */
int factor_sweep(enum factor_id id, const char *from, const char *to,
		 const char *times, int64_t *out, size_t max, char *why,
		 size_t whylen);

/* Canonical text of a value (enum name, or decimal): used in identities. */
void factor_format(enum factor_id id, int64_t v, char *buf, size_t len);
/* Text for people: 10000 pps -> "10k". */
void factor_format_human(enum factor_id id, int64_t v, char *buf, size_t len);

/* The factor's default (struct factor.def), parsed. */
int64_t factor_default(enum factor_id id);

/* Does v equal the factor's implicit value (see struct factor)? */
bool factor_is_implicit(enum factor_id id, int64_t v);

/*
 * Does the factor apply to a test of these factor values (its matrix
 * kind)? One that does not keeps its default and is left out of the
 * test's identity and labels.
 */
bool factor_applies(enum factor_id id, const int64_t v[FACTOR_COUNT]);
const char *measure_kind_name(enum measure_kind m);

const char *probe_kind_name(enum probe_kind k);
const char *schedule_kind_name(enum schedule_kind k);
const char *capture_mode_name(enum capture_mode m);
const char *probe_sender_name(enum probe_sender s);
const char *wakeup_mode_name(enum wakeup_mode m);
int wakeup_mode_find(const char *name);
/*
 * What auto means on a guest of ncpus CPUs: busy-poll from
 * WAKEUP_AUTO_MIN_CPUS on (a spinning reflector then leaves the
 * prober and the softirqs their own CPUs), else block.
 */
#define WAKEUP_AUTO_MIN_CPUS 4
enum wakeup_mode wakeup_resolve(enum wakeup_mode m, long ncpus);
int probe_kind_find(const char *name);
const char *machine_name(enum machine_kind m);
const char *bg_dataplane_name(enum bg_dataplane d);
const char *load_type_name(enum load_type t);
const char *load_location_name(enum load_location l);
const char *macvtap_mode_name(enum macvtap_mode m);
const char *tput_protocol_name(enum tput_protocol p);
const char *bond_mode_name(enum bond_mode m);

/*
 * String factor values are interned: a value is an index into one
 * process-wide table, so that tests compare and sort them as numbers.
 * factor_intern() returns the index (or -1 when the table is full),
 * factor_string() the text.
 */
int64_t factor_intern(const char *s);
const char *factor_string(int64_t v);

/*
 * The qemu factor: "NAME" or "NAME:PATH" (autotest's way of naming QEMU
 * builds). Its identity is the NAME; PATH is where the binary is ("system"
 * and no path: qemu-system-x86_64 from PATH).
 */
void qemu_value_name(const char *value, char *name, size_t len);
const char *qemu_value_path(const char *value);
/* Is text a qemu factor value? 0, or -1 with why (core/qemu_value.c). */
int qemu_value_check(const char *text, char *why, size_t len);
/* The size factor's words: a size mix (core/sizemix.h). */
int size_word(const char *text, char *canon, size_t clen, char *why,
	      size_t wlen);
/* A FACTOR_INT value that is a word (its interned text), or NULL. */
const char *factor_word(enum factor_id id, int64_t v);
/* Is text a qemu_props factor value (a name)? 0, or -1 with why. */
int qemu_props_check(const char *text, char *why, size_t len);
/* The bond factor's values, for its table entry. */
unsigned bond_mode_count(void);
const char *bond_mode_enum_name(unsigned i);

#endif
