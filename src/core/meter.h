/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Meters: the kinds of measurement a run takes (the prober's RTT, the RTT
 * split at capture points, CPU usage, the background load achieved). A
 * meter is known only through its entry, as iproute2 knows a link kind
 * through its link_util:
 *
 *   tables   what it stores: SQL tables of its own, each describing one
 *            unit (a probe, a capture point, a server's CPU, ...), keyed
 *            by the run and the unit's key columns. The store creates
 *            them from this description and adds columns that appear.
 *   metrics  what it contributes to a test's series (report/, and the
 *            statistics that read the series): named values with units,
 *            folded from its rows over the test's complete runs.
 *
 * This is the pure half (core/meter_NAME.c); the OS half that takes the
 * measurement during a run is runner/meter_NAME.c. docs/hacking.md walks
 * through adding one.
 */
#ifndef IOV_CORE_METER_H
#define IOV_CORE_METER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/factor.h"

/* ---- stored rows ---- */

enum cell_type { CELL_NULL, CELL_INT, CELL_REAL, CELL_TEXT };

/* One value of a row, stored or read back. */
struct cell {
	enum cell_type type;
	union {
		int64_t i;
		double d;
		const char *s;
	};
};

static inline struct cell cell_int(int64_t v)
{
	return (struct cell){.type = CELL_INT, .i = v};
}

static inline struct cell cell_real(double v)
{
	return (struct cell){.type = CELL_REAL, .d = v};
}

/* NULL text is an SQL NULL */
static inline struct cell cell_text(const char *s)
{
	return s ? (struct cell){.type = CELL_TEXT, .s = s} :
		   (struct cell){.type = CELL_NULL};
}

static inline struct cell cell_null(void)
{
	return (struct cell){.type = CELL_NULL};
}

/* A cell as a number (NULL or text: dflt). */
double cell_num(const struct cell *c, double dflt);

enum column_flags {
	COL_KEY = 1u << 0,	/* part of the primary key (after run) */
	COL_NOT_NULL = 1u << 1,
};

struct meter_column {
	const char *name;
	enum cell_type type; /* CELL_INT, CELL_REAL or CELL_TEXT */
	unsigned flags;
};

#define COL(i) (UINT64_C(1) << (i))

/* Columns a meter table may have: the size of every row buffer. */
#define METER_COLS_MAX 32

struct meter_table {
	const char *name; /* the SQL table */
	const char *unit; /* what a row describes: "probe", "capture point" */
	const struct meter_column *cols;
	unsigned ncols;
	/*
	 * `report --table EXPORT` lists it: a table whose unit another
	 * meter's table already describes joins that one's export on the
	 * run and the key (probes and their split); NULL: its own name.
	 */
	const char *export_as;
	/* the columns its meter's fold reads (COL(i) bits); 0: none */
	uint64_t fold;
	/*
	 * Store what is measured, derive the rest: with stored_in set,
	 * the rows go to that table (the stored columns, each computed
	 * from the row's cells by its put expression, then every column
	 * of cols with neither a derive nor a stored column of its name,
	 * as it is), and name is a view (FROM view_from) whose column c
	 * is derive[c] (NULL: the stored column of its name, d.NAME).
	 * NULL stored_in: name is a table of cols, as they are.
	 * docs/results.md lists what is derived.
	 */
	const char *stored_in;
	const struct stored_column *stored;
	unsigned nstored;
	const char *view_from;
	const char *const *derive;
};

/*
 * A column of a stored_in table. put is SQL over the row's cells, named
 * :COLUMN (cols[].name), and :base, its run's started_ns (0 when it has
 * none): what is stored. The view reads it back as d.name, and its run
 * as b (runs b, with COALESCE(b.started_ns, 0) the same base).
 */
struct stored_column {
	const char *name;
	enum cell_type type;
	unsigned flags; /* COL_KEY, COL_NOT_NULL */
	const char *put;
};

/* Where rows go when a run is saved (store/), one call per row. */
struct row_sink {
	int (*put)(struct row_sink *sink, const struct cell *cells);
};

/* ---- per-test metrics ---- */

