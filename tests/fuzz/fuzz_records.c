// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer target: records_parse() on arbitrary bytes (in a run they
 * come from a guest). What parses must format and parse back to the
 * same records: the format is the prober's only channel to the runner.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/probe.h"
#include "core/records.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int rec_equal(const struct probe_rec *a, const struct probe_rec *b)
{
	return a->seq == b->seq && a->flags == b->flags &&
	       a->replies == b->replies && a->t_sched == b->t_sched &&
	       a->t_tx_user == b->t_tx_user && a->t_tx == b->t_tx &&
	       a->t_rx == b->t_rx && a->t_rx_user == b->t_rx_user;
}

static void check_round_trip(const struct probe_meta *m,
			     const struct probe_rec *r, size_t n)
{
	struct strbuf text = STRBUF_INIT, err = STRBUF_INIT;
	struct probe_rec *r2 = NULL;
	struct probe_meta m2;
	size_t i, n2 = 0;

	records_format(m, r, n, &text);
	if (records_parse(text.buf, text.len, &m2, &r2, &n2, &err))
		abort(); /* we cannot read what we wrote */
	if (n2 != n || m2.kind != m->kind || strcmp(m2.target, m->target) ||
	    m2.port != m->port || m2.rate != m->rate ||
	    m2.count != m->count || m2.size != m->size ||
	    m2.session != m->session || m2.started != m->started)
		abort();
	for (i = 0; i < n; i++) {
		if (!rec_equal(&r[i], &r2[i]))
			abort();
	}
	free(r2);
	strbuf_release(&text);
	strbuf_release(&err);
}

/*
 * The runner reads the same text line by line (records_stream): it must
 * survive anything, and where both accept, give the same records.
 */
static void check_stream(const uint8_t *data, size_t size,
			 const struct probe_rec *whole, size_t nwhole)
{
	struct strbuf err = STRBUF_INIT;
	struct records_stream rs;
	struct probe_rec r;
	FILE *f;
	size_t n = 0;
	int ret;

	if (!size)
		return;
	f = fmemopen((void *)data, size, "r");
	if (!f)
		return;
	ret = records_stream_open(&rs, f, &err);
	while (!ret && (ret = records_stream_next(&rs, &r, &err)) == 1) {
		if (whole && (n >= nwhole || !rec_equal(&r, &whole[n])))
			abort();
		n++;
		ret = 0;
	}
	if (ret == 0 && whole && n != nwhole)
		abort();
	if (ret < 0 && !err.len)
		abort();
	fclose(f);
	strbuf_release(&err);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct strbuf err = STRBUF_INIT;
	struct probe_rec *r = NULL;
	struct probe_meta m;
	size_t n = 0;

	if (records_parse((const char *)data, size, &m, &r, &n, &err)) {
		if (!err.len || r)
			abort();
		check_stream(data, size, NULL, 0);
	} else {
		check_stream(data, size, r, n);
		if (err.len || !r || n != m.count)
			abort();
		check_round_trip(&m, r, n);
		free(r);
	}
	strbuf_release(&err);
	return 0;
}
