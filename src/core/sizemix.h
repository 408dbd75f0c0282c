/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Frame size mixes of the size factor (load-latency tests): weights of
 * frame sizes, sent in a deterministic interleaved order. Written in a
 * campaign as `imix` (the classic simple IMIX: 64:7, 570:4, 1518:1,
 * sizes with the FCS) or explicitly, `64:7,570:4,1518:1` (SIZE:WEIGHT,
 * comma- or slash-separated; a SIZE alone weighs 1). Pure; the parser
 * takes a campaign's text and is fuzzed (tests/fuzz/fuzz_sizemix.c).
 */
#ifndef IOV_CORE_SIZEMIX_H
#define IOV_CORE_SIZEMIX_H

#include <stddef.h>
#include <stdint.h>

#define SIZEMIX_MAX 8
/* the sum of the weights: one cycle of the order, in frames */
#define SIZEMIX_CYCLE_MAX 1000

struct sizemix {
	unsigned n;
	unsigned size[SIZEMIX_MAX];   /* bytes, FCS included */
	unsigned weight[SIZEMIX_MAX]; /* >= 1 */
	int named;		      /* it was `imix` */
};

/*
 * Parse text, each size within min..max: 0, or -1 with why. A plain
 * number is a mix of one size.
 */
int sizemix_parse(const char *text, unsigned min, unsigned max,
		  struct sizemix *m, char *why, size_t len);
/* The canonical text: "imix", or "64:7,570:4,1518:1" in the given order. */
void sizemix_format(const struct sizemix *m, char *buf, size_t len);
unsigned sizemix_total_weight(const struct sizemix *m);
/*
 * One cycle of the send order into order[0..sizemix_total_weight()):
 * smooth weighted round robin, so that each size recurs evenly spread
 * (imix: 64 570 64 64 570 64 1518 ...) and the order is the same on
 * every run.
 */
void sizemix_cycle(const struct sizemix *m, uint16_t *order);
/* The mean frame size over a cycle (bytes, FCS included). */
double sizemix_mean(const struct sizemix *m);
unsigned sizemix_largest(const struct sizemix *m);
unsigned sizemix_smallest(const struct sizemix *m);

/*
 * The size factor's value v (a size, or a mix kept as -1 - its interned
 * text, core/factor.h) as a mix: 0, or -1 if v is neither.
 */
int sizemix_of_value(int64_t v, struct sizemix *m);
/* The largest frame of a size factor value (the MTU's concern). */
int64_t sizemix_value_largest(int64_t v);

#endif
