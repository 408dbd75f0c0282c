// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/schedule.h"

#include <math.h>
#include <string.h>

#define NSEC_PER_SEC_D 1e9

void schedule_init(struct schedule *s, enum schedule_kind kind, uint64_t rate,
		   uint64_t seed)
{
	memset(s, 0, sizeof(*s));
	s->kind = kind;
	s->rate = rate ? rate : 1;
	s->rng = seed;
}

/*
 * splitmix64 (Steele, Lea and Flood, OOPSLA 2014): one 64-bit state,
 * every seed a full-period sequence, and so small that the schedule
 * stays reproducible from the seed alone, on any libc.
 */
static uint64_t splitmix64(uint64_t *state)
{
	uint64_t z = (*state += UINT64_C(0x9e3779b97f4a7c15));

	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

double schedule_uniform(struct schedule *s)
{
	return (double)(splitmix64(&s->rng) >> 11) * 0x1.0p-53;
}

int64_t schedule_next(struct schedule *s)
{
	uint64_t i = s->i++;

	if (s->kind != SCHEDULE_POISSON)
		/* integers: probe i at exactly i / rate, to the ns */
		return (int64_t)((i * (uint64_t)1000000000) / s->rate);
	/*
	 * The first probe leaves at the start; each later one an
	 * exponential gap after the one before: -ln(1 - U) / rate, with
	 * 1 - U in (0, 1] so the logarithm is finite. A double holds the
	 * running sum to well under a nanosecond for days of probes.
	 */
	if (i)
		s->t_ns += -log1p(-schedule_uniform(s)) * NSEC_PER_SEC_D /
			   (double)s->rate;
	return (int64_t)llround(s->t_ns);
}

uint64_t schedule_seed(const char *text)
{
	uint64_t h = UINT64_C(0xcbf29ce484222325);

	for (; *text; text++) {
		h ^= (unsigned char)*text;
		h *= UINT64_C(0x100000001b3);
	}
	/* 63 bits: a seed is stored as an SQLite (signed) integer */
	h >>= 1;
	return h ? h : 1;
}
