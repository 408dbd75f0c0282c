// SPDX-License-Identifier: GPL-2.0-or-later
#include "unit.h"

#include "core/config.h"
#include "core/dataplane.h"

static int parse(const char *text, struct campaign *c, struct strbuf *err)
{
	return config_parse("t.yaml", text, strlen(text), c, err);
}

static void test_valid(void **state)
{
	struct strbuf err = STRBUF_INIT;
	struct campaign c;
	const char *text = "campaign: demo\n"
			   "prefix: ivt\n"
			   "testbed:\n"
			   "  subnet: 198.19.4.0/24\n"
			   "guests:\n"
			   "  main:\n"
			   "    cpus: \"1\"\n"
			   "prober:\n"
			   "  timeout: 250ms\n"
			   "  busy_poll: true\n"
			   "matrix:\n"
			   "  - name: first\n"
			   "    dataplane: [macvlan, veth-bridge]\n"
			   "    probe: udp\n"
			   "    rate: [1k, 10kpps, 1M]\n"
			   "    repetitions: 3\n";

	(void)state;
	assert_int_equal(parse(text, &c, &err), 0);
	assert_string_equal(err.buf, "");
	assert_string_equal(c.name, "demo");
	assert_string_equal(c.prefix, "ivt");
	assert_string_equal(c.results, "results.db");
	assert_int_equal(c.testbed.subnet.addr, 0xc6130400u);
	assert_int_equal(c.testbed.subnet.len, 24);
	assert_int_equal(c.testbed.mtu, 1500);
	assert_int_equal(c.main_guests.cpus, 2);
	assert_int_equal(c.prober.timeout_ns, 250000000);
	assert_true(c.prober.busy_poll);
	assert_int_equal(c.prober.warmup, 10);
	assert_int_equal(c.nmatrices, 1);
	assert_string_equal(c.matrices[0].name, "first");
	assert_int_equal(c.matrices[0].f[F_DATAPLANE].n, 2);
	assert_int_equal(c.matrices[0].f[F_DATAPLANE].v[0],
			 dataplane_find("macvlan"));
	assert_int_equal(c.matrices[0].f[F_DATAPLANE].line[1], 13);
	assert_int_equal(c.matrices[0].f[F_PROBE].v[0], PROBE_UDP);
	assert_int_equal(c.matrices[0].f[F_RATE].n, 3);
	assert_int_equal(c.matrices[0].f[F_RATE].v[1], 10000);
	assert_int_equal(c.matrices[0].f[F_RATE].v[2], 1000000);
	/* unset factors take their defaults */
	assert_int_equal(matrix_nvalues(&c.matrices[0], F_SIZE), 1);
	assert_int_equal(matrix_value(&c.matrices[0], F_SIZE, 0), 64);
	assert_int_equal(matrix_value(&c.matrices[0], F_COUNT, 0), 100);
	assert_int_equal(matrix_value(&c.matrices[0], F_REPETITIONS, 0), 3);
	config_release(&c);
	strbuf_release(&err);
}

