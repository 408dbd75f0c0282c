// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The plan as people read it (core/plan.h's plan_print): the tree of
 * tests by the factors that vary, in the plan's order (setup cost
 * first), with what is done, to do and refused, and why.
 */
#include "core/plan.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/search.h"
#include "util/alloc.h"

struct tree {
	const struct plan *p;
	int varying[FACTOR_COUNT];
	int nvarying;
	int dedent; /* levels not printed above: they said nothing */
	struct strbuf *out;
};

static void count_range(const struct plan *p, size_t lo, size_t hi,
			struct plan_counts *c)
{
	struct plan sub = *p;

	sub.tests = p->tests + lo;
	sub.ntests = hi - lo;
	plan_counts(&sub, c);
}

/* The reason shared by every test in [lo, hi), or NULL. */
static const char *common_reason(const struct plan *p, size_t lo, size_t hi)
{
	const char *r = p->tests[lo].reason;
	size_t i;

	if (!r)
		return NULL;
	for (i = lo + 1; i < hi; i++) {
		if (!p->tests[i].reason || strcmp(p->tests[i].reason, r))
			return NULL;
	}
	return r;
}

static void tree_line(struct tree *tr, int depth, const char *label,
		      size_t lo, size_t hi)
{
	struct plan_counts c;
	struct search_params sp;
	const char *reason = common_reason(tr->p, lo, hi);
	size_t width;

	count_range(tr->p, lo, hi, &c);
	depth -= tr->dedent;
	strbuf_addchars(tr->out, ' ', (size_t)depth * 2);
	strbuf_addstr(tr->out, label);
	width = (size_t)depth * 2 + strlen(label);
	strbuf_addchars(tr->out, ' ', width < 36 ? 36 - width : 1);
	if (reason) {
		strbuf_addf(tr->out, "not runnable: %s\n", reason);
		return;
	}
	strbuf_addf(tr->out, "%5zu runs %5zu done %5zu to do", c.runs, c.done,
		    c.todo);
	if (c.not_runnable)
		strbuf_addf(tr->out, " %5zu not runnable", c.not_runnable);
	if (hi - lo == 1 && plan_search_params(&tr->p->tests[lo], &sp))
		strbuf_addf(tr->out, "  search %s: up to %u trials",
			    search_kind_name(sp.kind), search_max_trials(&sp));
	strbuf_addch(tr->out, '\n');
}

static void tree_level(struct tree *tr, int depth, size_t lo, size_t hi)
{
	const struct plan *p = tr->p;
	int f = tr->varying[depth];
	size_t start = lo, i;
	char val[64], label[256];
	int d;

	for (i = lo + 1; i <= hi; i++) {
		if (i < hi && p->tests[i].v[f] == p->tests[start].v[f])
			continue;
		/* a single test ends its branch: the rest on one line */
		label[0] = '\0';
		for (d = depth; d < (i - start == 1 ? tr->nvarying : depth + 1);
		     d++) {
			size_t used = strlen(label);

			f = tr->varying[d];
			if (plan_factor_says_nothing(&p->tests[start], f))
				continue;
			factor_format_human((enum factor_id)f,
					    p->tests[start].v[f], val,
					    sizeof(val));
			snprintf(label + used, sizeof(label) - used, "%s%s=%s",
				 used ? " " : "", factor_table[f].name, val);
		}
		f = tr->varying[depth];
		if (!label[0] && i - start > 1 && depth + 1 < tr->nvarying &&
		    !common_reason(p, start, i)) {
			/* a level of factors that do not apply: not shown */
			tr->dedent++;
			tree_level(tr, depth + 1, start, i);
			tr->dedent--;
			start = i;
			continue;
		}
		tree_line(tr, depth, label[0] ? label : "(one test)", start, i);
		if (i - start > 1 && depth + 1 < tr->nvarying &&
		    !common_reason(p, start, i))
			tree_level(tr, depth + 1, start, i);
		start = i;
	}
}

static void print_runs(const struct plan *p, struct strbuf *out)
{
	struct strbuf label = STRBUF_INIT;
	char run[RUN_ID_MAX];
	size_t i;
	unsigned r;

	strbuf_addstr(out, "\nruns to do, in order:\n");
	for (i = 0; i < p->ntests; i++) {
		const struct test *t = &p->tests[i];

		if (t->reason)
			continue;
		strbuf_reset(&label);
		plan_test_label(t, &label);
		for (r = 1; r <= test_runs(t); r++) {
			if (t->done[r - 1])
				continue;
			plan_run_id(t, r, run, sizeof(run));
			strbuf_addf(out, "  %-20s %s\n", run, label.buf);
		}
	}
	strbuf_release(&label);
}

void plan_print(const struct plan *p, unsigned flags, struct strbuf *out)
{
	struct tree tr = {.p = p, .out = out};
	struct plan_counts c;
	char val[64];
	int f, printed = 0;
	size_t i;

	plan_counts(p, &c);
	strbuf_addf(out, "campaign %s (%s): %zu tests, %zu runs: %zu done, "
			 "%zu to do",
		    p->campaign->name, p->campaign->file, c.tests, c.runs,
		    c.done, c.todo);
	if (c.not_runnable)
		strbuf_addf(out, ", %zu not runnable here", c.not_runnable);
	strbuf_addch(out, '\n');
	if (!p->ntests)
		return;

	for (f = 0; f < FACTOR_COUNT; f++) {
		for (i = 1; i < p->ntests; i++) {
			if (p->tests[i].v[f] != p->tests[0].v[f])
				break;
		}
		if (i < p->ntests && !(factor_table[f].flags &
				       FACTOR_NOT_IN_ID)) {
			tr.varying[tr.nvarying++] = f;
			continue;
		}
		if (i < p->ntests || factor_is_implicit((enum factor_id)f,
							 p->tests[0].v[f]) ||
		    !factor_applies((enum factor_id)f, p->tests[0].v))
			continue; /* repetitions differ: the counts show it */
		factor_format_human((enum factor_id)f, p->tests[0].v[f], val,
				    sizeof(val));
		strbuf_addf(out, "%s%s=%s", printed++ ? " " : "every test: ",
			    factor_table[f].name, val);
	}
	if (printed)
		strbuf_addch(out, '\n');
	if (tr.nvarying)
		tree_level(&tr, 0, 0, p->ntests);
	else
		tree_line(&tr, 0, "(one test)", 0, p->ntests);
	if (flags & PLAN_PRINT_RUNS)
		print_runs(p, out);
}