enum metric_flags {
	METRIC_MACHINE = 1u << 0, /* a CSV/JSON column */
	METRIC_HUMAN = 1u << 1,	  /* a column of the text table */
	METRIC_TEXT = 1u << 2,	  /* a word, not a number */
	/* text: the second table (what runs observed besides the RTT) */
	METRIC_OBSERVED = 1u << 3,
	/* text: shown only when some test has a value in its group */
	METRIC_IF_ANY = 1u << 4,
};

/*
 * The groups of METRIC_IF_ANY columns, one list so that two meters'
 * groups never share a number (a shared one shows one meter's empty
 * columns whenever the other's have values).
 */
enum metric_group {
	GROUP_NONE,
	GROUP_NOTES,	 /* accel and VF notes */
	GROUP_PORTS,	 /* the split at the host's ports */
	GROUP_SUSPECT,	 /* suspect runs */
	GROUP_OVERLOAD,	 /* overloaded runs' rates */
	GROUP_SCHEDULE,	 /* poisson schedules' check */
	GROUP_EVENTS,	 /* events in a run */
	GROUP_TPUT,	 /* throughput */
	GROUP_LOADLAT,	 /* load-latency */
	GROUP_SEARCH,	 /* load-latency searches: NDR, PDR */
	GROUP_LLGUESTS,	 /* load-latency with several guests under test */
	GROUP_PROBES,	 /* the prober's RTT: none in load-latency tests */
	GROUP_SPLIT,	 /* capture points: none without them */
	GROUP_LOAD,	 /* background load: none without background */
	GROUP_CAPCOST,	 /* capture cost: tests with a capture: off twin */
	GROUP_HYGIENE,	 /* host settings that distort */
	GROUP_COUNT
};

struct metric {
	const char *name;  /* CSV/JSON column: "rtt_p50_us" */
	const char *human; /* text column: "p50" */
	/*
	 * A value is kept in its base unit (ns, pps, ...) and printed as
	 * value / div in unit (div 0: 1), times human_scale in the text
	 * table (0: 1): the very operations the figures were always
	 * printed with, so that no rounding moves.
	 */
	const char *unit; /* of the printed machine value: "us", "%", "" */
	const char *fmt;  /* printf format of the machine value */
	double div;
	const char *human_fmt; /* NULL: fmt */
	double human_scale;
	unsigned flags;
	unsigned group; /* METRIC_IF_ANY: enum metric_group */
	const char *doc;
};

/* A test's value of one metric. */
struct metric_value {
	enum cell_type type; /* CELL_REAL, CELL_TEXT; CELL_NULL: not measured */
	bool placeholder;    /* text that stands for "nothing here" */
	double d;	     /* in the base unit */
	char s[40];
};

void metric_set_num(struct metric_value *v, double d);
/* d >= 0 and not NaN, else NULL (not measured) */
void metric_set_measured(struct metric_value *v, double d);
void metric_set_text(struct metric_value *v, const char *s, bool placeholder);

/* A run of a test, as the fold sees it. */
struct meter_run {
	int64_t id;	   /* the store's row id */
	const char *setup; /* JSON: accel, vf, image, ... (may be NULL) */
};

struct series;

struct meter_def {
	const char *name;
	const char *doc;
	const struct meter_table *tables;
	unsigned ntables;
	const struct metric *metrics;
	unsigned nmetrics;
	/*
	 * The fold over a test's complete runs: acc (acc_size bytes,
	 * zeroed) sees each run, then the rows of its tables for that run
	 * in column order; finish fills one value per metric.
	 */
	size_t acc_size;
	void (*run)(void *acc, const struct meter_run *run);
	void (*row)(void *acc, unsigned table, const struct cell *cells);
	void (*finish)(void *acc, struct metric_value *out);
	void (*release)(void *acc);
	/* after every test: metrics that compare tests (values from first) */
	void (*across)(struct series *s, unsigned first);
	/*
	 * The text report's note under the table its columns are in, for
	 * people: note, or note_alt when note_group's columns are shown.
	 */
	const char *note, *note_alt;
	unsigned note_group;
};

/* Every meter, in the order their metrics appear in reports. */
#define METER_DEFS_MAX 16
extern const struct meter_def *const meter_defs[];
extern const unsigned meter_count;

extern const struct meter_def meter_probe, meter_split, meter_cpu,
	meter_load, meter_loadlat, meter_tput, meter_events, meter_hygiene;

/* The meter whose table is called name (and k its index), or NULL. */
const struct meter_def *meter_table_find(const char *name, unsigned *k);

#endif