/* Each bad file fails with this exact first message. */
static const struct {
	const char *text;
	const char *msg;
} bad[] = {
	{"campaign: x\nmatrix:\n  - datplane: macvlan\n",
	 "t.yaml:3:5: error: unknown key 'datplane' in matrix[0] (did you "
	 "mean 'dataplane'?)\n"},
	{"campaign: x\nmatrix:\n  - rate: 300M\n",
	 "t.yaml:3:11: error: matrix[0].rate: '300M' is out of range 1..200M "
	 "pps\n"},
	{"campaign: x\nmatrix:\n  - rate: [1k, fast]\n",
	 "t.yaml:3:16: error: matrix[0].rate: 'fast' is invalid: expected a "
	 "whole number (optionally with k/M and 'pps')\n"},
	{"campaign: x\nmatrix:\n  - size: 32\n",
	 "t.yaml:3:11: error: matrix[0].size: '32' is out of range 64..1518 "
	 "B\n"},
	{"campaign: x\nmatrix:\n  - dataplane: e1001\n",
	 "t.yaml:3:16: error: matrix[0].dataplane: 'e1001' is invalid: "
	 "expected one of: veth-bridge, macvlan, e1000-bridge, virtio-bridge, "
	 "virtio-macvtap, vfio-vf, vf-netns\n"},
	{"campaign: x\nmatrix:\n  - probe: [icmp, icmp]\n",
	 "t.yaml:3:19: error: matrix[0].probe: 'icmp' is listed twice\n"},
	{"campaign: x\nmatrix:\n  - probe: []\n",
	 "t.yaml:3:12: error: matrix[0].probe: the list is empty\n"},
	{"campaign: x\ntestbed:\n  subnet: 10.0.0.0/8\nmatrix: {}\n",
	 "t.yaml:3:11: error: testbed.subnet: '10.0.0.0/8' is invalid: must "
	 "lie inside 198.18.0.0/15, the range RFC 2544 reserves for "
	 "benchmarking\n"},
	{"campaign: x\ntestbed:\n  subnet: 198.18.0.1/16\nmatrix: {}\n",
	 "t.yaml:3:11: error: testbed.subnet: '198.18.0.1/16' is invalid: "
	 "host bits are set (did you mean 198.18.0.0/16?)\n"},
	{"campaign: x\ntestbed:\n  mtu: 100000\nmatrix: {}\n",
	 "t.yaml:3:8: error: testbed.mtu: '100000' is out of range 576..9k\n"},
	{"campaign: x\nprober:\n  timeout: forever\nmatrix: {}\n",
	 "t.yaml:3:12: error: prober.timeout: 'forever' is invalid: expected "
	 "a duration like 500ms or 2s\n"},
	{"campaign: x\nprober:\n  busy_poll: maybe\nmatrix: {}\n",
	 "t.yaml:3:14: error: prober.busy_poll: 'maybe' is invalid: expected "
	 "true or false\n"},
	{"campaign: x\nprefix: TooLongPrefix\nmatrix: {}\n",
	 "t.yaml:2:9: error: prefix: 'TooLongPrefix' is invalid: expected 1-6 "
	 "lowercase letters and digits, starting with a letter\n"},
	{"campaign: x\nmatrix: {}\ntestbd: {}\n",
	 "t.yaml:3:1: error: unknown key 'testbd' (did you mean 'testbed'?)\n"},
	{"campaign: x\nguests:\n  main:\n    cpu: 1\nmatrix: {}\n",
	 "t.yaml:4:5: error: unknown key 'cpu' in guests.main (did you mean "
	 "'cpus'?)\n"},
	{"matrix: {}\n", "t.yaml:1:1: error: missing required key 'campaign'\n"},
	{"campaign: x\n", "t.yaml:1:1: error: missing required key 'matrix'\n"},
	{"campaign: x\ncampaign: y\nmatrix: {}\n",
	 "t.yaml:2:1: error: campaign: key given twice\n"},
	{"campaign: [x]\nmatrix: {}\n",
	 "t.yaml:1:11: error: campaign: expected a single value, not a list\n"},
	{"campaign: a b\nmatrix: {}\n",
	 "t.yaml:1:11: error: campaign: 'a b' is invalid: expected 1-64 "
	 "letters, digits, '.', '_' or '-'\n"},
	{"campaign: x\nmatrix: [1]\n",
	 "t.yaml:2:10: error: matrix[0]: expected a mapping of factors, not a "
	 "value\n"},
	{"campaign: x\nmatrix:\n", "t.yaml:2:1: error: matrix: expected a "
				   "list of matrices (mappings of factors)\n"},
	{"campaign: x\nmatrix: {rate: [1k\n",
	 "t.yaml:3:1: error: YAML syntax: did not find expected ',' or ']' "
	 "while parsing a flow sequence\n"},
	{"- a\n- b\n", "t.yaml:1:1: error: expected a mapping of keys at the "
		       "top, not a list\n"},
	{"", "t.yaml: error: file is empty\n"},
	{"campaign: x\nmatrix: {}\n---\ncampaign: y\n",
	 "t.yaml: error: file holds more than one YAML document\n"},
	{"campaign: x\nmatrix: {}\ntestbed: {kind: cloud}\n",
	 "t.yaml:3:17: error: testbed.kind: 'cloud' is invalid: expected one "
	 "of: local, ssh\n"},
	{"campaign: x\nmatrix: {}\ntestbed: {kind: ssh}\n",
	 "t.yaml:3:10: error: testbed.servers.sender needs ssh and nic when "
	 "testbed.kind is ssh\n"},
	{"campaign: x\nmatrix: {}\ntestbed:\n  servers:\n    sender: "
	 "{ssh: a@b, nic: eth1}\n",
	 "t.yaml:4:3: error: testbed.servers.sender: a local testbed has no "
	 "servers to name (kind: ssh?)\n"},
	{"campaign: x\nmatrix: {}\ntestbed:\n  kind: ssh\n  servers:\n"
	 "    sender: {ssh: a@b, nic: eth1/0}\n",
	 "t.yaml:6:29: error: testbed.servers.sender.nic: 'eth1/0' is invalid: "
	 "expected an interface name (1-15 characters, no '/', ':' or "
	 "space)\n"},
	{"campaign: x\nmatrix:\n  - rate: {from: 50k, upto: 1M}\n",
	 "t.yaml:3:23: error: matrix[0].rate: unknown key 'upto' in a sweep "
	 "(from, to, times)\n"},
	{"campaign: x\nmatrix:\n  - rate: {from: 50k}\n",
	 "t.yaml:3:11: error: matrix[0].rate: a sweep needs from and to (and "
	 "times, 2 by default)\n"},
	{"campaign: x\nmatrix:\n  - rate: {from: 2M, to: 1M}\n",
	 "t.yaml:3:11: error: matrix[0].rate: invalid sweep: from (2M) is "
	 "above to (1M)\n"},
	{"campaign: x\nmatrix:\n  - rate: {from: 1k, to: 1M, times: 1}\n",
	 "t.yaml:3:11: error: matrix[0].rate: invalid sweep: times '1': "
	 "expected a number from 1.01 to 1000\n"},
	{"campaign: x\nmatrix:\n  - dataplane: {from: a, to: b}\n",
	 "t.yaml:3:16: error: matrix[0].dataplane: invalid sweep: a sweep is "
	 "for numbers, and dataplane takes words\n"},
	{"campaign: x\nmatrix:\n  - rate: {from: 1, to: 1G, times: 1.01}\n",
	 "t.yaml:3:11: error: matrix[0].rate: invalid sweep: '1G' is out of "
	 "range 1..200M pps\n"},
};

