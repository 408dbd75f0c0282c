// SPDX-License-Identifier: GPL-2.0-or-later
#include "testbed/setup.h"

#include <string.h>

#include "core/config.h"
#include "core/dataplane.h"
#include "core/plan.h"
#include "guest/qemu.h"

void setup_of_test(const struct test *t, struct setup *su)
{
	memset(su, 0, sizeof(*su));
	su->dataplane = (int)t->v[F_DATAPLANE];
	su->machine = (enum machine_kind)t->v[F_MACHINE];
	su->qemu = t->v[F_QEMU];
	su->vhost = t->v[F_VHOST] != 0;
	su->qemu_props = t->v[F_QEMU_PROPS];
	su->macvtap = (enum macvtap_mode)t->v[F_MACVTAP];
	su->nics = t->v[F_NICS];
	su->bond = (enum bond_mode)t->v[F_BOND];
	su->background = (unsigned)t->v[F_BACKGROUND];
	su->bg_vm = t->v[F_BG_KIND] == 1;
	su->bg_dataplane = (enum bg_dataplane)t->v[F_BG_DATAPLANE];
	su->pairs = (unsigned)t->v[F_PAIRS];
	su->guests = (unsigned)t->v[F_GUESTS];
}

bool setup_main_equal(const struct setup *a, const struct setup *b)
{
	return a->dataplane == b->dataplane && a->machine == b->machine &&
	       a->qemu == b->qemu && a->vhost == b->vhost &&
	       a->qemu_props == b->qemu_props &&
	       a->macvtap == b->macvtap && a->pairs == b->pairs &&
	       a->guests == b->guests &&
	       a->nics == b->nics && a->bond == b->bond;
}

bool setup_bg_equal(const struct setup *a, const struct setup *b)
{
	return a->background == b->background &&
	       (!a->background || (a->bg_vm == b->bg_vm &&
				   a->bg_dataplane == b->bg_dataplane));
}

bool setup_equal(const struct setup *a, const struct setup *b)
{
	return setup_main_equal(a, b) && setup_bg_equal(a, b);
}

void setup_label(const struct setup *su, struct strbuf *out)
{
	const struct dataplane *dp = &dataplane_table[su->dataplane];
	char qemu[64];

	strbuf_addstr(out, dp->name);
	/* the guest-level factors its guests have, in the factors' order */
	if (dataplane_has_factor(dp, F_MACHINE))
		strbuf_addf(out, " machine=%s", machine_name(su->machine));
	if (dataplane_has_factor(dp, F_QEMU)) {
		qemu_value_name(factor_string(su->qemu), qemu, sizeof(qemu));
		strbuf_addf(out, " qemu=%s", qemu);
	}
	if (dataplane_has_factor(dp, F_VHOST))
		strbuf_addf(out, " vhost=%s", su->vhost ? "on" : "off");
	if (dataplane_has_factor(dp, F_QEMU_PROPS) &&
	    strcmp(factor_string(su->qemu_props), "none"))
		strbuf_addf(out, " qemu_props=%s",
			    factor_string(su->qemu_props));
	if (dataplane_has_factor(dp, F_MACVTAP))
		strbuf_addf(out, " macvtap=%s",
			    macvtap_mode_name(su->macvtap));
	if (su->pairs > 1)
		strbuf_addf(out, " pairs=%u", su->pairs);
	if (su->guests > 1)
		strbuf_addf(out, " guests=%u", su->guests);
	if (dataplane_has_factor(dp, F_NICS) &&
	    strcmp(factor_string(su->nics), "none"))
		strbuf_addf(out, " nics=%s", factor_string(su->nics));
	if (dataplane_has_factor(dp, F_BOND) && su->bond != BOND_NONE)
		strbuf_addf(out, " bond=%s", bond_mode_name(su->bond));
	if (su->background)
		strbuf_addf(out, " background=%u (%s, %s)", su->background,
			    su->bg_vm ? "qemu" : "netns",
			    bg_dataplane_name(su->bg_dataplane));
}

bool setup_needs_image(const struct setup *su, const struct campaign *c)
{
	/* a user's disk replaces the image for main guests only */
	return (dataplane_vm(&dataplane_table[su->dataplane]) &&
		!*c->main_guests.disk) ||
	       (su->background && su->bg_vm);
}
