// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * What searches read back (core/search.h): a search test's complete
 * runs, in run order, with the rate each was asked for, its role and
 * what it carried, from loadlat_runs. The runner's next trial and the
 * plan's count of what is left are computed from these alone.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/search.h"
#include "store/db.h"
#include "store/store.h"
#include "util/alloc.h"

int store_search_runs(struct store *s, const char *test_id,
		      struct search_run **out, size_t *n)
{
	sqlite3_stmt *st;
	size_t alloc = 0;
	int rc;

	*out = NULL;
	*n = 0;
	/* a file from before searches has no such runs */
	if (!db_has_column(s, "loadlat_runs", "search_role"))
		return 0;
	/* several guests under test: the load they shared, the worst loss */
	st = db_prepare(s,
			"SELECT MAX(l.search_role), MAX(l.rate), "
			"SUM(l.sent_pps), MAX(l.loss_pct), "
			"MAX(l.search_point_pct) FROM runs r JOIN "
			"loadlat_runs l ON l.run = r.id WHERE r.test_id = ?1 "
			"AND r.status = 'complete' GROUP BY r.id ORDER BY "
			"r.rep",
			"cannot read a search's runs");
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, test_id, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *role = (const char *)sqlite3_column_text(st, 0);
		struct search_run *r;

		ALLOC_GROW(*out, *n + 1, alloc);
		r = &(*out)[(*n)++];
		r->role = role && !strcmp(role, "latency") ? SEARCH_LATENCY :
							      SEARCH_TRIAL;
		r->rate = sqlite3_column_int64(st, 1);
		r->sent_pps = sqlite3_column_double(st, 2);
		r->loss_pct = sqlite3_column_type(st, 3) == SQLITE_NULL ?
				      NAN :
				      sqlite3_column_double(st, 3);
		r->point_pct = sqlite3_column_int(st, 4);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		free(*out);
		*out = NULL;
		*n = 0;
		return db_error(s, "cannot read a search's runs");
	}
	return 0;
}

int store_settle_searches(struct store *s, struct plan *p)
{
	struct search_params sp;
	struct search_run *r;
	size_t i, n;

	for (i = 0; i < p->ntests; i++) {
		struct test *t = &p->tests[i];

		if (!plan_search_params(t, &sp) || !t->ndone)
			continue;
		if (store_search_runs(s, t->id, &r, &n))
			return -1;
		plan_search_settle(t, r, n);
		free(r);
	}
	return 0;
}
