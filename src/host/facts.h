/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What a host is and can do. Facts (kernel, CPU, clock source...) are
 * stored with every run, so a figure can be traced to the machine that
 * made it; capabilities decide which tests the plan may run. Paths are
 * built under a root ("/" normally) so tests can use a fake tree.
 */
#ifndef IOV_HOST_FACTS_H
#define IOV_HOST_FACTS_H

#include <stdint.h>

/* Facts as a JSON object text (caller frees). */
char *host_facts_json(const char *root);

/* The CPU clock in kHz (/proc/cpuinfo "cpu MHz"), or 0. */
uint64_t host_cpu_khz(const char *root);

/* Does the CPU say it virtualizes (vmx or svm in /proc/cpuinfo's flags)? */
int host_cpu_virt(const char *root);

/* enum cap bits this host offers. */
uint32_t host_caps_detect(const char *root);

struct campaign;
/*
 * The capabilities a campaign's plan assumes: this host's for the local
 * testbed; for an ssh testbed every one (its servers are not asked from
 * here: `iovbench doctor` on each says what it can do, and a setup a
 * server cannot make fails with the reason).
 */
uint32_t campaign_caps(const struct campaign *c);

#endif