static void test_errors(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct strbuf err = STRBUF_INIT;
		struct campaign c;
		char *nl;

		if (parse(bad[i].text, &c, &err) != -1)
			fail_msg("case %zu parsed: %s", i, bad[i].text);
		/* compare the first message only */
		nl = strchr(err.buf, '\n');
		if (nl)
			nl[1] = '\0';
		if (strcmp(err.buf, bad[i].msg))
			fail_msg("case %zu:\n got: %s want: %s", i, err.buf,
				 bad[i].msg);
		strbuf_release(&err);
	}
}

static void test_all_errors_reported(void **state)
{
	struct strbuf err = STRBUF_INIT;
	struct campaign c;
	const char *text = "campaign: x\n"
			   "matrix:\n"
			   "  - rate: 0\n"
			   "    size: 2000\n"
			   "    colour: blue\n";
	size_t lines = 0;
	const char *p;

	(void)state;
	assert_int_equal(parse(text, &c, &err), -1);
	for (p = err.buf; *p; p++)
		lines += *p == '\n';
	assert_int_equal(lines, 3);
	strbuf_release(&err);
}

static void test_bad_required_value_reported_once(void **state)
{
	struct strbuf err = STRBUF_INIT;
	struct campaign c;

	(void)state;
	assert_int_equal(parse("campaign: 'a b'\nmatrix: {}\n", &c, &err), -1);
	assert_null(strstr(err.buf, "missing required key"));
	assert_non_null(strstr(err.buf, "campaign: 'a b' is invalid"));
	strbuf_release(&err);
}

static void test_single_matrix_mapping(void **state)
{
	struct strbuf err = STRBUF_INIT;
	struct campaign c;

	(void)state;
	assert_int_equal(parse("campaign: x\nmatrix: {size: [64, 1518]}\n", &c,
			       &err),
			 0);
	assert_int_equal(c.nmatrices, 1);
	assert_int_equal(c.matrices[0].f[F_SIZE].n, 2);
	assert_string_equal(c.matrices[0].name, "matrix0");
	config_release(&c);
	strbuf_release(&err);
}

