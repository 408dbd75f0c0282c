/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Parsing and printing of the numbers people write in campaign files and on
 * the command line: rates "10k", "1M", "1kpps"; durations "500ms", "2s";
 * sizes in bytes. Pure: no I/O, no locale.
 */
#ifndef IOV_CORE_UNITS_H
#define IOV_CORE_UNITS_H

#include <stddef.h>
#include <stdint.h>

/*
 * A count with an optional SI multiplier (k = 1e3, M = 1e6, G = 1e9) and
 * an optional unit word (e.g. "pps"); decimals are allowed if the result
 * is whole ("1.5k"). Returns 0, or -EINVAL (not a number, junk after it,
 * wrong unit word) or -ERANGE (does not fit in int64).
 */
int units_parse_si(const char *s, const char *unit, int64_t *out);

/* "250us", "1.5ms", "2s", "1m" (minutes) -> nanoseconds; bare = seconds. */
int units_parse_duration(const char *s, int64_t *out_ns);

/* Print a count the way units_parse_si reads it back: 10000 -> "10k". */
void units_format_si(int64_t v, char *buf, size_t len);

/* Print nanoseconds as microseconds with 3 decimals: 1234 -> "1.234". */
void units_format_us(double ns, char *buf, size_t len);

/* "0-3,7" -> bitmask of CPUs (at most 64); 0 or -EINVAL. */
int units_parse_cpulist(const char *s, uint64_t *mask);

#endif