/* factor id of matrix 0 holds the n values want, in order */
static void assert_values(const struct campaign *c, enum factor_id id,
			  const int64_t *want, size_t n)
{
	const struct factor_values *fv = &c->matrices[0].f[id];
	size_t i;

	assert_int_equal(fv->n, n);
	for (i = 0; i < n; i++)
		assert_int_equal(fv->v[i], want[i]);
}

/* rate: {from, to, times}: the geometric sweep's values, in order */
static void test_sweep(void **state)
{
	static const int64_t doubling[] = {50000, 100000, 200000, 400000,
					   800000};
	static const int64_t by4[] = {64, 256, 1024};
	/* rounding: 1, 1.5 -> 2, 2.25 -> 2 (once), 3.375 -> 3 */
	static const int64_t rounded[] = {1, 2, 3};
	struct strbuf err = STRBUF_INIT;
	struct campaign c;

	(void)state;
	assert_int_equal(parse("campaign: x\nmatrix:\n"
			       "  - measure: loadlat\n"
			       "    rate: {from: 50k, to: 1M}\n"
			       "    size: {from: 64, to: 1518, times: 4}\n",
			       &c, &err),
			 0);
	assert_values(&c, F_RATE, doubling, 5);
	assert_values(&c, F_SIZE, by4, 3);
	config_release(&c);

	assert_int_equal(parse("campaign: x\nmatrix:\n"
			       "  - rate: {from: 1, to: 4, times: 1.5}\n",
			       &c, &err),
			 0);
	assert_values(&c, F_RATE, rounded, 3);
	config_release(&c);

	/* at most 64 values */
	assert_int_equal(parse("campaign: x\nmatrix:\n"
			       "  - rate: {from: 1, to: 200M, times: 1.1}\n",
			       &c, &err),
			 -1);
	assert_non_null(strstr(err.buf, "more than 64 values"));
	strbuf_release(&err);
}

/* docs/config.md names every key and its default. */
struct doc_check {
	const char *doc;
	int missing;
};

static void check_key(const struct config_key_doc *k, void *data)
{
	struct doc_check *dc = data;
	char want[256];

	snprintf(want, sizeof(want), "| `%s` |", k->name);
	if (!strstr(dc->doc, want)) {
		fprintf(stderr, "docs/config.md lacks a row for %s.%s\n",
			k->section, k->name);
		dc->missing++;
		return;
	}
	if (k->def && *k->def) {
		snprintf(want, sizeof(want), "| `%s` | `%s` |", k->name,
			 k->def);
		if (!strstr(dc->doc, want)) {
			fprintf(stderr, "docs/config.md: %s.%s default is not "
					"`%s`\n",
				k->section, k->name, k->def);
			dc->missing++;
		}
	}
}

static void test_docs_cover_keys(void **state)
{
	struct strbuf doc = STRBUF_INIT;
	struct doc_check dc;

	(void)state;
	unit_read("docs/config.md", &doc);
	dc.doc = doc.buf;
	dc.missing = 0;
	config_for_each_key(check_key, &dc);
	assert_int_equal(dc.missing, 0);
	strbuf_release(&doc);
}

static void test_examples_parse(void **state)
{
	static const char *const files[] = {"examples/quickstart.yaml",
					    "examples/paper-local.yaml",
					    "examples/paper-sriov.yaml",
					    "examples/sriov-vs-virtio.yaml"};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		struct strbuf text = STRBUF_INIT, err = STRBUF_INIT;
		struct campaign c;

		unit_read(files[i], &text);
		if (config_parse(files[i], text.buf, text.len, &c, &err))
			fail_msg("%s", err.buf);
		config_release(&c);
		strbuf_release(&text);
		strbuf_release(&err);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_all_errors_reported),
		cmocka_unit_test(test_bad_required_value_reported_once),
		cmocka_unit_test(test_single_matrix_mapping),
		cmocka_unit_test(test_sweep),
		cmocka_unit_test(test_docs_cover_keys),
		cmocka_unit_test(test_examples_parse),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
